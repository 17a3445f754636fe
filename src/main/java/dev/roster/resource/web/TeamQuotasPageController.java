package dev.roster.resource.web;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.resource.QuotaUsage;
import dev.roster.resource.Quotas;
import dev.roster.resource.Resource;
import dev.roster.resource.ResourceKind;
import dev.roster.resource.ResourceService;
import dev.roster.resource.ResourceService.ResourceFilter;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;
import dev.roster.shared.RosterException;

/**
 * Manage → Teams → a team → Quotas: the team's own quota on each environment with what it holds there now, setting
 * one and removing one. Lives with resources (quotas are on environments), like the team's Resources page.
 */
@Controller
@RequestMapping("/orgs/{slug}/manage/teams/{teamId}/quotas")
class TeamQuotasPageController {

    private final TeamService teams;
    private final Quotas quotas;
    private final ResourceService resources;

    TeamQuotasPageController(TeamService teams, Quotas quotas, ResourceService resources) {
        this.teams = teams;
        this.quotas = quotas;
        this.resources = resources;
    }

    record EnvironmentChoice(UUID id, String name) {
    }

    @GetMapping
    String page(OrgContext org, @PathVariable String teamId, Model model) {
        Team team = team(org, teamId);
        List<QuotaUsage> rows = quotas.ofTeam(org.organizationId(), team.id());
        List<Resource> environments = resources.list(org.organizationId(),
                new ResourceFilter(ResourceKind.ENVIRONMENT, null, null, null, null), new PageQuery(0, 500)).items();
        model.addAttribute("org", org);
        model.addAttribute("team", team);
        model.addAttribute("rows", rows);
        model.addAttribute("environments", environments.stream()
                .map(e -> new EnvironmentChoice(e.id(), e.name())).toList());
        return "resource/team-quotas";
    }

    @PostMapping
    String set(OrgContext org, @PathVariable String teamId, @RequestParam(defaultValue = "") String environment,
               @RequestParam(defaultValue = "") String maxConcurrent, RedirectAttributes redirect) {
        Team team = team(org, teamId);
        try {
            UUID environmentId = Ids.parse(environment).orElseThrow(() ->
                    InvalidRequestException.field("environment", "Choose an environment."));
            int max;
            try {
                max = Integer.parseInt(maxConcurrent.trim());
            }
            catch (NumberFormatException ex) {
                throw InvalidRequestException.field("maxConcurrent", "Give a whole number.");
            }
            QuotaUsage set = quotas.set(org.organizationId(), team.id(), environmentId, max, org.actor());
            redirect.addFlashAttribute("message", team.name() + " may now hold " + set.maxConcurrent()
                    + " at once on " + set.environmentName() + ".");
        }
        catch (RosterException ex) {
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        return "redirect:" + path(org, team);
    }

    @PostMapping("/{environmentId}/remove")
    String remove(OrgContext org, @PathVariable String teamId, @PathVariable String environmentId,
                  RedirectAttributes redirect) {
        Team team = team(org, teamId);
        try {
            quotas.delete(org.organizationId(), team.id(), Ids.parse(environmentId).orElseThrow(() ->
                    new NotFoundException("Environment not found.")), org.actor());
            redirect.addFlashAttribute("message", "The quota is removed; the environment's default applies to "
                    + team.name() + " there now.");
        }
        catch (RosterException ex) {
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        return "redirect:" + path(org, team);
    }

    private Team team(OrgContext org, String teamId) {
        return teams.get(org.organizationId(), Ids.parse(teamId)
                .orElseThrow(() -> new NotFoundException("Team not found.")));
    }

    private static String path(OrgContext org, Team team) {
        return "/orgs/" + org.slug() + "/manage/teams/" + team.id() + "/quotas";
    }
}
