package dev.roster.twofactor.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.RosterException;
import dev.roster.shared.RosterUser;
import dev.roster.shared.TooManyAttemptsException;
import dev.roster.shared.web.SealedFlash;
import dev.roster.shared.web.RefusedForm;
import dev.roster.twofactor.TwoFactorService;

/**
 * The two-factor page: set up with a QR code (and the secret as text for people who cannot scan), confirm with a
 * code, see the recovery codes once, replace them, or turn two-factor off. People whose organization requires
 * two-factor are sent here right after their password and may reach nothing else until they have confirmed; their
 * next request is then let through by the security layer.
 */
@Controller
@RequestMapping("/account/two-factor")
class TwoFactorPageController {

    /** The flash attribute that carries the recovery codes to their page, sealed. */
    private static final String CODES = "recoveryCodes";

    private final TwoFactorService twoFactor;
    private final SealedFlash sealedFlash;

    TwoFactorPageController(TwoFactorService twoFactor, SealedFlash sealedFlash) {
        this.twoFactor = twoFactor;
        this.sealedFlash = sealedFlash;
    }

    @GetMapping
    String page(@AuthenticationPrincipal RosterUser user, @RequestParam(required = false) String required,
                Model model) {
        return render(user, required != null, model);
    }

    @PostMapping("/begin")
    String begin(@AuthenticationPrincipal RosterUser user, @RequestParam(defaultValue = "false") boolean required,
                 Model model, HttpServletRequest request, HttpServletResponse response) {
        try {
            twoFactor.begin(user.accountId(), TwoFactorApiController.ISSUER);
        }
        catch (RosterException ex) {
            return failed(user, required, "begin", ex, model, response);
        }
        return seeOther(request, required ? "/account/two-factor?required" : "/account/two-factor");
    }

    @PostMapping("/confirm")
    String confirm(@AuthenticationPrincipal RosterUser user, @RequestParam(defaultValue = "") String code,
                   @RequestParam(defaultValue = "false") boolean required, Model model,
                   HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
        try {
            List<String> codes = twoFactor.confirm(user.accountId(), code, actor(user));
            return recoveryCodes(codes, "Two-factor authentication is on", required, request, redirect);
        }
        catch (RosterException ex) {
            return failed(user, required, "confirm", ex, model, response);
        }
    }

    @PostMapping("/recovery-codes")
    String regenerate(@AuthenticationPrincipal RosterUser user, @RequestParam(defaultValue = "") String code,
                      Model model, HttpServletRequest request, HttpServletResponse response,
                      RedirectAttributes redirect) {
        try {
            List<String> codes = twoFactor.regenerateRecoveryCodes(user.accountId(), code, actor(user));
            return recoveryCodes(codes, "New recovery codes", false, request, redirect);
        }
        catch (RosterException ex) {
            return failed(user, false, "regenerate", ex, model, response);
        }
    }

    /**
     * The recovery codes, once: the page the confirm and replace forms lead to. They arrive sealed in the flash of the
     * redirect; a refresh, or coming back later, finds none and leads to the two-factor page.
     */
    @GetMapping("/recovery-codes")
    String shownCodes(Model model) {
        if (!(model.getAttribute(CODES) instanceof String codes)) {
            return "redirect:/account/two-factor";
        }
        model.addAttribute("codes", List.of(codes.split("\n")));
        model.addAttribute("required", Boolean.TRUE.equals(model.getAttribute("required")));
        return "twofactor/recovery-codes";
    }

    @PostMapping("/disable")
    String disable(@AuthenticationPrincipal RosterUser user, @RequestParam(defaultValue = "") String code,
                   Model model, HttpServletRequest request, HttpServletResponse response,
                   RedirectAttributes redirect) {
        try {
            twoFactor.disable(user.accountId(), code, actor(user));
        }
        catch (RosterException ex) {
            return failed(user, false, "disable", ex, model, response);
        }
        redirect.addFlashAttribute("message", "Two-factor authentication is off. Your recovery codes no longer work.");
        return seeOther(request, "/account/two-factor");
    }

    /**
     * Post/redirect/get: the codes go to the page after the redirect (sealed: flash attributes live in the session, and
     * sessions in the database), so a refresh neither confirms again nor makes another set of codes.
     */
    private String recoveryCodes(List<String> codes, String title, boolean required, HttpServletRequest request,
                                 RedirectAttributes redirect) {
        sealedFlash.put(redirect, CODES, String.join("\n", codes));
        redirect.addFlashAttribute("title", title);
        redirect.addFlashAttribute("required", required);
        return seeOther(request, "/account/two-factor/recovery-codes");
    }

    /**
     * A redirect after a POST answered 303 See Other, which tells every client to follow with a GET (302 only does so
     * by custom), so a refresh of the page it leads to repeats only that GET.
     */
    private static String seeOther(HttpServletRequest request, String path) {
        request.setAttribute(View.RESPONSE_STATUS_ATTRIBUTE, HttpStatus.SEE_OTHER);
        return "redirect:" + path;
    }

    /** Shows the page again with the error next to the form ({@code form}) that caused it. */
    private String failed(RosterUser user, boolean required, String form, RosterException ex, Model model,
                          HttpServletResponse response) {
        RefusedForm refused = RefusedForm.answer(ex, response, model);
        if (ex instanceof TooManyAttemptsException tooMany) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, tooMany.retryAfter().toSeconds())));
        }
        // A wrong code is shown next to the code field of the form it was typed into; anything else at the top.
        if (ex.fieldErrors().containsKey("code") || ex instanceof TooManyAttemptsException) {
            refused.message("codeError").keep("errorFor", form);
        }
        else {
            refused.message("error");
        }
        return render(user, required, model);
    }

    private String render(RosterUser user, boolean required, Model model) {
        TwoFactorService.Status status = twoFactor.status(user.accountId());
        model.addAttribute("status", status);
        model.addAttribute("required", !status.enabled() && (required || !status.requiredBy().isEmpty()));
        model.addAttribute("enrolment", status.pending()
                ? twoFactor.pending(user.accountId(), TwoFactorApiController.ISSUER).orElse(null) : null);
        return "twofactor/two-factor";
    }

    private static Actor actor(RosterUser user) {
        return Actor.account(user.accountId(), user.email(), Channel.UI);
    }
}
