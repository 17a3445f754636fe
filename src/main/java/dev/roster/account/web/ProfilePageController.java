package dev.roster.account.web;

import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.RosterException;
import dev.roster.shared.RosterUser;
import dev.roster.shared.web.RefusedForm;

/** The profile page: the name organizations see, and the password. */
@Controller
@RequestMapping("/account")
class ProfilePageController {

    private final AccountService accounts;

    ProfilePageController(AccountService accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/profile")
    String page(@AuthenticationPrincipal RosterUser user, Model model) {
        return render(user, null, Map.of(), model);
    }

    @PostMapping("/profile")
    String updateProfile(@AuthenticationPrincipal RosterUser user, @RequestParam(defaultValue = "") String displayName,
                         Model model, HttpServletResponse response, RedirectAttributes redirect) {
        try {
            accounts.updateProfile(user.accountId(), displayName, actor(user));
        }
        catch (RosterException ex) {
            return failed(user, displayName, ex, model, response);
        }
        redirect.addFlashAttribute("message", "Your name is saved.");
        return "redirect:/account/profile";
    }

    @PostMapping("/password")
    String changePassword(@AuthenticationPrincipal RosterUser user,
                          @RequestParam(required = false) String currentPassword,
                          @RequestParam(defaultValue = "") String newPassword,
                          @RequestParam(defaultValue = "") String confirmPassword,
                          Model model, HttpServletResponse response, RedirectAttributes redirect) {
        try {
            if (!newPassword.equals(confirmPassword)) {
                throw InvalidRequestException.field("confirmPassword", "The two new passwords are not the same.");
            }
            accounts.changePassword(user.accountId(), currentPassword, newPassword, actor(user));
        }
        catch (RosterException ex) {
            return failed(user, null, ex, model, response);
        }
        redirect.addFlashAttribute("message", "Your password is changed. You are signed out everywhere else.");
        return "redirect:/account/profile";
    }

    private String failed(RosterUser user, String displayName, RosterException ex, Model model,
                          HttpServletResponse response) {
        RefusedForm.answer(ex, response, model).messageUnlessFieldErrors("error");
        return render(user, displayName, ex.fieldErrors(), model);
    }

    private String render(RosterUser user, String displayName, Map<String, String> fieldErrors, Model model) {
        Account account = accounts.get(user.accountId());
        model.addAttribute("account", account);
        model.addAttribute("displayName", displayName == null ? account.displayName() : displayName);
        model.addAttribute("fieldErrors", fieldErrors);
        return "account/profile";
    }

    private static Actor actor(RosterUser user) {
        return Actor.account(user.accountId(), user.email(), Channel.UI);
    }
}
