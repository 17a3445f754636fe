package dev.roster.membership.web;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.roster.account.AccountService;
import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MemberReads.MemberFilter;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.Team;
import dev.roster.membership.TeamGroupMappings;
import dev.roster.membership.TeamService;
import dev.roster.membership.GrantSource;
import dev.roster.membership.TeamSummary;
import dev.roster.shared.Ids;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.RosterException;
import dev.roster.shared.web.PageLinks;
import dev.roster.shared.web.RefusedForm;

/**
 * Manage → Teams: the list with member counts, creating a team, and one team's page: rename, its members (add by
 * email, remove the grant an admin made; grants an identity provider made are marked and left to it), and deletion
 * after a page that says what it affects.
 */
@Controller
@RequestMapping("/orgs/{slug}/manage/teams")
class TeamPageController {

    static final int PAGE_SIZE = 50;

    private final TeamService teams;
    private final MemberReads directory;
    private final MembershipService memberships;
    private final AccountService accounts;
    private final List<TeamGroupMappings> groupMappings;

    TeamPageController(TeamService teams, MemberReads directory, MembershipService memberships,
                       AccountService accounts, List<TeamGroupMappings> groupMappings) {
        this.teams = teams;
        this.directory = directory;
        this.memberships = memberships;
        this.accounts = accounts;
        this.groupMappings = groupMappings;
    }

    /** A member of the team, with how they are in it: their grant of the team, labelled as on the member pages. */
    record TeamMember(UUID id, String name, String email, boolean suspended, MemberLabels.Grant grant) {

        static TeamMember of(Member member, Team team) {
            MemberLabels.Grant grant = member.teams().stream().filter(g -> g.teamId().equals(team.id()))
                    .map(MemberLabels.Grant::of).findFirst()
                    .orElse(new MemberLabels.Grant(team.id(), team.name(), false, ""));
            return new TeamMember(member.id(), member.displayName(), member.email(),
                    member.status() == MembershipStatus.SUSPENDED, grant);
        }

        public boolean manual() {
            return grant.manual();
        }

        public String directories() {
            return grant.directories();
        }

        public boolean managedByDirectory() {
            return grant.managedByDirectory();
        }
    }

    @GetMapping
    String list(OrgContext org, @RequestParam(required = false) String q, @RequestParam(required = false) Integer page,
                Model model, HttpServletRequest request) {
        return renderList(org, q, page, model, request);
    }

    @PostMapping
    String create(OrgContext org, @RequestParam(defaultValue = "") String name,
                  @RequestParam(defaultValue = "") String description, Model model, HttpServletRequest request,
                  HttpServletResponse response, RedirectAttributes redirect) {
        try {
            Team team = teams.create(org.organizationId(), name, description, org.actor());
            redirect.addFlashAttribute("message", "Team " + team.name() + " is created. Add its members below.");
            return "redirect:" + teamPath(org, team.id());
        }
        catch (RosterException ex) {
            RefusedForm.answer(ex, response, model).fieldErrors("fieldErrors", "name").keep("name", name)
                    .keep("description", description);
            return renderList(org, null, 0, model, request);
        }
    }

    @GetMapping("/{id}")
    String team(OrgContext org, @PathVariable String id, @RequestParam(required = false) Integer page, Model model,
                HttpServletRequest request) {
        return renderTeam(org, require(org, id), page, model, request);
    }

    @PostMapping("/{id}")
    String update(OrgContext org, @PathVariable String id, @RequestParam(defaultValue = "") String name,
                  @RequestParam(defaultValue = "") String description, Model model, HttpServletRequest request,
                  HttpServletResponse response, RedirectAttributes redirect) {
        Team team = require(org, id);
        try {
            Team updated = teams.update(org.organizationId(), team.id(), name, description, org.actor());
            redirect.addFlashAttribute("message", updated.name().equals(team.name()) ? "Team " + updated.name()
                    + " is saved." : "Team " + team.name() + " is now called " + updated.name() + ".");
            return "redirect:" + teamPath(org, team.id());
        }
        catch (RosterException ex) {
            RefusedForm.answer(ex, response, model).fieldErrors("fieldErrors", "name").keep("name", name)
                    .keep("description", description);
            return renderTeam(org, team, 0, model, request);
        }
    }

