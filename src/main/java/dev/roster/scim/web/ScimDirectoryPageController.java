package dev.roster.scim.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

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

import dev.roster.membership.AccessImpact;
import dev.roster.membership.Team;
import dev.roster.membership.TeamRole;
import dev.roster.membership.TeamService;
import dev.roster.scim.directory.ScimDirectory;
import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.scim.directory.ScimToken;
import dev.roster.scim.provisioning.GroupMapping;
import dev.roster.scim.provisioning.GroupMappingPreview;
import dev.roster.scim.provisioning.GroupMappingService;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.OrgContext;
import dev.roster.shared.RosterException;
import dev.roster.shared.web.Confirmation;
import dev.roster.shared.web.RefusedForm;
import dev.roster.shared.web.SealedFlash;
import dev.roster.shared.web.WireNames;

/**
 * One SCIM directory: its tenant URL and tokens (a new token is shown once; rotation keeps at most two live), its
 * group mappings, each previewed before it is created or deleted, and deletion of the directory.
 */
@Controller
@RequestMapping("/orgs/{slug}/manage/provisioning/directories/{id}")
class ScimDirectoryPageController {

    private final ScimDirectoryService directories;
    private final GroupMappingService mappings;
    private final GroupMappingPreview preview;
    private final TeamService teams;
    private final DirectoryPage page;
    private final SealedFlash sealedFlash;

    ScimDirectoryPageController(ScimDirectoryService directories, GroupMappingService mappings,
                                GroupMappingPreview preview, TeamService teams, DirectoryPage page,
                                SealedFlash sealedFlash) {
        this.sealedFlash = sealedFlash;
        this.directories = directories;
        this.mappings = mappings;
        this.preview = preview;
        this.teams = teams;
        this.page = page;
    }

    @GetMapping
    String directory(OrgContext org, @PathVariable String id, Model model, HttpServletRequest request) {
        // A token issued by the form before the redirect arrives as a flash attribute, shown this once.
        return page.render(org, require(org, id), (String) model.getAttribute("secret"), model, request);
    }

    @PostMapping("/tokens")
    String issueToken(OrgContext org, @PathVariable String id, Model model, HttpServletRequest request,
                      HttpServletResponse response, RedirectAttributes redirect) {
        ScimDirectory directory = require(org, id);
        try {
            ScimDirectoryService.IssuedToken issued = directories.issueToken(org.organizationId(), directory.id(),
                    org.actor());
            redirect.addFlashAttribute("message", "A new token is issued. Paste it into your identity provider, check "
                    + "that provisioning works, then revoke the old token.");
            sealedFlash.put(redirect, "secret", issued.secret());
            return "redirect:" + ProvisioningPaths.directory(org, directory.id()) + "#tokens-heading";
        }
        catch (RosterException ex) {
            RefusedForm.rethrowIfNotFound(ex);
            RefusedForm.answer(ex, response, model).message("error");
            return page.render(org, directory, null, model, request);
        }
    }

    @PostMapping("/tokens/{tokenId}/revoke")
    String revokeToken(OrgContext org, @PathVariable String id, @PathVariable String tokenId,
                       @RequestParam(required = false) String confirmed, Model model, RedirectAttributes redirect) {
        ScimDirectory directory = require(org, id);
        UUID token = Ids.parse(tokenId).orElseThrow(() -> new NotFoundException("Token not found."));
        List<ScimToken> tokens = directories.tokens(org.organizationId(), directory.id());
        ScimToken existing = tokens.stream().filter(t -> t.id().equals(token)).findFirst()
                .orElseThrow(() -> new NotFoundException("Token not found."));
        if (!Confirmation.given(confirmed)) {
            model.addAttribute("org", org);
            return DirectoryPage.revokeConfirmation(org, directory, existing,
                    tokens.stream().filter(ScimToken::active).count()).show(model);
        }
        directories.revokeToken(org.organizationId(), directory.id(), token, org.actor());
        redirect.addFlashAttribute("message", "The token is revoked: requests that carry it are refused.");
        return "redirect:" + ProvisioningPaths.directory(org, directory.id()) + "#tokens-heading";
    }

