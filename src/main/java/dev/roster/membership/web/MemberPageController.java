package dev.roster.membership.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.MemberReads.MemberFilter;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.TeamPicker;
import dev.roster.membership.TeamService;
import dev.roster.membership.GrantSource;
import dev.roster.shared.Ids;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.RosterException;
import dev.roster.shared.web.Confirmation;
import dev.roster.shared.web.Htmx;
import dev.roster.shared.web.PageLinks;
import dev.roster.shared.web.RefusedForm;

/**
 * Manage → Members: the member list (searched and paged in the database, so it stays quick at ten thousand members)
 * and one member's page, where an admin changes the admin flag, suspends, reactivates, edits teams and removes. Every
 * change goes through {@link MembershipService}; the ones that take something away ask first.
 */
@Controller
@RequestMapping("/orgs/{slug}/manage")
class MemberPageController {

    static final int PAGE_SIZE = 50;
    /** The field the "Keep as admin" form carries, so a grant confirmed as keeping is not taken as a promotion. */
    static final String KEEP = "yes";
    /** Teams shown per member in the list; the member's page shows them all. */
    static final int TEAMS_IN_LIST = 3;

    private final MemberReads directory;
    private final MembershipService memberships;
    private final TeamService teams;

    MemberPageController(MemberReads directory, MembershipService memberships, TeamService teams) {
        this.directory = directory;
        this.memberships = memberships;
        this.teams = teams;
    }

    /** A member as a list row or page heading. */
    record Row(UUID id, String name, String email, boolean admin, MemberLabels.AdminRole adminRole, String status,
               String source, String sourceHint, List<MemberLabels.Grant> teams, int moreTeams, Instant joined) {

        static Row of(Member member, int teamLimit) {
            List<MemberLabels.Grant> grants = member.teams().stream().map(MemberLabels.Grant::of).toList();
            int shown = Math.min(grants.size(), teamLimit);
            return new Row(member.id(), member.displayName(), member.email(), member.admin(),
                    MemberLabels.AdminRole.of(member), MemberLabels.status(member.status()),
                    MemberLabels.source(member.source()), MemberLabels.sourceHint(member.source()),
                    grants.subList(0, shown), grants.size() - shown, member.joinedAt());
        }

        public boolean suspended() {
            return "Suspended".equals(status);
        }
    }

    @GetMapping
    String manage(OrgContext org) {
        return "redirect:/orgs/" + org.slug() + "/manage/members";
    }

    @GetMapping("/members")
    String list(OrgContext org, @RequestParam(required = false) String q,
                @RequestParam(required = false) String status, @RequestParam(required = false) String role,
                @RequestParam(required = false) String team, @RequestParam(required = false) Integer page,
                Model model, HttpServletRequest request) {
        MembershipStatus wantedStatus = switch (status == null ? "" : status) {
            case "active" -> MembershipStatus.ACTIVE;
            case "suspended" -> MembershipStatus.SUSPENDED;
            default -> null;
        };
        Boolean admin = switch (role == null ? "" : role) {
            case "admin" -> Boolean.TRUE;
            case "member" -> Boolean.FALSE;
            default -> null;
        };
        UUID teamId = team == null ? null : Ids.parse(team).orElse(null);
        PageResult<Member> result = directory.list(org.organizationId(), new MemberFilter(q, wantedStatus, admin, teamId),
                new PageQuery(page == null ? 0 : Math.max(page, 0), PAGE_SIZE));
        model.addAttribute("org", org);
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("status", wantedStatus == null ? "" : status);
        model.addAttribute("role", admin == null ? "" : role);
        model.addAttribute("team", teamId == null ? "" : teamId.toString());
        model.addAttribute("filtered", (q != null && !q.isBlank()) || wantedStatus != null || admin != null
                || teamId != null);
        model.addAttribute("rows", result.items().stream().map(m -> Row.of(m, TEAMS_IN_LIST)).toList());
        model.addAttribute("links", PageLinks.of(result, request));
        if (Htmx.wantsFragment(request)) {
            return "membership/members :: results";
        }
        List<String> chosen = teamId == null ? List.of() : List.of(teamId.toString());
        model.addAttribute("teamPicker", TeamPicker.select("team", "team", TeamPicker.Value.ID, "", "Any",
                teams.choices(org.organizationId(), chosen), chosen));
        return "membership/members";
    }

