package dev.roster.resource.web;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;

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
import dev.roster.membership.MemberReads.MemberFilter;
import dev.roster.membership.MembershipStatus;
import dev.roster.resource.AccessDecision;
import dev.roster.resource.Collaborator;
import dev.roster.resource.CollaboratorRole;
import dev.roster.resource.Collaborators;
import dev.roster.membership.TeamPicker;
import dev.roster.membership.TeamService;
import dev.roster.resource.OwnerType;
import dev.roster.resource.QuotaUsage;
import dev.roster.resource.Quotas;
import dev.roster.resource.ResourceKind;
import dev.roster.resource.ResourceService;
import dev.roster.resource.Resource;
import dev.roster.resource.ResourceAccess;
import dev.roster.shared.ForbiddenException;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.MemberAccess;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.RosterException;
import dev.roster.shared.web.Confirmation;
import dev.roster.shared.web.RefusedForm;
import dev.roster.shared.web.WireNames;

/**
 * A resource's own page: what it is, why the viewer reaches it, and for those who manage it (admins, its owner,
 * owner-role collaborators, maintainers of the owning team) its collaborators, with a form to add one and each one's
 * role to change or remove. Every form posts and redirects back, and works without script.
 */
@Controller
@MemberAccess
@RequestMapping("/orgs/{slug}/resources/{id}")
class ResourcePageController {

    /** How many members the picker lists before a search is needed. */
    static final int PICKER_SIZE = 200;

    private final Collaborators collaborators;
    private final ResourceAccess access;
    private final MemberReads members;
    private final Quotas quotas;
    private final ResourceService resources;
    private final TeamService teams;

    ResourcePageController(Collaborators collaborators, ResourceAccess access, MemberReads members,
                           Quotas quotas, ResourceService resources, TeamService teams) {
        this.collaborators = collaborators;
        this.access = access;
        this.members = members;
        this.quotas = quotas;
        this.resources = resources;
        this.teams = teams;
    }

    record RoleChoice(String value, String label) {
    }

    record MemberChoice(UUID id, String label) {

        /** "Name <address>" for an admin, the name alone for anyone else (see {@link #addMemberChoices}). */
        static MemberChoice of(Member member, boolean withAddress) {
            boolean named = member.displayName() != null && !member.displayName().isBlank();
            if (!withAddress) {
                return new MemberChoice(member.id(), named ? member.displayName() : "A member without a name");
            }
            return new MemberChoice(member.id(), named ? member.displayName() + " <" + member.email() + ">"
                    : member.email());
        }
    }

    record Row(Collaborator collaborator, String role, Confirmation removal) {
    }

    static final List<RoleChoice> ROLES = List.of(new RoleChoice("viewer", "Viewer"),
            new RoleChoice("editor", "Editor"), new RoleChoice("owner", "Owner (also manages collaborators)"));

    @GetMapping
    String page(OrgContext org, @PathVariable String id, @RequestParam(defaultValue = "") String memberQuery,
                Model model) {
        return render(org, resourceId(id), memberQuery, null, model);
    }

    /**
     * The member picker's search: the {@code <select>} again, with the members matching what was typed and the one
     * already chosen. Only for those who manage the resource's collaborators; anyone else learns nothing (404).
     */
    @GetMapping("/member-choices")
    String memberChoices(OrgContext org, @PathVariable String id, @RequestParam(defaultValue = "") String memberQuery,
                         @RequestParam(defaultValue = "") String member, Model model) {
        UUID resourceId = resourceId(id);
        if (!collaborators.standing(org.organizationId(), resourceId, org.membershipId()).manages()) {
            throw new NotFoundException("Resource not found.");
        }
        addMemberChoices(org, memberQuery, Ids.parse(member.trim()).orElse(null), model);
        model.addAttribute("fieldErrors", Map.of());
        return "resource/resource :: member-control";
    }

