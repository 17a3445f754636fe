package dev.roster.sso;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.saml2.provider.service.authentication.logout.Saml2LogoutResponse;
import org.springframework.security.saml2.provider.service.web.authentication.logout.OpenSaml4LogoutResponseResolver;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Roster's single logout endpoint ({@code /logout/saml2/slo/{connection}}).
 * <ul>
 * <li>A LogoutResponse (the IdP finished a logout Roster started): Roster's session is already gone; the browser
 * lands on the sign-in page.</li>
 * <li>A LogoutRequest (the person signed out at the IdP or another application): the Roster session in this browser
 * ends, and the IdP gets a signed LogoutResponse so its logout chain can go on.</li>
 * </ul>
 * Neither can do harm with a forged message beyond signing the browser's own user out, so no other session is
 * touched.
 */
@Controller
class SingleLogoutController {

    private static final Logger log = LoggerFactory.getLogger(SingleLogoutController.class);

    private final DatabaseRelyingPartyRegistrations registrations;
    private final OpenSaml4LogoutResponseResolver responses;

    SingleLogoutController(DatabaseRelyingPartyRegistrations registrations) {
        this.registrations = registrations;
        this.responses = new OpenSaml4LogoutResponseResolver(registrations);
    }

    @RequestMapping(path = SpUrls.SLO_PATH + "{connection}", method = {RequestMethod.GET, RequestMethod.POST})
    String singleLogout(@PathVariable String connection,
                        @RequestParam(name = "SAMLRequest", required = false) String logoutRequest,
                        HttpServletRequest request) {
        if (logoutRequest == null || registrations.findByRegistrationId(connection) == null) {
            return "redirect:/login?signedOut";
        }
        HttpSession session = request.getSession(false);
        SamlSignInProvider.SsoSession sso = session != null
                && session.getAttribute(SamlSignInProvider.SESSION_INFO) instanceof SamlSignInProvider.SsoSession s
                && s.connectionId().equals(connection) ? s : null;
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
        try {
            Saml2LogoutResponse response = responses.resolve(request,
                    sso == null ? null : SsoSignOut.authentication(sso));
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
}
