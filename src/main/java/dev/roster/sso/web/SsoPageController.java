package dev.roster.sso.web;

import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;

import dev.roster.shared.EmailAddress;
import dev.roster.sso.SsoRouting;
import dev.roster.sso.SsoTarget;
import dev.roster.sso.saml.LocalPaths;

/** "Sign in with SSO": finds the connection from the address's verified domain; and the page a refused login lands on. */
@Controller
class SsoPageController {

    static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("no-grant", "Your organization has not granted you access to Roster. Ask an admin."),
            Map.entry("groups-unknown", "Your organization lets people in by their groups, and Roster could not read "
                    + "yours from your identity provider just now. Try again in a few minutes; if it keeps happening, "
                    + "ask an admin."),
            Map.entry("groups-need-graph", "Your organization lets people in by their groups, and you are in more "
                    + "groups than a sign-in can carry: Roster can read them only through Microsoft Graph, which your "
                    + "organization's connection is not set up to use. Ask an admin."),
            Map.entry("unverified-domain", "Your organization has not verified your email domain, so its identity "
                    + "provider cannot sign you in with that address. Ask an admin."),
            Map.entry("claimed-domain", "Your address is in a domain another organization has verified on Roster, "
                    + "so this identity provider cannot sign you in with it: only that organization's identity "
                    + "provider can. Sign in through it, or with your password."),
            Map.entry("link-expired", "This request to link your account was already used. Sign in through your "
                    + "identity provider again."),
            Map.entry("suspended", "Your membership of this organization is suspended. Ask an admin."),
            Map.entry("removed", "You were removed from this organization. Ask an admin to invite you again."),
            Map.entry("not-provisioned", "Your organization adds people through its directory, and you have not been "
                    + "added yet. Ask an admin."),
            Map.entry("invitation-email-mismatch", "You signed in to your identity provider as someone other than the "
                    + "person invited. Sign in as the invited person, or ask for an invitation to your address."),
            Map.entry("invitation-invalid", "The invitation is no longer valid. Ask an admin for a new one."),
            Map.entry("logout-unconfirmed", "You are signed out of Roster. Your identity provider's answer to the "
                    + "sign-out could not be verified, so you may still be signed in there: sign out at your identity "
                    + "provider too."),
            Map.entry("replayed", "This sign-in was already used. Start again from the sign-in page."),
            Map.entry("other-browser", "This sign-in was started in another browser, or more than ten minutes ago, "
                    + "so Roster cannot tell it is yours. Start again from the sign-in page in this browser."),
            Map.entry("test-unknown", "This test login has expired or was answered already. Start a new one from "
                    + "the connection's page."),
            Map.entry("unidentified", "Your identity provider did not send your email address. Ask an admin to "
                    + "check the SSO connection's attribute mapping."));

    private final SsoRouting routing;

    SsoPageController(SsoRouting routing) {
        this.routing = routing;
    }

    @GetMapping("/sso/login")
    String form(@RequestParam(required = false) String email, @RequestParam(required = false) String required,
                @RequestParam(required = false) String returnTo, Model model) {
        model.addAttribute("email", email);
        model.addAttribute("required", required != null);
        model.addAttribute("returnTo", LocalPaths.safe(returnTo).orElse(null));
        return "sso/login";
    }

    @PostMapping("/sso/login")
    String start(@RequestParam(defaultValue = "") String email, @RequestParam(required = false) String returnTo,
                 Model model, HttpServletResponse response) {
        Optional<SsoTarget> target = EmailAddress.parse(email).flatMap(routing::connectionFor);
        if (target.isEmpty()) {
            model.addAttribute("email", email);
            model.addAttribute("returnTo", LocalPaths.safe(returnTo).orElse(null));
            model.addAttribute("error", "No single sign-on is set up for this address. Sign in with your password, "
                    + "or ask your organization's admin.");
            return "sso/login";
        }
        String next = LocalPaths.safe(returnTo).map(p -> "?returnTo=" + java.net.URLEncoder.encode(p,
                java.nio.charset.StandardCharsets.UTF_8)).orElse("");
        // Not a redirect: browsers hold the redirects that follow a form to its form-action ('self'), and this chain
        // ends at the identity provider. A page that moves on by itself is a new navigation.
        response.setHeader("Refresh", "0; url=" + target.get().loginPath() + next);
        model.addAttribute("connectionName", target.get().connectionName());
        model.addAttribute("next", target.get().loginPath() + next);
        return "sso/continue";
    }

    @GetMapping("/sso/error")
    @ResponseStatus(HttpStatus.FORBIDDEN)
    String error(@RequestParam(defaultValue = "invalid") String reason, Model model) {
        model.addAttribute("message", REASONS.getOrDefault(reason, "The sign-in could not be completed: the "
                + "identity provider's response was not accepted. Try again; if it keeps happening, ask an admin "
                + "(the audit log says why)."));
        model.addAttribute("reason", REASONS.containsKey(reason) ? reason : "invalid");
        return "sso/error";
    }
}
