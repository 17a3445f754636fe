package dev.roster.scim.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

import dev.roster.membership.TeamPicker;
import dev.roster.membership.TeamService;
import dev.roster.scim.directory.ScimDirectory;
import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.scim.directory.ScimToken;
import dev.roster.scim.provisioning.DirectoryGroups;
import dev.roster.scim.provisioning.GroupMapping;
import dev.roster.scim.provisioning.GroupMappingService;
import dev.roster.scim.provisioning.StoredGroup;
import dev.roster.scim.provisioning.UnlinkedUsers;
import dev.roster.scim.requestlog.RequestLogService;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.web.Confirmation;
import dev.roster.shared.web.GroupMappingRow;
import dev.roster.shared.web.PageLinks;

/**
 * The model of a directory's page: its tenant URL, tokens (and a new token's secret, the one time it is known), group
 * mappings with the form that previews a new one, the groups the directory pushed, and the failures in its log.
 */
@Component
class DirectoryPage {

    static final String VIEW = "scim/directory";
    static final int GROUPS_PAGE_SIZE = 50;
    static final int MAPPINGS_SHOWN = 200;
    static final int UNLINKED_SHOWN = 50;

    private final ScimDirectoryService directories;
    private final GroupMappingService mappings;
    private final DirectoryGroups groups;
    private final RequestLogService requestLog;
    private final UnlinkedUsers unlinked;
    private final TeamService teams;
    private final ScimRenderer renderer;

    DirectoryPage(ScimDirectoryService directories, GroupMappingService mappings, DirectoryGroups groups,
                  RequestLogService requestLog, UnlinkedUsers unlinked, TeamService teams, ScimRenderer renderer) {
        this.unlinked = unlinked;
        this.directories = directories;
        this.mappings = mappings;
        this.groups = groups;
        this.requestLog = requestLog;
        this.teams = teams;
        this.renderer = renderer;
    }

    /** A token in the list. */
    record TokenRow(UUID id, Instant created, Instant lastUsed, boolean active, Instant revoked, Confirmation revoke) {
    }

    String render(OrgContext org, ScimDirectory directory, String secret, Model model, HttpServletRequest request) {
        UUID organizationId = org.organizationId();
        List<ScimToken> tokens = directories.tokens(organizationId, directory.id());
        long live = tokens.stream().filter(ScimToken::active).count();
        model.addAttribute("org", org);
        model.addAttribute("directory", directory);
        model.addAttribute("kindLabel", ProvisioningLabels.kind(directory.kind()));
        model.addAttribute("tenantUrl", renderer.baseUrl());
        model.addAttribute("secret", secret);
        model.addAttribute("tokens", tokens.stream().map(t -> new TokenRow(t.id(), t.createdAt(),
                t.lastUsedAt(), t.active(), t.revokedAt(),
                revokeConfirmation(org, directory, t, live))).toList());
        model.addAttribute("liveTokens", live);
        model.addAttribute("canIssue", live < ScimDirectoryService.MAX_ACTIVE_TOKENS);
        model.addAttribute("mappings", mappings.list(organizationId, directory.id(), PageQuery.of(0, MAPPINGS_SHOWN)).items()
                .stream().map(v -> mappingRow(org, v)).toList());
        PageResult<DirectoryGroups.GroupSummary> pushed = groups.list(organizationId, directory.id(),
                new PageQuery(Math.max(0, intParam(request, "page")), GROUPS_PAGE_SIZE));
        model.addAttribute("groups", pushed.items());
        model.addAttribute("groupLinks", PageLinks.of(pushed, request));
        PageResult<UnlinkedUsers.UnlinkedUser> held = unlinked.list(organizationId, directory.id(),
                PageQuery.of(0, UNLINKED_SHOWN));
        model.addAttribute("unlinked", held.items());
        model.addAttribute("unlinkedTotal", held.total());
        model.addAttribute("failures", requestLog.find(organizationId, directory.id(),
                new RequestLogService.Filter(null, null, true, false), PageQuery.of(0, 1)).total());
        model.addAttribute("confirmDelete", deleteConfirmation(org, directory));
        if (!model.containsAttribute("mappingErrors")) {
            model.addAttribute("mappingErrors", Map.of());
        }
        if (!model.containsAttribute("mappingBy")) {
            String by = request.getParameter("by");
            model.addAttribute("mappingBy", by == null ? "displayName" : by);
            model.addAttribute("mappingValue", request.getParameter("value"));
        }
        @SuppressWarnings("unchecked")
        List<String> selected = (List<String>) model.getAttribute("selectedTeams");
        List<String> chosen = selected == null ? List.of() : selected;
        TeamPicker picker = TeamPicker.checkboxes("mapping-team", "teams", TeamPicker.Value.ID,
                teams.choices(organizationId, chosen), chosen);
        boolean teamsInvalid = ((Map<?, ?>) model.getAttribute("mappingErrors")).containsKey("teams");
        model.addAttribute("teamPicker", teamsInvalid ? picker.withError("mapping-teams-error") : picker);
        return VIEW;
    }

