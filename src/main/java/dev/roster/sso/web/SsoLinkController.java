package dev.roster.sso.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;

import dev.roster.organization.OrganizationService;
import dev.roster.security.SignInStages;
import dev.roster.shared.RosterUser;
import dev.roster.sso.access.SsoLinkCookie;
import dev.roster.sso.access.SsoLinkRequests;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.connection.SsoConnectionRepository;
import dev.roster.sso.saml.SamlSignInProvider;
import dev.roster.sso.saml.SignInRefusals;
import dev.roster.sso.saml.SsoSignIn;

/**
 * The confirmation a person gives before an organization's IdP may sign in to their existing account (Keycloak's
 * "first broker login" confirmation): the SSO sign-in waits ({@link SsoLinkRequests}), the browser that signed in
 * holds the request's secret in a cookie, and the person proves the account is theirs by being signed in to it,
 * fully (password and second factor, or a session they already had), then confirms with a form protected against
 * cross-site requests. Only then is the identity linked and the SSO sign-in completed; cancelling links nothing.
 * <p>
 * {@code /account/sso-link} is behind the ordinary sign-in, so "sign in to confirm" goes through the password and
 * second-factor pages (with their throttling and SSO-enforcement rules) and comes back here.
 */
@Controller
public class SsoLinkController {

    public static final String PATH = "/sso/link";
    private static final String VIEW = "sso/link";

    private final SsoLinkRequests links;
    private final SsoLinkCookie cookie;
    private final SsoSignIn signIn;
    private final SsoConnectionRepository connections;
    private final OrganizationService organizations;
    private final SignInStages stages;
    private final SecurityContextRepository contexts;
    private final SignInRefusals refusals;
    private final ChangeSessionIdAuthenticationStrategy sessionFixation = new ChangeSessionIdAuthenticationStrategy();

    SsoLinkController(SsoLinkRequests links, SsoLinkCookie cookie, SsoSignIn signIn,
                      SsoConnectionRepository connections, OrganizationService organizations, SignInStages stages,
                      SecurityContextRepository contexts, SignInRefusals refusals) {
        this.refusals = refusals;
        this.links = links;
        this.cookie = cookie;
        this.signIn = signIn;
        this.connections = connections;
        this.organizations = organizations;
        this.stages = stages;
        this.contexts = contexts;
    }

    @GetMapping(PATH)
    String page(HttpServletRequest request, HttpServletResponse response, Authentication authentication,
                Model model) {
        Optional<SsoLinkRequests.LinkRequest> link = links.find(secret(request));
        if (link.isEmpty()) {
            return gone(response, model);
        }
        return show(link.get(), authentication, model);
    }

    @PostMapping(PATH)
    String confirm(HttpServletRequest request, HttpServletResponse response, Authentication authentication,
                   Model model) {
        Optional<SsoLinkRequests.LinkRequest> found = links.find(secret(request));
        if (found.isEmpty()) {
            return gone(response, model);
        }
        SsoLinkRequests.LinkRequest link = found.get();
        Optional<RosterUser> owner = fullySignedIn(authentication)
                .filter(user -> user.accountId().equals(link.accountId()));
        Optional<SsoConnection> connection = connections.findById(link.connectionId());
        if (owner.isEmpty() || connection.isEmpty()) {
            response.setStatus(HttpStatus.FORBIDDEN.value());
            model.addAttribute("error", "Sign in as " + link.identity().email().value() + " first: only the owner of "
                    + "the account can link it.");
            return show(link, authentication, model);
        }
        SsoSignIn.Outcome outcome = signIn.confirmLink(connection.get(), link, owner.get().accountId());
        forget(request, response);
        if (outcome instanceof SsoSignIn.Denied denied) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reason", denied.code());
            details.put("detail", denied.detail());
            details.put("email", link.identity().email().value());
            refusals.record(connection.get(), "sso.login-denied", details);
            return "redirect:/sso/error?reason=" + denied.code();
        }
        if (!(outcome instanceof SsoSignIn.Allowed)) {
            return gone(response, model);
        }
        // Signed in already as the owner; now also through the IdP, so single logout can name this session.
        request.getSession().setAttribute(SamlSignInProvider.SESSION_INFO, new SamlSignInProvider.SsoSession(
                connection.get().registrationId(), link.identity().nameId(), link.identity().nameIdFormat(),
                link.identity().sessionIndex()));
        SecurityContext context = SecurityContextHolder.getContext();
        sessionFixation.onAuthentication(authentication, request, response);
        contexts.saveContext(context, request, response);
        return "redirect:" + (link.returnTo() == null ? "/" : link.returnTo());
    }

    @PostMapping(PATH + "/cancel")
    String cancel(HttpServletRequest request, HttpServletResponse response, Model model) {
        links.find(secret(request)).ifPresent(link -> links.spend(link.id()));
        forget(request, response);
        model.addAttribute("cancelled", true);
        return VIEW;
    }

    /** Reached only fully signed in: the sign-in pages bring the person here, and on to the confirmation. */
    @GetMapping("/account/sso-link")
    String afterSignIn() {
        return "redirect:" + PATH;
    }

    private String show(SsoLinkRequests.LinkRequest link, Authentication authentication, Model model) {
        Optional<RosterUser> user = fullySignedIn(authentication);
        String mode = user.isEmpty() ? "sign-in"
                : user.get().accountId().equals(link.accountId()) ? "confirm" : "other-account";
        connections.findById(link.connectionId()).ifPresent(connection -> {
            model.addAttribute("connectionName", connection.name());
            model.addAttribute("organizationName", organizations.get(connection.organizationId()).name());
        });
        model.addAttribute("email", link.identity().email().value());
        model.addAttribute("mode", mode);
        model.addAttribute("signedInAs", user.map(RosterUser::email).orElse(null));
        return VIEW;
    }

    private String gone(HttpServletResponse response, Model model) {
        response.setStatus(HttpStatus.GONE.value());
        model.addAttribute("mode", "gone");
        return VIEW;
    }

    private void forget(HttpServletRequest request, HttpServletResponse response) {
        cookie.forget(request, response);
    }

    private String secret(HttpServletRequest request) {
        return cookie.read(request).orElse(null);
    }

    private Optional<RosterUser> fullySignedIn(Authentication authentication) {
        if (authentication != null && authentication.isAuthenticated()
                && authentication.getPrincipal() instanceof RosterUser user
                && authentication.getAuthorities().containsAll(stages.fullySignedIn(user).getAuthorities())) {
            return Optional.of(user);
        }
        return Optional.empty();
    }
}