    @PostMapping("/{id}/members")
    String addMember(OrgContext org, @PathVariable String id, @RequestParam(defaultValue = "") String email,
                     Model model, HttpServletRequest request, HttpServletResponse response,
                     RedirectAttributes redirect) {
        Team team = require(org, id);
        Optional<Membership> membership = email.isBlank() ? Optional.empty()
                : accounts.findByEmail(email.trim()).flatMap(a -> directory.findByAccount(org.organizationId(), a.id()))
                .filter(m -> m.status() != MembershipStatus.REMOVED);
        try {
            if (membership.isEmpty()) {
                throw new NotFoundException(email.isBlank() ? "Enter the email address of a member."
                        : "No member of " + org.organizationName() + " has this address. Invite them first.");
            }
            memberships.grantTeam(org.organizationId(), membership.get().id(), team.id(), GrantSource.MANUAL,
                    org.actor());
        }
        catch (RosterException ex) {
            // The address typed is what was not found, not the page: the form is answered as a bad request.
            RefusedForm.answer(ex, response, model).notFoundAs(HttpStatus.BAD_REQUEST).message("memberError")
                    .keep("email", email);
            return renderTeam(org, team, 0, model, request);
        }
        redirect.addFlashAttribute("message", email.trim() + " is now in " + team.name() + ".");
        return "redirect:" + teamPath(org, team.id());
    }

    @PostMapping("/{id}/members/{memberId}/remove")
    String removeMember(OrgContext org, @PathVariable String id, @PathVariable String memberId,
                        RedirectAttributes redirect) {
        Team team = require(org, id);
        UUID membershipId = Ids.parse(memberId).orElseThrow(() -> new NotFoundException("Member not found."));
        try {
            memberships.revokeTeam(org.organizationId(), membershipId, team.id(), GrantSource.MANUAL, org.actor());
            String who = directory.member(org.organizationId(), membershipId).map(Member::displayName).orElse("They");
            boolean stillIn = directory.teams(org.organizationId(), membershipId).stream()
                    .anyMatch(g -> g.teamId().equals(team.id()));
            redirect.addFlashAttribute("message", stillIn ? who + " stays in " + team.name()
                    + " through the identity provider; your own grant is removed." : who + " is no longer in "
                    + team.name() + ".");
        }
        catch (RosterException ex) {
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        return "redirect:" + teamPath(org, team.id());
    }

    @GetMapping("/{id}/delete")
    String deletePage(OrgContext org, @PathVariable String id, Model model) {
        Team team = require(org, id);
        model.addAttribute("org", org);
        model.addAttribute("team", team);
        model.addAttribute("impact", teams.deletionImpact(org.organizationId(), team.id()));
        return "membership/team-delete";
    }

    @PostMapping("/{id}/delete")
    String delete(OrgContext org, @PathVariable String id, Model model, HttpServletResponse response,
                  RedirectAttributes redirect) {
        Team team = require(org, id);
        try {
            teams.delete(org.organizationId(), team.id(), org.actor());
        }
        catch (RosterException ex) {
            RefusedForm.answer(ex, response, model).message("error");
            return deletePage(org, id, model);
        }
        redirect.addFlashAttribute("message", "Team " + team.name() + " is deleted.");
        return "redirect:/orgs/" + org.slug() + "/manage/teams";
    }

    private String renderList(OrgContext org, String q, Integer page, Model model, HttpServletRequest request) {
        PageResult<TeamSummary> result = teams.list(org.organizationId(), q,
                new PageQuery(page == null ? 0 : Math.max(page, 0), PAGE_SIZE));
        model.addAttribute("org", org);
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("teams", result.items());
        model.addAttribute("links", PageLinks.of(result, request));
        if (!model.containsAttribute("fieldErrors")) {
            model.addAttribute("fieldErrors", Map.of());
        }
        return "membership/teams";
    }

    private String renderTeam(OrgContext org, Team team, Integer page, Model model, HttpServletRequest request) {
        PageResult<Member> members = directory.list(org.organizationId(), new MemberFilter(null, null, null, team.id()),
                new PageQuery(page == null ? 0 : Math.max(page, 0), PAGE_SIZE));
        model.addAttribute("org", org);
        model.addAttribute("team", team);
        model.addAttribute("members", members.items().stream().map(m -> TeamMember.of(m, team)).toList());
        model.addAttribute("links", PageLinks.of(members, request));
        model.addAttribute("mappedGroups", groupMappings.stream()
                .flatMap(source -> source.mappedTo(org.organizationId(), team.id()).stream()).toList());
        if (!model.containsAttribute("name")) {
            model.addAttribute("name", team.name());
            model.addAttribute("description", team.description() == null ? "" : team.description());
        }
        if (!model.containsAttribute("fieldErrors")) {
            model.addAttribute("fieldErrors", Map.of());
        }
        return "membership/team";
    }

    private Team require(OrgContext org, String id) {
        UUID teamId = Ids.parse(id).orElseThrow(() -> new NotFoundException("Team not found."));
        return teams.get(org.organizationId(), teamId);
    }

    static String teamPath(OrgContext org, UUID teamId) {
        return "/orgs/" + org.slug() + "/manage/teams/" + teamId;
    }
}
