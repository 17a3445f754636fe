package dev.roster.sso.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.roster.membership.AccessImpact;
import dev.roster.membership.TeamPicker;
import dev.roster.membership.TeamRole;
import dev.roster.membership.TeamService;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.OrgContext;
import dev.roster.shared.RosterException;
import dev.roster.shared.web.Confirmation;
import dev.roster.shared.web.GroupMappingRow;
import dev.roster.shared.web.WireNames;
import dev.roster.shared.web.RefusedForm;
import dev.roster.sso.access.AccessGrant;
import dev.roster.sso.connection.ConnectionView;
import dev.roster.sso.access.GroupMapping;
import dev.roster.sso.DirectoryManagedOrganizations;
import dev.roster.sso.access.SsoAccessService;
import dev.roster.sso.connection.SsoChangePreview;
import dev.roster.sso.connection.SsoConnectionService;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.access.VerifiedDomain;

/**
 * A connection's "Access and teams" page: access grants (who may join at their first sign-in) and group mappings
 * (which IdP groups fill which teams, and make admins). Every addition and removal is previewed first: the form
 * arrives without {@code confirmed=yes}, and the answer is a page that says who would gain or lose what, with Apply
 * and Cancel; nothing changes until the admin applies.
 */
@Controller
@RequestMapping("/orgs/{slug}/manage/sso/connections/{id}")
class SsoAccessPageController {


    private final SsoConnectionService connections;
    private final SsoAccessService access;
    private final SsoChangePreview preview;
    private final SsoDomainService domains;
    private final TeamService teams;
    private final ObjectProvider<DirectoryManagedOrganizations> directories;

    SsoAccessPageController(SsoConnectionService connections, SsoAccessService access, SsoChangePreview preview,
                            SsoDomainService domains, TeamService teams,
                            ObjectProvider<DirectoryManagedOrganizations> directories) {
        this.connections = connections;
        this.access = access;
        this.preview = preview;
        this.domains = domains;
        this.teams = teams;
        this.directories = directories;
    }

    /** A grant in the list; {@code groupName} names a group grant's group where Roster knows it. */
    record GrantRow(UUID id, String kind, String value, String groupName, Instant added) {

        static GrantRow of(AccessGrant grant, Map<String, String> groupNames) {
            return new GrantRow(grant.id(), SsoLabels.grantKind(grant.kind().name()), grant.value(),
                    grant.kind() == AccessGrant.Kind.GROUP ? groupNames.get(grant.value()) : null, grant.createdAt());
        }
    }

    /** A mapping in the list: the group by name where the IdP gave one, and its claim value. */
    record MappingRow(UUID id, String group, String value, UUID teamId, String team, boolean admin) {

        static MappingRow of(GroupMapping m) {
            return new MappingRow(m.id(), m.groupDisplayName() == null ? m.groupValue() : m.groupDisplayName(),
                    m.groupDisplayName() == null ? null : m.groupValue(), m.teamId(), m.teamName(), m.admin());
        }
    }

    /** The row of the group-mapping table the SSO and SCIM pages share. */
    static GroupMappingRow row(OrgContext org, GroupMapping m) {
        MappingRow row = MappingRow.of(m);
        return new GroupMappingRow(m.id(), row.group(), row.value(), null, false, m.teamId() == null ? List.of()
                : List.of(new GroupMappingRow.TeamLink(m.teamId(), m.teamName())), m.admin(),
                SsoPaths.connection(org, m.connectionId()) + "/mappings/" + m.id() + "/remove",
                m.teamId() == null ? null : m.role().apiName(),
                m.teamId() == null ? null : SsoPaths.connection(org, m.connectionId()) + "/mappings/" + m.id() + "/role");
    }

    @GetMapping("/access")
    String page(OrgContext org, @PathVariable String id, Model model) {
        return render(org, SsoConnections.require(connections, org, id), model);
    }

    @PostMapping("/grants")
    String addGrant(OrgContext org, @PathVariable String id, @RequestParam(defaultValue = "") String kind,
                    @RequestParam(defaultValue = "") String value, @RequestParam(required = false) String confirmed,
                    Model model, HttpServletResponse response, RedirectAttributes redirect) {
        ConnectionView connection = SsoConnections.require(connections, org, id);
        try {
            if (!Confirmation.given(confirmed)) {
                AccessImpact impact = preview.addGrant(org.organizationId(), connection.id(), kind, value, org.actor());
                return show(org, model, impact, "Add the grant " + describe(kind, value) + "?",
                        SsoPaths.connection(org, connection.id()) + "/grants", Map.of("kind", kind, "value", value),
                        "Apply: add grant", false, connection);
            }
            AccessGrant grant = access.addGrant(org.organizationId(), connection.id(), kind, value, org.actor());
            redirect.addFlashAttribute("message", "Grant added: " + describe(grant.kind().name(), grant.value())
                    + " may now join through " + connection.name() + ".");
            return "redirect:" + accessPath(org, connection) + "#grants-heading";
        }
        catch (RosterException ex) {
            RefusedForm.rethrowIfNotFound(ex);
            RefusedForm.answer(ex, response, model).fieldErrors("grantErrors", "value").keep("grantKind", kind)
                    .keep("grantValue", value);
            return render(org, connection, model);
        }
    }

