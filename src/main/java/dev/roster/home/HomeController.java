package dev.roster.home;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.apitoken.ApiTokenService;
import dev.roster.membership.MemberReads;
import dev.roster.membership.OrgAccess;
import dev.roster.membership.TeamGrant;
import dev.roster.organization.Organization;
import dev.roster.organization.OrganizationService;
import dev.roster.resource.ResourceAccess;
import dev.roster.resource.ResourceKind;
import dev.roster.shared.MemberAccess;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;
import dev.roster.shared.RosterUser;
import dev.roster.twofactor.TwoFactorService;

/**
 * The home page: the organizations a person belongs to and, until they have done it or dismissed it, the onboarding
 * checklist built from their organizations' settings: two-factor first where an organization requires it, the
 * profile, two-factor where it is only recommended, an API token, and for each organization the teams they joined and
 * the projects they reach, and its getting-started page if an admin set one. Each item ticks itself.
 */
@Controller
class HomeController {

    private final AccountService accounts;
    private final MemberReads members;
    private final TwoFactorService twoFactor;
    private final ApiTokenService tokens;
    private final OrganizationService organizationSettings;
    private final ResourceAccess access;
    private final OnboardingProgress progress;

    HomeController(AccountService accounts, MemberReads members, TwoFactorService twoFactor,
                   ApiTokenService tokens, OrganizationService organizationSettings, ResourceAccess access,
                   OnboardingProgress progress) {
        this.accounts = accounts;
        this.members = members;
        this.twoFactor = twoFactor;
        this.tokens = tokens;
        this.organizationSettings = organizationSettings;
        this.access = access;
        this.progress = progress;
    }

    /** One step of the checklist; {@code note} says why it matters for this person. */
    record Step(String title, String note, String href, String action, boolean done) {
    }

    @GetMapping("/")
    String home(@AuthenticationPrincipal RosterUser user, Model model) {
        Account account = accounts.get(user.accountId());
        List<OrgAccess> organizations = members.activeOrganizations(user.accountId());
        boolean twoFactorOn = twoFactor.isEnrolled(user.accountId());
        List<String> requiring = organizations.stream().filter(OrgAccess::requireTwoFactor)
                .map(OrgAccess::organizationName).toList();
        Set<String> done = progress.done(user.accountId());
        Step twoFactorStep = new Step("Turn on two-factor authentication", requiring.isEmpty()
                ? "A code from your phone at sign-in keeps a stolen password from being enough."
                : String.join(", ", requiring) + " requires it, before anything else.",
                "/account/two-factor", "Set up two-factor", twoFactorOn);
        List<Step> steps = new ArrayList<>();
        if (!requiring.isEmpty()) {
            steps.add(twoFactorStep);
        }
        steps.add(new Step("Check your profile", "Your name is shown to your organizations as "
                + account.displayName() + ".", "/account/profile", "Edit profile",
                account.updatedAt().isAfter(account.createdAt())));
        if (requiring.isEmpty()) {
            steps.add(twoFactorStep);
        }
        steps.add(new Step("Create an API token", "For the command line and scripts.", "/account/tokens",
                "Create a token", tokens.countUsable(user.accountId()) > 0));
        for (OrgAccess org : organizations) {
            steps.add(new Step("Your teams and projects in " + org.organizationName(), reach(org),
                    "/orgs/" + org.slug() + "/welcome/teams", "See them",
                    done.contains(OnboardingProgress.key(org.organizationId(), OnboardingProgress.TEAMS_SEEN))));
            organizationSettings.find(org.organizationId()).map(Organization::gettingStartedUrl)
                    .ifPresent(guide -> steps.add(new Step("Read " + org.organizationName() + "'s getting-started page",
                            "Your admins wrote it for newcomers.", "/orgs/" + org.slug() + "/welcome/guide",
                            "Open it", done.contains(OnboardingProgress.key(org.organizationId(),
                                    OnboardingProgress.GUIDE_OPENED)))));
        }
        model.addAttribute("account", account);
        model.addAttribute("organizations", organizations);
        model.addAttribute("steps", steps);
        model.addAttribute("showChecklist", !done.contains(OnboardingProgress.DISMISSED)
                && steps.stream().anyMatch(step -> !step.done()));
        return "home/index";
    }

    /** "You are in Platform and Data, and reach 3 projects." */
    private String reach(OrgAccess org) {
        List<String> teams = members.teams(org.organizationId(), org.membershipId()).stream()
                .map(TeamGrant::teamName).toList();
        long projects = access.accessible(org.organizationId(), org.membershipId(), ResourceKind.PROJECT,
                new PageQuery(0, 1)).total();
        String inTeams = teams.isEmpty() ? "You are in no team yet"
                : "You are in " + (teams.size() == 1 ? teams.get(0)
                : String.join(", ", teams.subList(0, teams.size() - 1)) + " and " + teams.get(teams.size() - 1));
        return inTeams + ", and reach " + projects + (projects == 1 ? " project." : " projects.");
    }

    @PostMapping("/onboarding/dismiss")
    String dismiss(@AuthenticationPrincipal RosterUser user, RedirectAttributes redirect) {
        progress.record(user.accountId(), null, OnboardingProgress.DISMISSED);
        redirect.addFlashAttribute("message", "The checklist is dismissed. Your profile, two-factor and API tokens "
                + "are in the menu at the top right.");
        return "redirect:/";
    }

    /** The checklist's link to the organization's overview: ticks "teams and projects". */
    @GetMapping("/orgs/{slug}/welcome/teams")
    @MemberAccess
    String teamsSeen(OrgContext org) {
        progress.record(org.accountId(), org.organizationId(), OnboardingProgress.TEAMS_SEEN);
        return "redirect:/orgs/" + org.slug();
    }

    /** The checklist's link to the organization's getting-started page: ticks it, then goes there. */
    @GetMapping("/orgs/{slug}/welcome/guide")
    @MemberAccess
    String guideOpened(OrgContext org) {
        String guide = organizationSettings.get(org.organizationId()).gettingStartedUrl();
        if (guide == null) {
            throw new NotFoundException(org.organizationName() + " has no getting-started page.");
        }
        progress.record(org.accountId(), org.organizationId(), OnboardingProgress.GUIDE_OPENED);
        return "redirect:" + guide;
    }
}