    @GetMapping("/members/{id}")
    String member(OrgContext org, @PathVariable String id, Model model) {
        Member member = require(org, id);
        Set<UUID> held = member.teams().stream().map(g -> g.teamId()).collect(Collectors.toSet());
        model.addAttribute("org", org);
        model.addAttribute("member", Row.of(member, Integer.MAX_VALUE));
        model.addAttribute("self", member.id().equals(org.membershipId()));
        // A directory's admin is offered the grant by hand (to keep them one), not a demotion it would refuse.
        boolean offerGrant = !member.admin() || MemberLabels.AdminRole.of(member).onlyByDirectory();
        model.addAttribute("confirmAdmin", adminConfirmation(org, member, offerGrant));
        model.addAttribute("confirmSuspend", suspendConfirmation(org, member));
        model.addAttribute("confirmRemove", removeConfirmation(org, member));
        TeamPicker picker = TeamPicker.select("teamId", "teamId", TeamPicker.Value.ID, "", "Choose a team",
                teams.choices(org.organizationId(), List.of()), List.of()).excluding(held);
        model.addAttribute("teamPicker", model.containsAttribute("teamError") ? picker.withError("team-error") : picker);
        return "membership/member";
    }

    @PostMapping("/members/{id}/admin")
    String setAdmin(OrgContext org, @PathVariable String id, @RequestParam boolean admin,
                    @RequestParam(required = false) String keep, @RequestParam(required = false) String confirmed,
                    Model model, RedirectAttributes redirect) {
        Member member = require(org, id);
        boolean self = member.id().equals(org.membershipId());
        // A demotion that only a directory's grant stands against (posted without the dialog from a page older than
        // the change, or by hand) is not asked about: the service refuses it, and the refusal says where to change it.
        boolean refusedAnyway = !admin && MemberLabels.AdminRole.of(member).onlyByDirectory();
        // "Keep as admin" was confirmed about someone the directory made an admin. If the directory has let them go
        // since, the same grant makes them an admin anew, which that dialog did not say: ask as before a promotion.
        boolean keptNoLonger = admin && KEEP.equals(keep) && !member.admin();
        if (keptNoLonger || (!refusedAnyway && !Confirmation.given(confirmed))) {
            model.addAttribute("org", org);
            return adminConfirmation(org, member, admin).show(model);
        }
        Membership result;
        try {
            result = memberships.setAdmin(org.organizationId(), member.id(), admin, org.actor());
        }
        catch (RosterException ex) {
            return failed(org, member, ex, redirect);
        }
        if (!admin && result.admin()) {
            // Only the admin's own grant is withdrawn: an identity provider makes them an admin too.
            redirect.addFlashAttribute("message", "Only the admin rights given here by hand are withdrawn: "
                    + member.displayName() + " stays an admin through your identity provider ("
                    + MemberLabels.directories(member.adminSources()) + ") for as long as it grants it.");
            return "redirect:" + memberPath(org, member.id());
        }
        if (admin && MemberLabels.AdminRole.of(member).onlyByDirectory()) {
            // A directory's admin: the grant by hand now keeps them one.
            redirect.addFlashAttribute("message", member.displayName() + " stays an admin if the identity provider "
                    + "stops granting it: admin rights are now given here by hand as well.");
            return "redirect:" + memberPath(org, member.id());
        }
        if (self && !admin) {
            redirect.addFlashAttribute("message", "You are no longer an admin of " + org.organizationName() + ".");
            return "redirect:/orgs/" + org.slug();
        }
        redirect.addFlashAttribute("message", admin ? member.displayName() + " is now an admin."
                : member.displayName() + " is no longer an admin.");
        return "redirect:" + memberPath(org, member.id());
    }

