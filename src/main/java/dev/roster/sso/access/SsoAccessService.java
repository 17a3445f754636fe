package dev.roster.sso.access;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.linking.AccountLinking;
import dev.roster.membership.Team;
import dev.roster.membership.TeamRole;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.shared.EmailAddress;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;
import dev.roster.sso.DirectoryGroupMappings;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.connection.SsoConnectionService;

/** Access grants and group-to-team mappings of a connection. */
@Service
@Transactional
public class SsoAccessService {

    private final SsoAccessRepository access;
    private final AccountLinking linking;
    private final SsoConnectionService connections;
    private final SsoGroups groups;
    private final TeamService teams;
    private final AuditLog audit;
    private final Clock clock;
    private final ObjectProvider<DirectoryGroupMappings> directoryGroups;

    SsoAccessService(SsoAccessRepository access, AccountLinking linking, SsoConnectionService connections,
                     SsoGroups groups, TeamService teams, AuditLog audit, Clock clock,
                     ObjectProvider<DirectoryGroupMappings> directoryGroups) {
        this.directoryGroups = directoryGroups;
        this.access = access;
        this.linking = linking;
        this.connections = connections;
        this.groups = groups;
        this.teams = teams;
        this.audit = audit;
        this.clock = clock;
    }

    /** A grant as asked for, checked and normalized, not yet stored. */
    public record GrantInput(SsoConnection connection, AccessGrant.Kind kind, String value) {
    }

    public AccessGrant addGrant(UUID organizationId, UUID connectionId, String kind, String value, Actor actor) {
        GrantInput input = checkGrant(organizationId, connectionId, kind, value, actor);
        AccessGrant grant = new AccessGrant(Ids.newId(), connectionId, input.kind(), input.value(), clock.instant());
        access.insertGrant(organizationId, grant);
        audit.record(organizationId, actor, "sso.grant-added", SsoConnectionService.target(input.connection()), null,
                Map.of("kind", input.kind().name(), "value", input.value()));
        return grant;
    }