    /**
     * The members the picker offers. Admins read the member list anyway, so they search names and addresses and see
     * both; anyone else who manages collaborators (an owner, a team's maintainer) may not read the member list, so
     * they search names only and see names only, and add a member without a name by their address.
     */
    private void addMemberChoices(OrgContext org, String memberQuery, UUID chosen, Model model) {
        String query = memberQuery.length() > 100 ? memberQuery.substring(0, 100) : memberQuery;
        PageQuery first = new PageQuery(0, PICKER_SIZE);
        PageResult<Member> found = org.admin()
                ? members.list(org.organizationId(), new MemberFilter(query.isBlank() ? null : query,
                        MembershipStatus.ACTIVE, null, null), first)
                : members.namedMembers(org.organizationId(), query, first);
        List<MemberChoice> choices = new java.util.ArrayList<>(found.items().stream()
                .map(m -> MemberChoice.of(m, org.admin())).toList());
        if (chosen != null && choices.stream().noneMatch(c -> c.id().equals(chosen))) {
            // The member chosen before this search stays on offer, so typing again does not lose the choice.
            members.member(org.organizationId(), chosen)
                    .filter(m -> m.status() == MembershipStatus.ACTIVE)
                    .filter(m -> org.admin() || (m.displayName() != null && !m.displayName().isBlank()))
                    .ifPresent(m -> choices.add(0, MemberChoice.of(m, org.admin())));
        }
        model.addAttribute("memberChoices", choices);
        model.addAttribute("chosenMember", chosen);
        model.addAttribute("memberChoicesComplete", query.isBlank() && found.total() <= found.items().size());
        model.addAttribute("memberQuery", query);
        model.addAttribute("memberSearchByAddress", org.admin());
    }