    @PostMapping("/members/{id}/suspend")
    String suspend(OrgContext org, @PathVariable String id, @RequestParam(required = false) String confirmed,
                   Model model, RedirectAttributes redirect) {
        Member member = require(org, id);
        if (!Confirmation.given(confirmed)) {
            model.addAttribute("org", org);
            return suspendConfirmation(org, member).show(model);
        }
        try {
            memberships.suspend(org.organizationId(), member.id(), org.actor());
        }
        catch (RosterException ex) {
            return failed(org, member, ex, redirect);
        }
        if (member.id().equals(org.membershipId())) {
            return "redirect:/";
        }
        redirect.addFlashAttribute("message", member.displayName() + " is suspended.");
        return "redirect:" + memberPath(org, member.id());
    }

    @PostMapping("/members/{id}/reactivate")
    String reactivate(OrgContext org, @PathVariable String id, RedirectAttributes redirect) {
        Member member = require(org, id);
        try {
            memberships.reactivate(org.organizationId(), member.id(), org.actor());
        }
        catch (RosterException ex) {
            return failed(org, member, ex, redirect);
        }
        redirect.addFlashAttribute("message", member.displayName() + " is active again, with the same teams.");
        return "redirect:" + memberPath(org, member.id());
    }

    @PostMapping("/members/{id}/remove")
    String remove(OrgContext org, @PathVariable String id, @RequestParam(required = false) String confirmed,
                  Model model, RedirectAttributes redirect) {
        Member member = require(org, id);
        if (!Confirmation.given(confirmed)) {
            model.addAttribute("org", org);
            return removeConfirmation(org, member).show(model);
        }
        try {
            memberships.remove(org.organizationId(), member.id(), org.actor());
        }
        catch (RosterException ex) {
            return failed(org, member, ex, redirect);
        }
        if (member.id().equals(org.membershipId())) {
            return "redirect:/";
        }
        redirect.addFlashAttribute("message", member.displayName() + " (" + member.email()
                + ") is removed from " + org.organizationName() + ".");
        return "redirect:/orgs/" + org.slug() + "/manage/members";
    }

    @PostMapping("/members/{id}/teams")
    String addTeam(OrgContext org, @PathVariable String id, @RequestParam(defaultValue = "") String teamId,
                   RedirectAttributes redirect) {
        Member member = require(org, id);
        UUID team = Ids.parse(teamId).orElse(null);
        if (team == null) {
            redirect.addFlashAttribute("teamError", "Choose a team to add " + member.displayName() + " to.");
            return "redirect:" + memberPath(org, member.id()) + "#teams-heading";
        }
        try {
            memberships.grantTeam(org.organizationId(), member.id(), team, GrantSource.MANUAL, org.actor());
            redirect.addFlashAttribute("message", member.displayName() + " is now in "
                    + teams.get(org.organizationId(), team).name() + ".");
        }
        catch (RosterException ex) {
            redirect.addFlashAttribute("teamError", ex.getMessage());
        }
        return "redirect:" + memberPath(org, member.id());
    }

    @PostMapping("/members/{id}/teams/{teamId}/remove")
    String removeTeam(OrgContext org, @PathVariable String id, @PathVariable String teamId,
                      RedirectAttributes redirect) {
        Member member = require(org, id);
        UUID team = Ids.parse(teamId).orElseThrow(() -> new NotFoundException("Team not found."));
        try {
            String name = teams.get(org.organizationId(), team).name();
            memberships.revokeTeam(org.organizationId(), member.id(), team, GrantSource.MANUAL, org.actor());
            boolean stillIn = directory.teams(org.organizationId(), member.id()).stream()
                    .anyMatch(g -> g.teamId().equals(team));
            redirect.addFlashAttribute("message", stillIn
                    ? "You removed your own grant, but " + member.displayName() + " stays in " + name
                    + " through the identity provider."
                    : member.displayName() + " is no longer in " + name + ".");
        }
        catch (RosterException ex) {
            redirect.addFlashAttribute("teamError", ex.getMessage());
        }
        return "redirect:" + memberPath(org, member.id());
    }