    @PostMapping("/mappings")
    String addMapping(OrgContext org, @PathVariable String id, @RequestParam(defaultValue = "") String by,
                      @RequestParam(defaultValue = "") String value,
                      @RequestParam(required = false) List<String> teams,
                      @RequestParam(defaultValue = "member") String role,
                      @RequestParam(defaultValue = "false") boolean admin,
                      @RequestParam(required = false) String confirmed, Model model, HttpServletRequest request,
                      HttpServletResponse response, RedirectAttributes redirect) {
        ScimDirectory directory = require(org, id);
        List<String> chosen = teams == null ? List.of() : teams.stream().filter(t -> !t.isBlank()).toList();
        try {
            if (!Confirmation.given(confirmed)) {
                AccessImpact impact = preview.create(org.organizationId(), directory.id(), by, value, chosen, admin);
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("by", by);
                fields.put("value", value);
                // Team ids, which never hold a comma, travel as one field and split back into the list.
                fields.put("teams", String.join(",", chosen));
                fields.put("role", role);
                fields.put("admin", String.valueOf(admin));
                TeamRole teamRole = WireNames.parse(TeamRole.class, role, "role");
                model.addAttribute("org", org);
                model.addAttribute("impact", impact);
                return new Confirmation("Map " + group(by, value) + describeTarget(teamNames(org, chosen), admin)
                        + (teamRole == TeamRole.MAINTAINER && !chosen.isEmpty() ? " as maintainers" : "") + "?", List.of(), ProvisioningPaths.directory(org, directory.id()) + "/mappings", fields,
                        "Apply: map group", false, ProvisioningPaths.directory(org, directory.id())).show(model);
            }
            GroupMappingService.MappingView created = mappings.create(org.organizationId(), directory.id(), by, value,
                    chosen, WireNames.parse(TeamRole.class, role, "role"), admin, org.actor());
            GroupMapping mapping = created.mapping();
            List<String> matched = mappings.matchedGroupNames(org.organizationId(), mapping);
            redirect.addFlashAttribute("message", (matched.isEmpty() ? "The mapping of " + group(by, value)
                    : "The group " + String.join(", ", matched)) + " is mapped" + describeTarget(mapping.teams()
                    .stream().map(GroupMapping.TeamRef::name).toList(), mapping.admin())
                    + (matched.isEmpty() ? ". No group matches it yet." : "; its members follow now."));
            return "redirect:" + ProvisioningPaths.directory(org, directory.id()) + "#mappings-heading";
        }
        catch (RosterException ex) {
            RefusedForm.rethrowIfNotFound(ex);
            RefusedForm.answer(ex, response, model).fieldErrors("mappingErrors", "group.value").keep("mappingBy", by)
                    .keep("mappingValue", value).keep("selectedTeams", chosen).keep("mappingAdmin", admin)
                    .keep("mappingRole", role);
            return page.render(org, directory, null, model, request);
        }
    }

