package dev.roster.home;

import java.util.List;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.apitoken.ApiTokenService;
import dev.roster.membership.MemberDirectory;
import dev.roster.membership.OrgAccess;
import dev.roster.shared.RosterUser;
import dev.roster.twofactor.TwoFactorService;

/**
 * The home page: the organizations a person belongs to and, until they have done it, the onboarding checklist in
 * its order: profile, two-factor (required by some organizations, recommended everywhere), an API token.
 */
@Controller
class HomeController {

    private final AccountService accounts;
    private final MemberDirectory members;
    private final TwoFactorService twoFactor;
    private final ApiTokenService tokens;

    HomeController(AccountService accounts, MemberDirectory members, TwoFactorService twoFactor,
                   ApiTokenService tokens) {
        this.accounts = accounts;
        this.members = members;
        this.twoFactor = twoFactor;
        this.tokens = tokens;
    }

    /** One step of the checklist; {@code note} says why it matters for this person. */
    record Step(String title, String note, String href, String action, boolean done) {
    }

    @GetMapping("/")
    String home(@AuthenticationPrincipal RosterUser user, Model model) {
        Account account = accounts.get(user.accountId());
        List<OrgAccess> organizations = members.activeOrganizations(user.accountId());
        boolean twoFactorOn = twoFactor.isEnrolled(user.accountId());
        boolean twoFactorRequired = organizations.stream().anyMatch(OrgAccess::requireTwoFactor);
        List<Step> steps = List.of(
                new Step("Check your profile", "Your name is shown to your organizations as "
                        + account.displayName() + ".", "/account/profile", "Edit profile",
                        account.updatedAt().isAfter(account.createdAt())),
                new Step("Turn on two-factor authentication", twoFactorRequired
                        ? "An organization you belong to requires it."
                        : "A code from your phone at sign-in keeps a stolen password from being enough.",
                        "/account/two-factor", "Set up two-factor", twoFactorOn),
                new Step("Create an API token", "Only if you use scripts or the command line with Roster.",
                        "/account/tokens", "Create a token", tokens.countUsable(user.accountId()) > 0));
        model.addAttribute("account", account);
        model.addAttribute("organizations", organizations);
        model.addAttribute("steps", steps);
        model.addAttribute("showChecklist", steps.stream().anyMatch(step -> !step.done()));
        return "home/index";
    }
}
