package dev.roster.invitation.web;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

import dev.roster.invitation.AcceptedInvitation;
import dev.roster.invitation.InvitationAcceptance;
import dev.roster.invitation.InvitationPreview;
import dev.roster.security.SignInStages;
import dev.roster.shared.RosterException;
import dev.roster.shared.RosterUser;
import dev.roster.shared.web.DisplayTime;
import dev.roster.shared.web.RefusedForm;

/**
 * The page an invitation email links to. Someone without an account creates one there and is signed in; someone
 * with an account signs in (the sign-in page brings them back through {@code /account/invitations/accept}, which
 * requires a full sign-in) and then accepts.
 */
@Controller
class InvitationPageController {

    private static final String PAGE = "invitation/accept";
    private static final String UNAVAILABLE = "invitation/unavailable";

    private final InvitationAcceptance acceptance;
    private final SignInStages stages;
    private final SecurityContextRepository contexts;
    private final ChangeSessionIdAuthenticationStrategy sessionFixation = new ChangeSessionIdAuthenticationStrategy();

    InvitationPageController(InvitationAcceptance acceptance, SignInStages stages, SecurityContextRepository contexts) {
        this.acceptance = acceptance;
        this.stages = stages;
        this.contexts = contexts;
    }

    @GetMapping("/invitations/accept")
    String page(@RequestParam(required = false) String token, Authentication authentication, Model model,
                HttpServletResponse response) {
        return show(token, authentication, model, response);
    }

    @PostMapping("/invitations/accept")
    String createAccount(@RequestParam(defaultValue = "") String token,
                         @RequestParam(defaultValue = "") String displayName,
                         @RequestParam(defaultValue = "") String password,
                         @RequestParam(defaultValue = "") String passwordConfirmation,
                         Authentication authentication, HttpServletRequest request, HttpServletResponse response,
                         Model model, RedirectAttributes redirect) {
        model.addAttribute("displayName", displayName);
        if (!password.equals(passwordConfirmation)) {
            model.addAttribute("fieldErrors", Map.of("passwordConfirmation", "The two passwords are not the same."));
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return show(token, authentication, model, response);
        }
        AcceptedInvitation accepted;
        try {
            accepted = acceptance.acceptWithNewAccount(token, displayName, password);
        }
        catch (RosterException ex) {
            return failed(ex, token, authentication, model, response);
        }
        redirect.addFlashAttribute("message", welcome(accepted));
        return signIn(accepted, request, response);
    }

    /** Reached only fully signed in; the sign-in page returns people here, and they go on to the invitation. */
    @GetMapping("/account/invitations/accept")
    String afterSignIn(@RequestParam(required = false) String token) {
        return "redirect:" + UriComponentsBuilder.fromPath("/invitations/accept").queryParam("token", token)
                .encode().build().toUriString();
    }

    @PostMapping("/account/invitations/accept")
    String acceptSignedIn(@AuthenticationPrincipal RosterUser user, @RequestParam(defaultValue = "") String token,
                          Authentication authentication, Model model, HttpServletResponse response,
                          RedirectAttributes redirect) {
        AcceptedInvitation accepted;
        try {
            accepted = acceptance.acceptAsAccount(token, user.accountId());
        }
        catch (RosterException ex) {
            return failed(ex, token, authentication, model, response);
        }
        redirect.addFlashAttribute("message", welcome(accepted));
        return "redirect:/";
    }

    /** Shown on the home page people land on, above the onboarding checklist. */
    private static String welcome(AcceptedInvitation accepted) {
        return "You joined " + accepted.organizationName() + ".";
    }

    private String show(String token, Authentication authentication, Model model, HttpServletResponse response) {
        InvitationPreview invitation;
        try {
            invitation = acceptance.preview(token);
        }
        catch (RosterException ex) {
            return unavailable(ex, model, response);
        }
        Optional<RosterUser> user = fullySignedIn(authentication);
        Optional<InvitationAcceptance.SsoAcceptance> sso = acceptance.ssoAcceptance(token);
        String mode;
        if (sso.isPresent()) {
            mode = "sso";
            model.addAttribute("sso", sso.get());
        }
        else if (!invitation.accountExists()) {
            mode = "create";
        }
        else if (user.isEmpty()) {
            mode = "sign-in";
        }
        else if (user.get().email().equalsIgnoreCase(invitation.email())) {
            mode = "accept";
        }
        else {
            mode = "other-account";
        }
        model.addAttribute("invitation", invitation);
        model.addAttribute("expiresAt", DisplayTime.inWords(invitation.expiresAt()));
        model.addAttribute("token", token);
        model.addAttribute("mode", mode);
        model.addAttribute("signedInAs", user.map(RosterUser::email).orElse(null));
        if (!model.containsAttribute("fieldErrors")) {
            model.addAttribute("fieldErrors", Map.of());
        }
        return PAGE;
    }

    private String failed(RosterException ex, String token, Authentication authentication, Model model,
                          HttpServletResponse response) {
        if (ex.status() == HttpStatus.NOT_FOUND || ex.status() == HttpStatus.GONE) {
            return unavailable(ex, model, response);
        }
        RefusedForm.answer(ex, response, model).messageUnlessFieldErrors("error");
        if (!ex.fieldErrors().isEmpty()) {
            model.addAttribute("fieldErrors", new HashMap<>(ex.fieldErrors()));
        }
        return show(token, authentication, model, response);
    }

    private static String unavailable(RosterException ex, Model model, HttpServletResponse response) {
        response.setStatus(ex.status().value());
        model.addAttribute("heading", ex.status() == HttpStatus.GONE ? "This invitation can no longer be used"
                : "This invitation link is not valid");
        model.addAttribute("problem", ex.getMessage());
        return UNAVAILABLE;
    }

    private String signIn(AcceptedInvitation accepted, HttpServletRequest request, HttpServletResponse response) {
        RosterUser user = new RosterUser(accepted.accountId(), accepted.email());
        // The account was created a moment ago with a password and no second factor, so it is signed in as after
        // a complete sign-in; an organization that requires two-factor still sends it to enrolment first.
        var authorities = stages.afterSecondFactor(user);
        Authentication authentication = UsernamePasswordAuthenticationToken.authenticated(user, null, authorities);
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        sessionFixation.onAuthentication(authentication, request, response);
        contexts.saveContext(context, request, response);
        return isFull(user, authorities) ? "redirect:/" : "redirect:/account/two-factor?required";
    }

    private Optional<RosterUser> fullySignedIn(Authentication authentication) {
        if (authentication != null && authentication.getPrincipal() instanceof RosterUser user
                && isFull(user, authentication.getAuthorities())) {
            return Optional.of(user);
        }
        return Optional.empty();
    }

    private boolean isFull(RosterUser user, Collection<? extends GrantedAuthority> authorities) {
        return authorities.containsAll(stages.fullySignedIn(user).getAuthorities());
    }
}