    @PostMapping("/collaborators")
    String add(OrgContext org, @PathVariable String id, @RequestParam(defaultValue = "") String member,
               @RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "") String role,
               @RequestParam(required = false) String invite, Model model, HttpServletResponse response,
               RedirectAttributes redirect) {
        UUID resourceId = resourceId(id);
        try {
            if ("yes".equals(invite) && member.isBlank()) {
                Object result = collaborators.addOrInvite(org.organizationId(), resourceId, email, role(role),
                        org.membershipId(), org.actor());
                if (result instanceof Collaborators.Invited invited) {
                    redirect.addFlashAttribute("message", "An invitation to join " + org.organizationName()
                            + " is on its way to " + invited.email() + "; they become " + article(invited.role())
                            + " " + WireNames.of(invited.role()) + " of this resource when they accept.");
                    return "redirect:" + path(org, resourceId);
                }
                Collaborator added = (Collaborator) result;
                redirect.addFlashAttribute("message", added.email() + " is now " + article(added.role()) + " "
                        + WireNames.of(added.role()) + " of this resource.");
                return "redirect:" + path(org, resourceId);
            }
            UUID membershipId = member.isBlank() ? null : Ids.parse(member.trim()).orElseThrow(() ->
                    InvalidRequestException.field("member", "Choose a member from the list."));
            Collaborator added = collaborators.add(org.organizationId(), resourceId,
                    new Collaborators.Target(membershipId, membershipId == null ? email : null), role(role),
                    org.membershipId(), org.actor());
            redirect.addFlashAttribute("message", added.email() + " is now " + article(added.role()) + " "
                    + WireNames.of(added.role()) + " of this resource.");
            return "redirect:" + path(org, resourceId);
        }
        catch (RosterException ex) {
            RefusedForm.answer(ex, response, model).fieldErrors("fieldErrors", "member").message("formError")
                    .keep("email", email).keep("chosenRole", role);
            return render(org, resourceId, "", Ids.parse(member.trim()).orElse(null), model);
        }
    }

    @PostMapping("/collaborators/{memberId}/role")
    String changeRole(OrgContext org, @PathVariable String id, @PathVariable String memberId,
                      @RequestParam(defaultValue = "") String role, RedirectAttributes redirect) {
        UUID resourceId = resourceId(id);
        try {
            Collaborator changed = collaborators.changeRole(org.organizationId(), resourceId, memberId(memberId),
                    role(role), org.membershipId(), org.actor());
            redirect.addFlashAttribute("message", changed.email() + " is now " + article(changed.role()) + " "
                    + WireNames.of(changed.role()) + ".");
        }
        catch (RosterException ex) {
            if (ex instanceof NotFoundException && isResourceMissing(org, resourceId)) {
                throw ex;
            }
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        return "redirect:" + path(org, resourceId);
    }

    @PostMapping("/collaborators/{memberId}/remove")
    String remove(OrgContext org, @PathVariable String id, @PathVariable String memberId,
                  @RequestParam(required = false) String confirmed, Model model, RedirectAttributes redirect) {
        UUID resourceId = resourceId(id);
        UUID membershipId = memberId(memberId);
        if (!Confirmation.given(confirmed)) {
            Collaborators.Standing standing = collaborators.standing(org.organizationId(), resourceId,
                    org.membershipId());
            Collaborator collaborator = collaborators.list(org.organizationId(), resourceId, org.membershipId())
                    .stream().filter(c -> c.membershipId().equals(membershipId)).findFirst()
                    .orElseThrow(() -> new NotFoundException("This member is not a collaborator of this resource."));
            model.addAttribute("org", org);
            return removal(org, standing.resource(), collaborator).show(model);
        }
        try {
            collaborators.remove(org.organizationId(), resourceId, membershipId, org.membershipId(), org.actor());
            redirect.addFlashAttribute("message", "The collaborator is removed.");
        }
        catch (RosterException ex) {
            if (ex instanceof NotFoundException && isResourceMissing(org, resourceId)) {
                throw ex;
            }
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        return "redirect:" + path(org, resourceId);
    }

    /** Admins set a team's quota on this environment. */
    @PostMapping("/quotas")
    String setQuota(OrgContext org, @PathVariable String id, @RequestParam(defaultValue = "") String team,
                    @RequestParam(defaultValue = "") String maxConcurrent, RedirectAttributes redirect) {
        UUID resourceId = resourceId(id);
        requireAdmin(org);
        try {
            UUID teamId = Ids.parse(team).orElseThrow(() -> InvalidRequestException.field("team", "Choose a team."));
            QuotaUsage set = quotas.set(org.organizationId(), teamId, resourceId, number(maxConcurrent,
                    "maxConcurrent"), org.actor());
            redirect.addFlashAttribute("message", set.teamName() + " may now hold " + set.maxConcurrent()
                    + " at once here.");
        }
        catch (RosterException ex) {
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        return "redirect:" + path(org, resourceId) + "#quotas-heading";
    }

    @PostMapping("/quotas/{teamId}/remove")
    String removeQuota(OrgContext org, @PathVariable String id, @PathVariable String teamId,
                       RedirectAttributes redirect) {
        UUID resourceId = resourceId(id);
        requireAdmin(org);
        try {
            quotas.delete(org.organizationId(), Ids.parse(teamId).orElseThrow(() ->
                    new NotFoundException("Team not found.")), resourceId, org.actor());
            redirect.addFlashAttribute("message", "The team's own quota is removed; the default applies to it now.");
        }
        catch (RosterException ex) {
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        return "redirect:" + path(org, resourceId) + "#quotas-heading";
    }

    /** Admins set (or, left empty, remove) the quota of teams without their own. */
    @PostMapping("/quotas/default")
    String setDefault(OrgContext org, @PathVariable String id, @RequestParam(defaultValue = "") String defaultTeamQuota,
                      RedirectAttributes redirect) {
        UUID resourceId = resourceId(id);
        requireAdmin(org);
        try {
            Integer value = defaultTeamQuota.isBlank() ? null : number(defaultTeamQuota, "defaultTeamQuota");
            resources.update(org.organizationId(), resourceId, null, null, new ResourceService.DefaultQuota(value),
                    org.actor());
            redirect.addFlashAttribute("message", value == null
                    ? "Teams without a quota of their own are unlimited here now."
                    : "Teams without a quota of their own may hold " + value + " at once here.");
        }
        catch (RosterException ex) {
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        return "redirect:" + path(org, resourceId) + "#quotas-heading";
    }

    private static void requireAdmin(OrgContext org) {
        if (!org.admin()) {
            throw new ForbiddenException("admin-required", "Only admins set quotas.");
        }
    }

    private static int number(String value, String field) {
        try {
            return Integer.parseInt(value.trim());
        }
        catch (NumberFormatException ex) {
            throw InvalidRequestException.field(field, "Give a whole number.");
        }
    }

    private String render(OrgContext org, UUID resourceId, String memberQuery, UUID chosenMember, Model model) {
        Collaborators.Standing standing = collaborators.standing(org.organizationId(), resourceId,
                org.membershipId());
        AccessDecision decision = access.decide(org.organizationId(), org.accountId(), resourceId);
        if (!decision.allowed() && !standing.manages()) {
            // Someone who neither reaches nor manages the resource learns nothing about it.
            throw new NotFoundException("Resource not found.");
        }
        Resource resource = standing.resource();
        model.addAttribute("org", org);
        model.addAttribute("resource", resource);
        model.addAttribute("kind", TeamResourcesPageController.kindLabel(resource.kind()));
        model.addAttribute("owner", resource.owner().type() == OwnerType.ORGANIZATION
                ? "The whole organization (shared with every member)" : resource.ownerLabel());
        model.addAttribute("ownerType", WireNames.of(resource.owner().type()));
        model.addAttribute("reason", decision.reason().code());
        model.addAttribute("role", WireNames.of(decision.role()));
        model.addAttribute("manages", standing.manages());
        if (standing.manages()) {
            List<Collaborator> list = collaborators.list(org.organizationId(), resourceId, org.membershipId());
            model.addAttribute("rows", list.stream().map(c -> new Row(c, WireNames.of(c.role()),
                    removal(org, resource, c))).toList());
            model.addAttribute("invited", collaborators.invited(org.organizationId(), resourceId,
                    org.membershipId()));
            addMemberChoices(org, memberQuery, chosenMember, model);
            model.addAttribute("roles", ROLES);
        }
        boolean environment = resource.kind() == ResourceKind.ENVIRONMENT;
        model.addAttribute("environment", environment);
        if (environment) {
            model.addAttribute("quotaRows", quotas.onEnvironment(org.organizationId(), resourceId));
            model.addAttribute("defaultQuota", quotas.defaultQuota(org.organizationId(), resourceId));
            if (org.admin()) {
                model.addAttribute("quotaTeamPicker", TeamPicker.select("quota-team", "team", TeamPicker.Value.ID,
                        null, null, teams.choices(org.organizationId(), List.of()), List.of()));
            }
        }
        if (!model.containsAttribute("fieldErrors")) {
            model.addAttribute("fieldErrors", Map.of());
        }
        if (!model.containsAttribute("chosenRole")) {
            model.addAttribute("chosenRole", "viewer");
        }
        return "resource/resource";
    }

    private boolean isResourceMissing(OrgContext org, UUID resourceId) {
        try {
            collaborators.standing(org.organizationId(), resourceId, org.membershipId());
            return false;
        }
        catch (NotFoundException ex) {
            return true;
        }
    }

    static Confirmation removal(OrgContext org, Resource resource, Collaborator collaborator) {
        return new Confirmation("Remove " + collaborator.email() + " from " + resource.name() + "?",
                List.of(collaborator.email() + " will no longer reach " + resource.name()
                        + " as a collaborator. Access through a team or the organization stays."),
                path(org, resource.id()) + "/collaborators/" + collaborator.membershipId() + "/remove", Map.of(),
                "Remove", true, path(org, resource.id()));
    }

    private static CollaboratorRole role(String value) {
        CollaboratorRole role = WireNames.parse(CollaboratorRole.class, value, "role");
        if (role == null) {
            throw InvalidRequestException.field("role", "Choose a role: viewer, editor or owner.");
        }
        return role;
    }

    private static String article(CollaboratorRole role) {
        return role == CollaboratorRole.OWNER || role == CollaboratorRole.EDITOR ? "an" : "a";
    }

    private static UUID resourceId(String id) {
        return Ids.parse(id).orElseThrow(() -> new NotFoundException("Resource not found."));
    }

    private static UUID memberId(String id) {
        return Ids.parse(id).orElseThrow(() -> new NotFoundException("This member is not a collaborator."));
    }

    static String path(OrgContext org, UUID resourceId) {
        return "/orgs/" + org.slug() + "/resources/" + resourceId;
    }
}