    /**
     * What {@link #addGrant} would store, or the error it would answer. A grant the account-linking policy refuses
     * (a domain this organization has not verified, an address of a domain another organization verified) is
     * audited as refused, in its own transaction, whether it was asked for or only previewed.
     */
    public GrantInput checkGrant(UUID organizationId, UUID connectionId, String kind, String value, Actor actor) {
        SsoConnection connection = connections.get(organizationId, connectionId);
        AccessGrant.Kind parsed;
        try {
            parsed = AccessGrant.Kind.valueOf(kind == null ? "" : kind.trim().toUpperCase(java.util.Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            throw InvalidRequestException.field("kind", "kind is one of domain, group, email.");
        }
        String normalized = switch (parsed) {
            case DOMAIN -> SsoDomainService.normalize(value);
            case EMAIL -> EmailAddress.parse(value).map(EmailAddress::normalized)
                    .orElseThrow(() -> InvalidRequestException.field("value", "Give a valid email address."));
            case GROUP -> group(value);
        };
        if (access.grantExists(organizationId, connectionId, parsed, normalized)) {
            throw new ConflictException("grant-exists", "This grant exists.");
        }
        switch (parsed) {
            case DOMAIN -> linking.requireGrantableDomain(organizationId, normalized, actor, target(connection));
            case EMAIL -> linking.requireGrantableAddress(organizationId, new EmailAddress(normalized), actor,
                    target(connection));
            case GROUP -> {
            }
        }
        return new GrantInput(connection, parsed, normalized);
    }

    /** One grant of the connection. */
    @Transactional(readOnly = true)
    public AccessGrant grant(UUID organizationId, UUID connectionId, UUID grantId) {
        return grants(organizationId, connectionId).stream().filter(g -> g.id().equals(grantId)).findFirst()
                .orElseThrow(() -> new NotFoundException("Grant not found."));
    }

    public void removeGrant(UUID organizationId, UUID connectionId, UUID grantId, Actor actor) {
        SsoConnection connection = connections.get(organizationId, connectionId);
        AccessGrant grant = access.deleteGrant(organizationId, connectionId, grantId)
                .orElseThrow(() -> new NotFoundException("Grant not found."));
        audit.record(organizationId, actor, "sso.grant-removed", SsoConnectionService.target(connection),
                Map.of("kind", grant.kind().name(), "value", grant.value()), null);
    }

    @Transactional(readOnly = true)
    public List<AccessGrant> grants(UUID organizationId, UUID connectionId) {
        connections.get(organizationId, connectionId);
        return access.grants(organizationId, connectionId);
    }

    /** A mapping as asked for, checked, not yet stored; {@code team} is null for an admin-only mapping. */
    public record MappingInput(SsoConnection connection, String group, Team team, TeamRole role, boolean admin) {
    }

    /** {@link #addMapping(UUID, UUID, String, String, TeamRole, boolean, Actor)} with the team role {@code member}. */
    public GroupMapping addMapping(UUID organizationId, UUID connectionId, String groupValue, String teamName,
                                   boolean admin, Actor actor) {
        return addMapping(organizationId, connectionId, groupValue, teamName, null, admin, actor);
    }

    /**
     * Maps an IdP group to a team (by name), with the team role its members get there (null: {@code member}), and/or
     * admin. For Entra the group's name is looked up in Graph when the connection has Graph credentials, so admins
     * see names rather than object ids.
     */
    public GroupMapping addMapping(UUID organizationId, UUID connectionId, String groupValue, String teamName,
                                   TeamRole role, boolean admin, Actor actor) {
        MappingInput input = checkMapping(organizationId, connectionId, groupValue, teamName, role, admin);
        Team team = input.team();
        String displayName = safeName(input.connection(), input.group());
        GroupMapping mapping = new GroupMapping(Ids.newId(), connectionId, input.group(), displayName,
                team == null ? null : team.id(), team == null ? null : team.name(), input.role(), admin,
                clock.instant());
        access.insertMapping(organizationId, mapping);
        audit.record(organizationId, actor, "sso.group-mapped", SsoConnectionService.target(input.connection()), null,
                Map.of("group", input.group(), "team", team == null ? "" : team.name(), "role", input.role().name(),
                        "admin", admin));
        return mapping;
    }

    /** What {@link #addMapping} would store, or the error it would answer. */
    public MappingInput checkMapping(UUID organizationId, UUID connectionId, String groupValue, String teamName,
                              TeamRole role, boolean admin) {
        SsoConnection connection = connections.get(organizationId, connectionId);
        String group = group(groupValue);
        Team team = teamName == null || teamName.isBlank() ? null : teams.requireByNames(organizationId,
                List.of(teamName)).get(0);
        if (team == null && !admin) {
            throw InvalidRequestException.field("team", "Map the group to a team, to admin, or both.");
        }
        if (team == null && role == TeamRole.MAINTAINER) {
            throw InvalidRequestException.field("role", "A team role needs a team: choose the team the group's "
                    + "members maintain.");
        }
        boolean duplicate = access.mappings(organizationId, connectionId).stream().anyMatch(m ->
                m.groupValue().equals(group) && java.util.Objects.equals(m.teamId(), team == null ? null : team.id())
                        && m.admin() == admin);
        if (duplicate) {
            throw new ConflictException("mapping-exists", "This mapping exists." + (team == null ? ""
                    : " Change its role instead of adding it again."));
        }
        return new MappingInput(connection, group, team, role == null ? TeamRole.MEMBER : role, admin);
    }

    /**
     * Changes the team role a mapping gives. Like every SSO mapping change it applies at each member's next sign-in
     * through the connection, when the group claim is read again.
     */
    public GroupMapping changeMappingRole(UUID organizationId, UUID connectionId, UUID mappingId, TeamRole role,
                                          Actor actor) {
        SsoConnection connection = connections.get(organizationId, connectionId);
        GroupMapping mapping = mapping(organizationId, connectionId, mappingId);
        if (mapping.teamId() == null) {
            throw InvalidRequestException.field("role", "This mapping gives admin only, no team to hold a role in.");
        }
        if (mapping.role() == role) {
            return mapping;
        }
        access.updateMappingRole(organizationId, mappingId, role);
        audit.record(organizationId, actor, "sso.group-mapping-changed", SsoConnectionService.target(connection),
                Map.of("group", mapping.groupValue(), "team", mapping.teamName(), "role", mapping.role().name()),
                Map.of("group", mapping.groupValue(), "team", mapping.teamName(), "role", role.name()));
        return mapping(organizationId, connectionId, mappingId);
    }

    /** One mapping of the connection. */
    @Transactional(readOnly = true)
    public GroupMapping mapping(UUID organizationId, UUID connectionId, UUID mappingId) {
        return mappings(organizationId, connectionId).stream().filter(m -> m.id().equals(mappingId)).findFirst()
                .orElseThrow(() -> new NotFoundException("Mapping not found."));
    }

    /** Every SSO mapping of the organization that puts people in the team, over all connections. */
    @Transactional(readOnly = true)
    public List<GroupMapping> mappingsForTeam(UUID organizationId, UUID teamId) {
        return named(organizationId, access.mappingsForTeam(organizationId, teamId));
    }

    public void removeMapping(UUID organizationId, UUID connectionId, UUID mappingId, Actor actor) {
        SsoConnection connection = connections.get(organizationId, connectionId);
        GroupMapping mapping = access.mappings(organizationId, connectionId).stream()
                .filter(m -> m.id().equals(mappingId)).findFirst()
                .orElseThrow(() -> new NotFoundException("Mapping not found."));
        access.deleteMapping(organizationId, mappingId);
        audit.record(organizationId, actor, "sso.group-unmapped", SsoConnectionService.target(connection),
                Map.of("group", mapping.groupValue(), "team", mapping.teamName() == null ? "" : mapping.teamName(),
                        "admin", mapping.admin()), null);
    }

    @Transactional(readOnly = true)
    public List<GroupMapping> mappings(UUID organizationId, UUID connectionId) {
        connections.get(organizationId, connectionId);
        return named(organizationId, access.mappings(organizationId, connectionId));
    }

    /**
     * The mappings, each with a display name where Roster knows one: the one looked up in the IdP's API when the
     * mapping was made or its names refreshed, otherwise that of the organization's SCIM group whose externalId is
     * the claim value (so an Entra connection without Graph credentials still shows names when Entra provisions the
     * groups).
     */
    private List<GroupMapping> named(UUID organizationId, List<GroupMapping> mappings) {
        List<String> unnamed = mappings.stream().filter(m -> m.groupDisplayName() == null)
                .map(GroupMapping::groupValue).toList();
        if (unnamed.isEmpty()) {
            return mappings;
        }
        Map<String, String> names = groupNames(organizationId, unnamed);
        if (names.isEmpty()) {
            return mappings;
        }
        return mappings.stream().map(m -> m.groupDisplayName() != null || !names.containsKey(m.groupValue()) ? m
                : new GroupMapping(m.id(), m.connectionId(), m.groupValue(), names.get(m.groupValue()), m.teamId(),
                        m.teamName(), m.role(), m.admin(), m.createdAt())).toList();
    }

    /**
     * The display names the organization's SCIM groups give group claim values (by externalId), for the values that
     * have one: how pages name the groups of access grants and mappings.
     */
    @Transactional(readOnly = true)
    public Map<String, String> groupNames(UUID organizationId, Collection<String> groupClaimValues) {
        DirectoryGroupMappings directory = directoryGroups.getIfAvailable();
        return directory == null || groupClaimValues.isEmpty() ? Map.of()
                : directory.groupNames(organizationId, groupClaimValues);
    }

    /** Looks the names of the connection's mapped groups up again (Entra via Graph, Okta group ids via Okta's API). */
    public List<GroupMapping> refreshGroupNames(UUID organizationId, UUID connectionId) {
        SsoConnection connection = connections.get(organizationId, connectionId);
        for (GroupMapping mapping : access.mappings(organizationId, connectionId)) {
            String name = safeName(connection, mapping.groupValue());
            if (name != null && !name.equals(mapping.groupDisplayName())) {
                access.updateMappingName(organizationId, mapping.id(), name);
            }
        }
        return mappings(organizationId, connectionId);
    }

    private String safeName(SsoConnection connection, String group) {
        try {
            return groups.displayName(connection, group).orElse(null);
        }
        catch (RuntimeException ex) {
            return null;
        }
    }

    private static String group(String value) {
        if (value == null || value.isBlank() || value.trim().length() > 256) {
            throw InvalidRequestException.field("group", "Give the group claim value (1 to 256 characters).");
        }
        return value.trim();
    }

    static AuditTarget target(SsoConnection connection) {
        return SsoConnectionService.target(connection);
    }
}