    @PostMapping("/grants/{grantId}/remove")
    String removeGrant(OrgContext org, @PathVariable String id, @PathVariable String grantId,
                       @RequestParam(required = false) String confirmed, Model model, RedirectAttributes redirect) {
        ConnectionView connection = SsoConnections.require(connections, org, id);
        UUID grant = Ids.parse(grantId).orElseThrow(() -> new NotFoundException("Grant not found."));
        AccessGrant existing = access.grant(org.organizationId(), connection.id(), grant);
        if (!Confirmation.given(confirmed)) {
            AccessImpact impact = preview.removeGrant(org.organizationId(), connection.id(), grant);
            return show(org, model, impact, "Remove the grant " + describe(existing.kind().name(), existing.value())
                    + "?", SsoPaths.connection(org, connection.id()) + "/grants/" + grant + "/remove", Map.of(),
                    "Apply: remove grant", true, connection);
        }
        access.removeGrant(org.organizationId(), connection.id(), grant, org.actor());
        redirect.addFlashAttribute("message", "Grant removed: " + describe(existing.kind().name(), existing.value())
                + ".");
        return "redirect:" + accessPath(org, connection) + "#grants-heading";
    }

    /** Changes the team role a mapping gives; like the API's PATCH, it applies from each member's next sign-in. */
    @PostMapping("/mappings/{mappingId}/role")
    String changeMappingRole(OrgContext org, @PathVariable String id, @PathVariable String mappingId,
                             @RequestParam(defaultValue = "") String role, RedirectAttributes redirect) {
        ConnectionView connection = SsoConnections.require(connections, org, id);
        UUID mapping = Ids.parse(mappingId).orElseThrow(() -> new NotFoundException("Mapping not found."));
        try {
            TeamRole parsed = WireNames.parse(TeamRole.class, role, "role");
            if (parsed == null) {
                throw InvalidRequestException.field("role", "Choose member or maintainer.");
            }
            GroupMapping changed = access.changeMappingRole(org.organizationId(), connection.id(), mapping, parsed,
                    org.actor());
            redirect.addFlashAttribute("message", "Members of " + MappingRow.of(changed).group() + " become "
                    + parsed.apiName() + "s of " + changed.teamName() + " from their next sign-in.");
        }
        catch (RosterException ex) {
            if (ex instanceof NotFoundException) {
                throw ex;
            }
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        return "redirect:" + accessPath(org, connection) + "#mappings-heading";
    }

    private static final String MAINTAINER = "maintainer";

    @PostMapping("/mappings")
    String addMapping(OrgContext org, @PathVariable String id, @RequestParam(defaultValue = "") String group,
                      @RequestParam(defaultValue = "") String team,
                      @RequestParam(defaultValue = "member") String role,
                      @RequestParam(defaultValue = "false") boolean admin,
                      @RequestParam(required = false) String confirmed, Model model, HttpServletResponse response,
                      RedirectAttributes redirect) {
        ConnectionView connection = SsoConnections.require(connections, org, id);
        try {
            if (!Confirmation.given(confirmed)) {
                AccessImpact impact = preview.addMapping(org.organizationId(), connection.id(), group, team, admin);
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("group", group);
                fields.put("team", team);
                fields.put("role", role);
                fields.put("admin", String.valueOf(admin));
                WireNames.parse(TeamRole.class, role, "role");
                return show(org, model, impact, "Map the group " + group.trim() + describeTarget(team, admin)
                        + (MAINTAINER.equals(role) && !team.isBlank() ? " as maintainers" : "") + "?",
                        SsoPaths.connection(org, connection.id()) + "/mappings", fields, "Apply: map group", false,
                        connection);
            }
            GroupMapping mapping = access.addMapping(org.organizationId(), connection.id(), group, team,
                    WireNames.parse(TeamRole.class, role, "role"), admin, org.actor());
            redirect.addFlashAttribute("message", "Group " + MappingRow.of(mapping).group() + " is mapped"
                    + describeTarget(mapping.teamName(), mapping.admin()) + ".");
            return "redirect:" + accessPath(org, connection) + "#mappings-heading";
        }
        catch (RosterException ex) {
            RefusedForm.rethrowIfNotFound(ex);
            Map<String, String> errors = new LinkedHashMap<>(RefusedForm.errorsByField(ex, "group"));
            // The team list's error names the field the API knows ("teams"); the form has one team field.
            String teamError = errors.remove("teams");
            if (teamError != null) {
                errors.put("team", teamError);
            }
            RefusedForm.answer(ex, response, model).keep("mappingErrors", errors).keep("mappingGroup", group)
                    .keep("mappingTeam", team).keep("mappingAdmin", admin)
                    .keep("mappingRole", role);
            return render(org, connection, model);
        }
    }

    @PostMapping("/mappings/{mappingId}/remove")
    String removeMapping(OrgContext org, @PathVariable String id, @PathVariable String mappingId,
                         @RequestParam(required = false) String confirmed, Model model, RedirectAttributes redirect) {
        ConnectionView connection = SsoConnections.require(connections, org, id);
        UUID mapping = Ids.parse(mappingId).orElseThrow(() -> new NotFoundException("Mapping not found."));
        MappingRow existing = MappingRow.of(access.mapping(org.organizationId(), connection.id(), mapping));
        if (!Confirmation.given(confirmed)) {
            AccessImpact impact = preview.removeMapping(org.organizationId(), connection.id(), mapping);
            return show(org, model, impact, "Remove the mapping of " + existing.group()
                    + describeTarget(existing.team(), existing.admin()) + "?",
                    SsoPaths.connection(org, connection.id()) + "/mappings/" + mapping + "/remove", Map.of(),
                    "Apply: remove mapping", true, connection);
        }
        access.removeMapping(org.organizationId(), connection.id(), mapping, org.actor());
        redirect.addFlashAttribute("message", "The mapping of " + existing.group()
                + describeTarget(existing.team(), existing.admin()) + " is removed.");
        return "redirect:" + accessPath(org, connection) + "#mappings-heading";
    }

    @PostMapping("/mappings/refresh-names")
    String refreshNames(OrgContext org, @PathVariable String id, RedirectAttributes redirect) {
        ConnectionView connection = SsoConnections.require(connections, org, id);
        access.refreshGroupNames(org.organizationId(), connection.id());
        redirect.addFlashAttribute("message", "Group names were looked up again in "
                + ("entra".equals(connection.kind()) ? "Microsoft Graph." : "Okta."));
        return "redirect:" + accessPath(org, connection) + "#mappings-heading";
    }

    private String show(OrgContext org, Model model, AccessImpact impact, String title, String action,
                        Map<String, String> fields, String button, boolean danger, ConnectionView connection) {
        model.addAttribute("org", org);
        model.addAttribute("impact", impact);
        return new Confirmation(title, List.of(), action, fields, button, danger, accessPath(org, connection))
                .show(model);
    }

    private String render(OrgContext org, ConnectionView connection, Model model) {
        model.addAttribute("org", org);
        model.addAttribute("connection", connection);
        model.addAttribute("kindLabel", SsoLabels.kind(connection.kind()));
        List<AccessGrant> grants = access.grants(org.organizationId(), connection.id());
        Map<String, String> groupNames = access.groupNames(org.organizationId(), grants.stream()
                .filter(g -> g.kind() == AccessGrant.Kind.GROUP).map(AccessGrant::value).toList());
        model.addAttribute("grants", grants.stream().map(g -> GrantRow.of(g, groupNames)).toList());
        model.addAttribute("mappings", access.mappings(org.organizationId(), connection.id()).stream()
                .map(m -> row(org, m)).toList());
        model.addAttribute("verifiedDomains", domains.list(org.organizationId()).stream()
                .filter(VerifiedDomain::verified).map(VerifiedDomain::domain).toList());
        model.addAttribute("directoryManaged", "LOGIN_ONLY".equals(connection.scimPolicy())
                && directories.orderedStream().anyMatch(d -> d.managesMembers(org.organizationId())));
        for (String errors : List.of("grantErrors", "mappingErrors")) {
            if (!model.containsAttribute(errors)) {
                model.addAttribute(errors, Map.of());
            }
        }
        String mappingTeam = (String) model.getAttribute("mappingTeam");
        List<String> chosen = mappingTeam == null || mappingTeam.isBlank() ? List.of() : List.of(mappingTeam);
        TeamPicker picker = TeamPicker.select("mapping-team", "team", TeamPicker.Value.NAME, "",
                "No team (admin only)", teams.choices(org.organizationId(), chosen), chosen);
        boolean teamInvalid = ((Map<?, ?>) model.getAttribute("mappingErrors")).containsKey("team");
        model.addAttribute("teamPicker", teamInvalid ? picker.withError("mapping-team-error") : picker);
        if (!model.containsAttribute("grantKind")) {
            model.addAttribute("grantKind", "domain");
        }
        return "sso/connection-access";
    }

    private static String accessPath(OrgContext org, ConnectionView connection) {
        return SsoPaths.access(org, connection.id());
    }

    private static String describe(String kind, String value) {
        String trimmed = value == null ? "" : value.trim();
        return switch (kind.trim().toUpperCase(Locale.ROOT)) {
            case "DOMAIN" -> "for everyone at " + trimmed;
            case "GROUP" -> "for members of the group " + trimmed;
            case "EMAIL" -> "for " + trimmed;
            default -> trimmed;
        };
    }

    private static String describeTarget(String team, boolean admin) {
        boolean hasTeam = team != null && !team.isBlank();
        return (hasTeam ? " to " + team.trim() : "") + (admin ? (hasTeam ? " and admin" : " to admin") : "");
    }
}