    /**
     * A mapping in the list: the groups it matches now by their display names, with their externalIds (or Roster's
     * ids) as the ids on hover; a mapping that matches nothing yet reads by the value it waits for.
     */
    private GroupMappingRow mappingRow(OrgContext org, GroupMappingService.MappingView view) {
        GroupMapping m = view.mapping();
        List<StoredGroup> matched = mappings.matchedGroups(org.organizationId(), m);
        String name = matched.isEmpty() ? m.matchValue()
                : String.join(", ", matched.stream().map(StoredGroup::displayName).toList());
        String groupId = switch (m.matchBy()) {
            case EXTERNAL_ID, ID -> m.matchValue();
            case DISPLAY_NAME -> matched.isEmpty() ? null : String.join(", ", matched.stream()
                    .map(g -> g.externalId() != null ? g.externalId() : g.id().toString()).toList());
        };
        return new GroupMappingRow(m.id(), name, groupId, MappingLabels.by(m.matchBy()), view.matchedGroups().isEmpty(),
                m.teams().stream().map(t -> new GroupMappingRow.TeamLink(t.id(), t.name())).toList(), m.admin(),
                ProvisioningPaths.directory(org, m.directoryId()) + "/mappings/" + m.id() + "/remove",
                m.teams().isEmpty() ? null : m.role().apiName(),
                m.teams().isEmpty() ? null : ProvisioningPaths.directory(org, m.directoryId()) + "/mappings/" + m.id()
                        + "/role");
    }

    static Confirmation revokeConfirmation(OrgContext org, ScimDirectory directory, ScimToken token, long live) {
        return new Confirmation("Revoke this token of " + directory.name() + "?", List.of(live <= 1 && token.active()
                ? "It is the directory's only live token: provisioning stops until you create a new one and paste it "
                + "into your identity provider."
                : "Requests that carry it are refused at once. Revoke the old token only after your identity provider "
                + "uses the new one."), ProvisioningPaths.directory(org, directory.id()) + "/tokens/" + token.id()
                + "/revoke", Map.of(), "Revoke token", true, ProvisioningPaths.directory(org, directory.id()));
    }

    static Confirmation deleteConfirmation(OrgContext org, ScimDirectory directory) {
        return new Confirmation("Delete " + directory.name() + "?", List.of("Its tokens stop working, and its users, "
                + "groups, group mappings and request log are deleted. The memberships and teams it made stay as "
                + "they are, so nobody loses access by accident; change them by hand afterwards."),
                ProvisioningPaths.directory(org, directory.id()) + "/delete", Map.of(), "Delete directory", true,
                ProvisioningPaths.directory(org, directory.id()));
    }

    private static int intParam(HttpServletRequest request, String name) {
        try {
            String value = request.getParameter(name);
            return value == null ? 0 : Integer.parseInt(value);
        }
        catch (NumberFormatException ex) {
            return 0;
        }
    }
}
