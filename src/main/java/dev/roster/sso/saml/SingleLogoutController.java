package dev.roster.sso.saml;

import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.saml2.provider.service.authentication.logout.OpenSaml4LogoutRequestValidator;
import org.springframework.security.saml2.provider.service.authentication.logout.OpenSaml4LogoutResponseValidator;
import org.springframework.security.saml2.provider.service.authentication.logout.Saml2LogoutRequest;
import org.springframework.security.saml2.provider.service.authentication.logout.Saml2LogoutResponseValidatorParameters;
import org.springframework.security.saml2.provider.service.authentication.logout.Saml2LogoutRequestValidatorParameters;
import org.springframework.security.saml2.provider.service.authentication.logout.Saml2LogoutResponse;
import org.springframework.security.saml2.provider.service.authentication.logout.Saml2LogoutValidatorResult;
import org.springframework.security.saml2.provider.service.registration.RelyingPartyRegistration;
import org.springframework.security.saml2.provider.service.registration.Saml2MessageBinding;
import org.springframework.security.saml2.provider.service.web.authentication.logout.OpenSaml4LogoutRequestValidatorParametersResolver;
import org.springframework.security.saml2.provider.service.web.authentication.logout.OpenSaml4LogoutResponseResolver;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Roster's single logout endpoint ({@code /logout/saml2/slo/{connection}}).
 * <ul>
 * <li>A LogoutResponse (the IdP finished a logout Roster started): Roster's session is already gone; the answer is
 * checked against the LogoutRequest Roster sent ({@link #checkLogoutResponse}), and the browser lands on the sign-in
 * page, or on a page saying the IdP's logout could not be confirmed.</li>
 * <li>A LogoutRequest (the person signed out at the IdP or another application): validated as Spring Security's
 * logout filter does (signature by the connection's IdP, issuer, destination, and the NameID of this browser's
 * sign-in through that connection); then the Roster session in this browser ends, and the IdP gets a signed
 * LogoutResponse ({@link RedirectBinding}) so its logout chain can go on. An invalid request changes nothing: anyone can send a browser to
 * this URL, and a forged request must not sign people out.</li>
 * </ul>
 */
@Controller
class SingleLogoutController {

    private static final Logger log = LoggerFactory.getLogger(SingleLogoutController.class);

    private final DatabaseRelyingPartyRegistrations registrations;
    private final OpenSaml4LogoutRequestValidatorParametersResolver requests;
    private final OpenSaml4LogoutRequestValidator validator = new OpenSaml4LogoutRequestValidator();
    private final OpenSaml4LogoutResponseResolver responses;
    private final OpenSaml4LogoutResponseValidator responseValidator = new OpenSaml4LogoutResponseValidator();
    private final PendingLogoutRequests pending;

    SingleLogoutController(DatabaseRelyingPartyRegistrations registrations, PendingLogoutRequests pending) {
        this.registrations = registrations;
        this.pending = pending;
        this.requests = new OpenSaml4LogoutRequestValidatorParametersResolver(registrations);
        this.responses = new OpenSaml4LogoutResponseResolver(registrations);
    }

    @RequestMapping(path = SpUrls.SLO_PATH + "{connection}", method = {RequestMethod.GET, RequestMethod.POST})
    String singleLogout(@PathVariable String connection,
                        @RequestParam(name = "SAMLRequest", required = false) String logoutRequest,
                        @RequestParam(name = "SAMLResponse", required = false) String logoutResponse,
                        HttpServletRequest request, RedirectAttributes redirect) {
        RelyingPartyRegistration registration = registrations.findByRegistrationId(connection);
        if (registration == null || (logoutRequest == null && logoutResponse == null)) {
            return "redirect:/login?signedOut";
        }
        if (logoutRequest == null) {
            Optional<String> refused = checkLogoutResponse(connection, registration, request);
            if (refused.isPresent()) {
                log.warn("LogoutResponse at connection {} refused: {}", connection, refused.get());
                return "redirect:/sso/error?reason=logout-unconfirmed";
            }
            return "redirect:/login?signedOut";
        }
        HttpSession session = request.getSession(false);
        SamlSignInProvider.SsoSession sso = session != null
                && session.getAttribute(SamlSignInProvider.SESSION_INFO) instanceof SamlSignInProvider.SsoSession s
                && s.connectionId().equals(connection) ? s : null;
        Authentication signedIn = sso == null ? null : SsoSignOut.authentication(sso);
        Optional<String> invalid = validate(request, signedIn);
        if (invalid.isPresent()) {
            log.warn("LogoutRequest at connection {} refused: {}", connection, invalid.get());
            redirect.addFlashAttribute("error", "Your identity provider's request to sign you out was not valid, "
                    + "so nothing changed here. Use Sign out in the menu to sign out of Roster.");
            return "redirect:/";
        }
        // Only a sign-in through this connection is the IdP's to end; a password session in this browser stays.
        if (sso != null) {
            session.invalidate();
            SecurityContextHolder.clearContext();
        }
        try {
            // Nobody here signed in through this connection: the answer still says the logout is done, so that the
            // IdP's chain goes on (the resolver finds the connection through the authentication it is given).
            Saml2LogoutResponse response = responses.resolve(request, signedIn != null ? signedIn
                    : SsoSignOut.authentication(new SamlSignInProvider.SsoSession(connection, "", null, null)));
            if (response != null && response.getBinding() == Saml2MessageBinding.REDIRECT) {
                return "redirect:" + RedirectBinding.url(response.getResponseLocation(), "SAMLResponse",
                        response.getSamlResponse(), response.getRelayState(), registration);
            }
            if (response != null) {
                return "redirect:" + response.getResponseLocation()
                        + (response.getResponseLocation().contains("?") ? "&" : "?") + response.getParametersQuery();
            }
        }
        catch (RuntimeException ex) {
            log.warn("LogoutRequest at connection {} could not be answered: {}", connection, ex.toString());
        }
        return "redirect:/login?signedOut";
    }

    /**
     * The IdP's answer to a LogoutRequest Roster sent: it must answer a request still pending at this connection
     * (found by its RelayState, taken once), be signed by the connection's IdP (the query signature of the Redirect
     * binding, or the XML signature of POST), name this connection's SLO URL as its Destination, answer that request
     * (InResponseTo) and say Success: Spring Security's {@link OpenSaml4LogoutResponseValidator} checks all but the
     * first. Roster's session is gone already; a refused answer means the IdP's logout is not confirmed, and the
     * person is told so.
     */
    private Optional<String> checkLogoutResponse(String connection, RelyingPartyRegistration registration,
                                                 HttpServletRequest request) {
        String relayState = request.getParameter("RelayState");
        Optional<PendingLogoutRequests.Pending> sent = pending.take(UUID.fromString(connection), relayState);
        if (sent.isEmpty()) {
            return Optional.of("it answers no LogoutRequest this connection sent in the last ten minutes "
                    + "(RelayState " + relayState + ")");
        }
        try {
            Saml2MessageBinding binding = "GET".equals(request.getMethod()) ? Saml2MessageBinding.REDIRECT
                    : Saml2MessageBinding.POST;
            Saml2LogoutRequest logoutRequest = Saml2LogoutRequest.withRelyingPartyRegistration(registration)
                    .id(sent.get().requestId()).relayState(relayState).samlRequest("not kept").binding(binding)
                    .build();
            Saml2LogoutResponse logoutResponse = Saml2LogoutResponse.withRelyingPartyRegistration(registration)
                    .samlResponse(request.getParameter("SAMLResponse")).relayState(relayState).binding(binding)
                    .location(registration.getSingleLogoutServiceResponseLocation())
                    .parameters(params -> params.put("SigAlg", request.getParameter("SigAlg")))
                    .parameters(params -> params.put("Signature", request.getParameter("Signature")))
                    .parametersQuery(params -> request.getQueryString())
                    .build();
            Saml2LogoutValidatorResult result = responseValidator.validate(
                    new Saml2LogoutResponseValidatorParameters(logoutResponse, logoutRequest, registration));
            return result.hasErrors() ? Optional.of(result.getErrors().stream()
                    .map(error -> error.getErrorCode() + ": " + error.getDescription())
                    .collect(Collectors.joining("; "))) : Optional.empty();
        }
        catch (RuntimeException ex) {
            return Optional.of(ex.toString());
        }
    }

    private Optional<String> validate(HttpServletRequest request, Authentication signedIn) {
        try {
            Saml2LogoutRequestValidatorParameters parameters = requests.resolve(request, signedIn);
            if (parameters == null) {
                return Optional.of("not a LogoutRequest for this endpoint");
            }
            Saml2LogoutValidatorResult result = validator.validate(parameters);
            return result.hasErrors() ? Optional.of(result.getErrors().stream()
                    .map(error -> error.getErrorCode() + ": " + error.getDescription())
                    .collect(Collectors.joining("; "))) : Optional.empty();
        }
        catch (RuntimeException ex) {
            return Optional.of(ex.toString());
        }
    }
}