    /** Changes the team role a mapping gives; its groups' members get it at once, as with the API's PATCH. */
    @PostMapping("/mappings/{mappingId}/role")
    String changeMappingRole(OrgContext org, @PathVariable String id, @PathVariable String mappingId,
                             @RequestParam(defaultValue = "") String role, RedirectAttributes redirect) {
        ScimDirectory directory = require(org, id);
        UUID mapping = Ids.parse(mappingId).orElseThrow(() -> new NotFoundException("Group mapping not found."));
        try {
            TeamRole parsed = WireNames.parse(TeamRole.class, role, "role");
            if (parsed == null) {
                throw InvalidRequestException.field("role", "Choose member or maintainer.");
            }
            GroupMapping changed = mappings.changeRole(org.organizationId(), directory.id(), mapping, parsed,
                    org.actor()).mapping();
            redirect.addFlashAttribute("message", "The mapping now gives the role " + parsed.apiName() + " in "
                    + String.join(", ", changed.teams().stream().map(GroupMapping.TeamRef::name).toList())
                    + "; its groups' members have it now.");
        }
        catch (RosterException ex) {
            if (ex instanceof NotFoundException) {
                throw ex;
            }
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        return "redirect:" + ProvisioningPaths.directory(org, directory.id()) + "#mappings-heading";
    }

    @PostMapping("/mappings/{mappingId}/remove")
    String removeMapping(OrgContext org, @PathVariable String id, @PathVariable String mappingId,
                         @RequestParam(required = false) String confirmed, Model model, RedirectAttributes redirect) {
        ScimDirectory directory = require(org, id);
        UUID mapping = Ids.parse(mappingId).orElseThrow(() -> new NotFoundException("Group mapping not found."));
        GroupMapping existing = mappings.get(org.organizationId(), directory.id(), mapping).mapping();
        List<String> matched = mappings.matchedGroupNames(org.organizationId(), existing);
        String described = (matched.isEmpty() ? group(existing.matchBy().apiName(), existing.matchValue())
                : String.join(", ", matched)) + describeTarget(existing.teams().stream()
                .map(GroupMapping.TeamRef::name).toList(), existing.admin());
        if (!Confirmation.given(confirmed)) {
            AccessImpact impact = preview.delete(org.organizationId(), directory.id(), mapping);
            model.addAttribute("org", org);
            model.addAttribute("impact", impact);
            return new Confirmation("Remove the mapping of " + described + "?", List.of(),
                    ProvisioningPaths.directory(org, directory.id()) + "/mappings/" + mapping + "/remove", Map.of(),
                    "Apply: remove mapping", true, ProvisioningPaths.directory(org, directory.id())).show(model);
        }
        mappings.delete(org.organizationId(), directory.id(), mapping, org.actor());
        redirect.addFlashAttribute("message", "The mapping of " + described + " is removed.");
        return "redirect:" + ProvisioningPaths.directory(org, directory.id()) + "#mappings-heading";
    }

    @PostMapping("/delete")
    String delete(OrgContext org, @PathVariable String id, @RequestParam(required = false) String confirmed,
                  Model model, RedirectAttributes redirect) {
        ScimDirectory directory = require(org, id);
        if (!Confirmation.given(confirmed)) {
            model.addAttribute("org", org);
            return DirectoryPage.deleteConfirmation(org, directory).show(model);
        }
        directories.delete(org.organizationId(), directory.id(), org.actor());
        redirect.addFlashAttribute("message", "Directory " + directory.name() + " is deleted.");
        return "redirect:" + ProvisioningPaths.overview(org);
    }

    private ScimDirectory require(OrgContext org, String id) {
        return directories.get(org.organizationId(),
                Ids.parse(id).orElseThrow(() -> new NotFoundException("SCIM directory not found.")));
    }

    /** The names of the chosen teams (ids), for the question; unknown ones are left to the preview's error. */
    private List<String> teamNames(OrgContext org, List<String> chosen) {
        List<UUID> ids = chosen.stream().map(Ids::parse).flatMap(Optional::stream).toList();
        return teams.findAll(org.organizationId(), ids).stream().map(Team::name).sorted().toList();
    }

    /** The group a mapping names, in words: "the group Engineering", "the group with externalId 0a1b…". */
    private static String group(String by, String value) {
        String trimmed = value == null ? "" : value.trim();
        return switch (by == null ? "" : by.trim()) {
            case "externalId" -> "the group with externalId " + trimmed;
            case "id" -> "the group with Roster id " + trimmed;
            default -> "the group " + trimmed;
        };
    }

    private static String describeTarget(List<String> teams, boolean admin) {
        String target = teams.isEmpty() ? "" : " to " + String.join(", ", teams);
        return target + (admin ? (teams.isEmpty() ? " to admin" : " and admin") : "");
    }
}
