package dev.roster.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.micrometer.core.instrument.MeterRegistry;

import dev.roster.shared.RosterException;
import dev.roster.shared.TooManyAttemptsException;
import dev.roster.shared.web.RequestMetrics;
import dev.roster.shared.RosterUser;
import dev.roster.shared.web.RefusedForm;
import dev.roster.twofactor.TwoFactorService;

/** The sign-in pages: email and password, then the second factor when the account has one. */
@Controller
class SignInController {

    private final TwoFactorService twoFactor;
    private final SignInStages stages;
    private final SecurityContextRepository contexts;
    private final ChangeSessionIdAuthenticationStrategy sessionFixation = new ChangeSessionIdAuthenticationStrategy();

    private final RequestCache requests;
    private final SignInThrottleProperties throttling;
    private final MeterRegistry meters;

    SignInController(TwoFactorService twoFactor, SignInStages stages, SecurityContextRepository contexts,
                     RequestCache requests, SignInThrottleProperties throttling, MeterRegistry meters) {
        this.meters = meters;
        this.throttling = throttling;
        this.twoFactor = twoFactor;
        this.stages = stages;
        this.contexts = contexts;
        this.requests = requests;
    }

    @GetMapping("/login")
    String signIn(Model model) {
        model.addAttribute("throttleMinutes", Math.max(1, throttling.window().toMinutes()));
        return "security/sign-in";
    }

    @GetMapping("/login/two-factor")
    String secondFactor() {
        return "security/two-factor";
    }

    @PostMapping("/login/two-factor")
    String verifySecondFactor(@AuthenticationPrincipal RosterUser user, @RequestParam(defaultValue = "") String code,
                              HttpServletRequest request, HttpServletResponse response, Model model) {
        try {
            twoFactor.verify(user.accountId(), code);
        }
        catch (RosterException ex) {
            RequestMetrics.signInFailure(meters, "totp",
                    ex instanceof TooManyAttemptsException ? "locked_out" : "wrong_code");
            RefusedForm.answer(ex, response, model).message("error");
            return "security/two-factor";
        }
        Authentication next = UsernamePasswordAuthenticationToken.authenticated(user, null,
                stages.afterSecondFactor(user));
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(next);
        SecurityContextHolder.setContext(context);
        sessionFixation.onAuthentication(next, request, response);
        contexts.saveContext(context, request, response);
        boolean enrolmentOwed = next.getAuthorities().stream()
                .anyMatch(a -> RosterAuthorities.TWO_FACTOR_ENROLMENT.equals(a.getAuthority()));
        if (enrolmentOwed) {
            return "redirect:/account/two-factor?required";
        }
        // Back to the page that sent them to sign in (an invitation to accept, say), which Spring saved.
        SavedRequest saved = requests.getRequest(request, response);
        if (saved != null) {
            requests.removeRequest(request, response);
            return "redirect:" + saved.getRedirectUrl();
        }
        return "redirect:/";
    }
}
