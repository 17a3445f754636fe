package dev.roster.sso.saml;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.saml2.provider.service.authentication.DefaultSaml2AuthenticatedPrincipal;
import org.springframework.security.saml2.provider.service.authentication.Saml2Authentication;
import org.springframework.security.saml2.provider.service.authentication.logout.Saml2LogoutRequest;
import org.springframework.security.saml2.provider.service.registration.RelyingPartyRegistration;
import org.springframework.security.saml2.provider.service.registration.Saml2MessageBinding;
import org.springframework.security.saml2.provider.service.web.authentication.logout.OpenSaml4LogoutRequestResolver;
import org.springframework.stereotype.Component;

import dev.roster.security.SignOutContinuation;

/**
 * Single logout, started at Roster: when the session came from an IdP that offers single logout, signing out of
 * Roster continues at the IdP with a signed LogoutRequest (HTTP-Redirect) naming the person and IdP session from the
 * sign-in, signed over the bindings specification's byte order ({@link RedirectBinding}). The request is kept
 * ({@link PendingLogoutRequests}) until the IdP's LogoutResponse comes back to {@link SingleLogoutController}.
 */
@Component
class SsoSignOut implements SignOutContinuation {

    private static final Logger log = LoggerFactory.getLogger(SsoSignOut.class);

    private final DatabaseRelyingPartyRegistrations registrations;
    private final OpenSaml4LogoutRequestResolver requests;
    private final PendingLogoutRequests pending;

    SsoSignOut(DatabaseRelyingPartyRegistrations registrations, PendingLogoutRequests pending) {
        this.registrations = registrations;
        this.requests = new OpenSaml4LogoutRequestResolver(registrations);
        this.pending = pending;
    }

    @Override
    public Optional<String> continueAt(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null
                || !(session.getAttribute(SamlSignInProvider.SESSION_INFO) instanceof SamlSignInProvider.SsoSession sso)
                || sso.nameId() == null) {
            return Optional.empty();
        }
        RelyingPartyRegistration registration = registrations.findByRegistrationId(sso.connectionId());
        if (registration == null || registration.getAssertingPartyMetadata().getSingleLogoutServiceLocation() == null) {
            return Optional.empty();
        }
        try {
            Saml2LogoutRequest logout = requests.resolve(request, authentication(sso));
            if (logout == null) {
                return Optional.empty();
            }
            // Kept so that the IdP's LogoutResponse can be checked against it (SingleLogoutController).
            pending.save(new PendingLogoutRequests.Pending(UUID.fromString(sso.connectionId()), logout.getId(),
                    logout.getRelayState()));
            if (logout.getBinding() == Saml2MessageBinding.REDIRECT) {
                return Optional.of(RedirectBinding.url(logout.getLocation(), "SAMLRequest", logout.getSamlRequest(),
                        logout.getRelayState(), registration));
            }
            return Optional.of(logout.getLocation() + (logout.getLocation().contains("?") ? "&" : "?")
                    + logout.getParametersQuery());
        }
        catch (RuntimeException ex) {
            log.warn("Single logout at connection {} could not be started: {}", sso.connectionId(), ex.toString());
            return Optional.empty();
        }
    }

    /** The shape Spring's logout resolvers read: the NameID, the IdP session, and the connection. */
    static Saml2Authentication authentication(SamlSignInProvider.SsoSession sso) {
        DefaultSaml2AuthenticatedPrincipal principal = new DefaultSaml2AuthenticatedPrincipal(sso.nameId(), Map.of(),
                sso.sessionIndex() == null ? List.of() : List.of(sso.sessionIndex()));
        principal.setRelyingPartyRegistrationId(sso.connectionId());
        // Spring requires some response text; Roster does not keep the original response after sign-in.
        return new Saml2Authentication(principal, "not kept", AuthorityUtils.NO_AUTHORITIES);
    }
}
