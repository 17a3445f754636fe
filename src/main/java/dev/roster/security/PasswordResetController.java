package dev.roster.security;

import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.roster.shared.RosterException;
import dev.roster.shared.web.RefusedForm;

/** The pages of "Forgot your password?": asking for a link, and choosing the new password through it. */
@Controller
@RequestMapping("/password-reset")
class PasswordResetController {

    private final PasswordResets resets;

    PasswordResetController(PasswordResets resets) {
        this.resets = resets;
    }

    @GetMapping
    String form(@RequestParam(required = false) String email, Model model) {
        model.addAttribute("email", email);
        return "security/password-reset";
    }

    @PostMapping
    String request(@RequestParam(defaultValue = "") String email, Model model) {
        resets.request(email.trim());
        // The same answer for every address, so the page tells nobody who has an account.
        model.addAttribute("sentTo", email.trim());
        model.addAttribute("validFor", resets.validFor());
        return "security/password-reset";
    }

    @GetMapping("/choose")
    String choose(@RequestParam(defaultValue = "") String token, Model model, HttpServletResponse response) {
        Optional<PasswordResets.Reset> reset = resets.find(token);
        if (reset.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_GONE);
            return "security/password-reset-invalid";
        }
        return chooseForm(token, reset.get(), Map.of(), model);
    }

    @PostMapping("/choose")
    String set(@RequestParam(defaultValue = "") String token, @RequestParam(defaultValue = "") String newPassword,
               @RequestParam(defaultValue = "") String confirmPassword, Model model, HttpServletResponse response) {
        try {
            resets.complete(token, newPassword, confirmPassword);
        }
        catch (RosterException ex) {
            Optional<PasswordResets.Reset> reset = resets.find(token);
            if (reset.isEmpty()) {
                response.setStatus(HttpServletResponse.SC_GONE);
                return "security/password-reset-invalid";
            }
            RefusedForm.answer(ex, response, model);
            return chooseForm(token, reset.get(), ex.fieldErrors(), model);
        }
        return "redirect:/login?passwordReset";
    }

    private static String chooseForm(String token, PasswordResets.Reset reset, Map<String, String> fieldErrors,
                                     Model model) {
        model.addAttribute("token", token);
        model.addAttribute("email", reset.account().email());
        model.addAttribute("fieldErrors", fieldErrors);
        return "security/password-reset-choose";
    }
}
