package dev.roster.resource.web;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.roster.membership.Team;
import dev.roster.membership.TeamChoices;
import dev.roster.membership.TeamPicker;
import dev.roster.membership.TeamService;
import dev.roster.resource.OwnerType;
import dev.roster.resource.Resource;
import dev.roster.resource.ResourceKind;
import dev.roster.resource.ResourceOwner;
import dev.roster.resource.ResourceService;
import dev.roster.resource.ResourceService.ResourceFilter;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.RosterException;
import dev.roster.shared.web.Confirmation;
import dev.roster.shared.web.PageLinks;
import dev.roster.shared.web.RefusedForm;

/**
 * Manage → Teams → a team → Resources: what the team owns (its members reach it), adding one, moving one to the
 * whole organization or another team, and deleting one. A team that owns resources cannot be deleted, so this is
 * where its deletion page sends the admin. It lives with resources, which depend on teams (not the reverse).
 */
@Controller
@RequestMapping("/orgs/{slug}/manage/teams/{teamId}/resources")
class TeamResourcesPageController {

    static final int PAGE_SIZE = 50;
    /** The value of the "move to" choice that makes a resource the organization's own (shared). */
    static final String SHARED = "organization";

    private final TeamService teams;
    private final ResourceService resources;

    TeamResourcesPageController(TeamService teams, ResourceService resources) {
        this.teams = teams;
        this.resources = resources;
    }

    record Row(UUID id, String name, String kind) {

        static Row of(Resource resource) {
            return new Row(resource.id(), resource.name(), kindLabel(resource.kind()));
        }
    }

    record KindChoice(String value, String label) {
    }

    @GetMapping
    String page(OrgContext org, @PathVariable String teamId, @RequestParam(required = false) Integer page,
                Model model, HttpServletRequest request) {
        return render(org, team(org, teamId), page, model, request);
    }

    @PostMapping
    String create(OrgContext org, @PathVariable String teamId, @RequestParam(defaultValue = "") String kind,
                  @RequestParam(defaultValue = "") String name, Model model, HttpServletRequest request,
                  HttpServletResponse response, RedirectAttributes redirect) {
        Team team = team(org, teamId);
        try {
            Resource created = resources.create(org.organizationId(), kind(kind), name, ResourceOwner.team(team.id()),
                    org.actor());
            redirect.addFlashAttribute("message", kindLabel(created.kind()) + " " + created.name()
                    + " now belongs to " + team.name() + ": its members can reach it.");
            return "redirect:" + path(org, team);
        }
        catch (RosterException ex) {
            RefusedForm.answer(ex, response, model).fieldErrors("fieldErrors", "name").keep("name", name)
                    .keep("kind", kind);
            return render(org, team, 0, model, request);
        }
    }

    @PostMapping("/{id}/move")
    String move(OrgContext org, @PathVariable String teamId, @PathVariable String id,
                @RequestParam(defaultValue = "") String to, RedirectAttributes redirect) {
        Team team = team(org, teamId);
        Resource resource = resource(org, team, id);
        try {
            ResourceOwner owner = SHARED.equals(to) ? ResourceOwner.organization()
                    : ResourceOwner.team(Ids.parse(to).orElseThrow(() -> InvalidRequestException.field("to",
                    "Choose where the resource goes.")));
            Resource moved = resources.update(org.organizationId(), resource.id(), null, owner, org.actor());
            redirect.addFlashAttribute("message", resource.name() + " now belongs to "
                    + (moved.owner().type() == OwnerType.ORGANIZATION ? "the whole organization (shared with every member)"
                    : moved.ownerLabel()) + ".");
        }
        catch (RosterException ex) {
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        return "redirect:" + path(org, team);
    }

    @PostMapping("/{id}/delete")
    String delete(OrgContext org, @PathVariable String teamId, @PathVariable String id,
                  @RequestParam(required = false) String confirmed, Model model, RedirectAttributes redirect) {
        Team team = team(org, teamId);
        Resource resource = resource(org, team, id);
        if (!Confirmation.given(confirmed)) {
            model.addAttribute("org", org);
            return deletion(org, team, resource).show(model);
        }
        resources.delete(org.organizationId(), resource.id(), org.actor());
        redirect.addFlashAttribute("message", kindLabel(resource.kind()) + " " + resource.name() + " is deleted.");
        return "redirect:" + path(org, team);
    }

    static Confirmation deletion(OrgContext org, Team team, Resource resource) {
        return new Confirmation("Delete " + resource.name() + "?",
                List.of("Members of " + team.name() + " can no longer reach the " + kindLabel(resource.kind())
                        .toLowerCase(java.util.Locale.ROOT) + " " + resource.name() + " through Roster. "
                        + "To keep it but change who reaches it, move it instead."),
                path(org, team) + "/" + resource.id() + "/delete", Map.of(), "Delete", true, path(org, team));
    }

    private String render(OrgContext org, Team team, Integer page, Model model, HttpServletRequest request) {
        PageResult<Resource> result = resources.list(org.organizationId(),
                new ResourceFilter(null, OwnerType.TEAM, team.id(), null, null),
                new PageQuery(page == null ? 0 : Math.max(page, 0), PAGE_SIZE));
        model.addAttribute("org", org);
        model.addAttribute("team", team);
        model.addAttribute("rows", result.items().stream().map(Row::of).toList());
        model.addAttribute("deletions", result.items().stream().map(r -> deletion(org, team, r)).toList());
        model.addAttribute("links", PageLinks.of(result, request));
        model.addAttribute("kinds", List.of(ResourceKind.values()).stream()
                .map(k -> new KindChoice(k.name().toLowerCase(java.util.Locale.ROOT), kindLabel(k))).toList());
        TeamChoices choices = teams.choices(org.organizationId(), List.of());
        model.addAttribute("movePickers", IntStream.range(0, result.items().size())
                .mapToObj(i -> TeamPicker.select("move-" + i, "to", TeamPicker.Value.ID, SHARED,
                        "The whole organization (shared)", choices, List.of()).excluding(Set.of(team.id())))
                .toList());
        if (!model.containsAttribute("fieldErrors")) {
            model.addAttribute("fieldErrors", Map.of());
        }
        if (!model.containsAttribute("kind")) {
            model.addAttribute("kind", "project");
        }
        return "resource/team-resources";
    }

    private static ResourceKind kind(String value) {
        for (ResourceKind kind : ResourceKind.values()) {
            if (kind.name().equalsIgnoreCase(value)) {
                return kind;
            }
        }
        throw InvalidRequestException.field("kind", "Choose what kind of resource it is.");
    }

    static String kindLabel(ResourceKind kind) {
        return switch (kind) {
            case PROJECT -> "Project";
            case ENVIRONMENT -> "Environment";
            case DATA_STORE -> "Data store";
        };
    }

    private Team team(OrgContext org, String teamId) {
        return teams.get(org.organizationId(), Ids.parse(teamId)
                .orElseThrow(() -> new NotFoundException("Team not found.")));
    }

    /** A resource of this team; one of another team or of the organization is not found here. */
    private Resource resource(OrgContext org, Team team, String id) {
        Resource resource = resources.get(org.organizationId(), Ids.parse(id)
                .orElseThrow(() -> new NotFoundException("Resource not found.")));
        if (!ResourceOwner.team(team.id()).equals(resource.owner())) {
            throw new NotFoundException("Resource not found.");
        }
        return resource;
    }

    private static String path(OrgContext org, Team team) {
        return "/orgs/" + org.slug() + "/manage/teams/" + team.id() + "/resources";
    }
}