    /**
     * Asks before the admin flag changes, saying what the change gives or takes away. For a member only a directory
     * makes an admin, granting it is keeping them one: the admin's grant outlasts the directory's.
     */
    static Confirmation adminConfirmation(OrgContext org, Member member, boolean admin) {
        String name = member.displayName();
        String path = memberPath(org, member.id());
        String directories = MemberLabels.directories(member.adminSources());
        if (admin && MemberLabels.AdminRole.of(member).onlyByDirectory()) {
            return new Confirmation("Keep " + name + " an admin if the identity provider stops granting it?",
                    List.of(name + " is an admin through your identity provider (" + directories + ") for as long "
                            + "as it grants it.", "With admin rights given here by hand as well, " + name + " stays "
                            + "an admin when it stops, until an admin of " + org.organizationName()
                            + " withdraws them here."),
                    path + "/admin", Map.of("admin", "true", "keep", KEEP), "Keep as admin", false, path);
        }
        if (admin) {
            return new Confirmation("Make " + name + " an admin?", List.of(name + " will be able to invite and "
                    + "remove members, make other people admins or take it away, change teams and resources, and "
                    + "read the audit log of " + org.organizationName() + "."),
                    path + "/admin", Map.of("admin", "true"), "Make admin", false, path);
        }
        if (member.adminManagedByDirectory()) {
            // setAdmin withdraws only the admin's own grant: the directory's keeps them an admin.
            return new Confirmation("Withdraw the admin rights given to " + name + " by hand?",
                    List.of("Only the admin rights given here by hand are withdrawn. " + name + " stays an admin "
                            + "through your identity provider (" + directories + ") for as long as it grants it; "
                            + "change it there to end them."),
                    path + "/admin", Map.of("admin", "false"), "Withdraw the admin rights given by hand", true, path);
        }
        List<String> details = new ArrayList<>();
        details.add(name + " stays a member, with the same teams, but can no longer manage "
                + org.organizationName() + ".");
        if (member.id().equals(org.membershipId())) {
            details.add("This is you: you will lose access to these pages as soon as you confirm.");
        }
        return new Confirmation("Take admin rights away from " + name + "?", details, path + "/admin",
                Map.of("admin", "false"), "Remove admin rights", true, path);
    }

    static Confirmation suspendConfirmation(OrgContext org, Member member) {
        return new Confirmation("Suspend " + member.displayName() + "?",
                List.of(member.displayName() + " immediately loses access to " + org.organizationName()
                                + " and everything it shares.",
                        "Their teams are kept, so reactivating them later restores everything."),
                memberPath(org, member.id()) + "/suspend", Map.of(), "Suspend", true, memberPath(org, member.id()));
    }

    static Confirmation removeConfirmation(OrgContext org, Member member) {
        List<String> details = new ArrayList<>();
        details.add(member.displayName() + " (" + member.email() + ") loses access to " + org.organizationName()
                + " immediately.");
        if (!member.teams().isEmpty()) {
            details.add("They leave " + (member.teams().size() == 1 ? "their team: " : "their "
                    + member.teams().size() + " teams: ")
                    + member.teams().stream().map(g -> g.teamName()).collect(Collectors.joining(", ")) + ".");
        }
        details.add("Their personal resources stay with the organization. To bring them back, invite them again.");
        if (member.id().equals(org.membershipId())) {
            details.add("This is you: you are leaving the organization.");
        }
        return new Confirmation("Remove " + member.displayName() + " from " + org.organizationName() + "?", details,
                memberPath(org, member.id()) + "/remove", Map.of(), "Remove member", true,
                memberPath(org, member.id()));
    }

    private String failed(OrgContext org, Member member, RosterException ex, RedirectAttributes redirect) {
        RefusedForm.rethrowIfNotFound(ex);
        redirect.addFlashAttribute("error", ex.getMessage());
        return "redirect:" + memberPath(org, member.id());
    }

    private Member require(OrgContext org, String id) {
        return Ids.parse(id).flatMap(memberId -> directory.member(org.organizationId(), memberId))
                .orElseThrow(() -> new NotFoundException("Member not found."));
    }

    static String memberPath(OrgContext org, UUID memberId) {
        return "/orgs/" + org.slug() + "/manage/members/" + memberId;
    }
}
