package dev.roster.sso;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.shared.EmailAddress;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;

/** Access grants and group-to-team mappings of a connection. */
@Service
@Transactional
public class SsoAccessService {

    private final SsoAccessRepository access;
    private final SsoConnectionService connections;
    private final SsoGroups groups;
    private final TeamService teams;
    private final AuditLog audit;
    private final Clock clock;

    SsoAccessService(SsoAccessRepository access, SsoConnectionService connections, SsoGroups groups, TeamService teams,
                     AuditLog audit, Clock clock) {
        this.access = access;
        this.connections = connections;
        this.groups = groups;
        this.teams = teams;
        this.audit = audit;
        this.clock = clock;
    }

    public AccessGrant addGrant(UUID organizationId, UUID connectionId, String kind, String value, Actor actor) {
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
        AccessGrant grant = new AccessGrant(Ids.newId(), connectionId, parsed, normalized, clock.instant());
        access.insertGrant(organizationId, grant);
        audit.record(organizationId, actor, "sso.grant-added", SsoConnectionService.target(connection), null,
                Map.of("kind", parsed.name(), "value", normalized));
        return grant;
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

    /**
     * Maps an IdP group to a team (by name) and/or admin. For Entra the group's name is looked up in Graph when the
     * connection has Graph credentials, so admins see names rather than object ids.
     */
    public GroupMapping addMapping(UUID organizationId, UUID connectionId, String groupValue, String teamName,
                                   boolean admin, Actor actor) {
        SsoConnection connection = connections.get(organizationId, connectionId);
        String group = group(groupValue);
        Team team = teamName == null || teamName.isBlank() ? null : teams.requireByNames(organizationId,
                List.of(teamName)).get(0);
        if (team == null && !admin) {
            throw InvalidRequestException.field("team", "Map the group to a team, to admin, or both.");
        }
        boolean duplicate = access.mappings(organizationId, connectionId).stream().anyMatch(m ->
                m.groupValue().equals(group) && java.util.Objects.equals(m.teamId(), team == null ? null : team.id())
                        && m.admin() == admin);
        if (duplicate) {
            throw new ConflictException("mapping-exists", "This mapping exists.");
        }
        String displayName = safeName(connection, group);
        GroupMapping mapping = new GroupMapping(Ids.newId(), connectionId, group, displayName,
                team == null ? null : team.id(), team == null ? null : team.name(), admin, clock.instant());
        access.insertMapping(organizationId, mapping);
        audit.record(organizationId, actor, "sso.group-mapped", SsoConnectionService.target(connection), null,
                Map.of("group", group, "team", team == null ? "" : team.name(), "admin", admin));
        return mapping;
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
        return access.mappings(organizationId, connectionId);
    }

    /** Looks the names of the connection's mapped groups up again (Entra via Graph). */
    public List<GroupMapping> refreshGroupNames(UUID organizationId, UUID connectionId) {
        SsoConnection connection = connections.get(organizationId, connectionId);
        for (GroupMapping mapping : access.mappings(organizationId, connectionId)) {
            String name = safeName(connection, mapping.groupValue());
            if (name != null && !name.equals(mapping.groupDisplayName())) {
                access.updateMappingName(organizationId, mapping.id(), name);
            }
        }
        return access.mappings(organizationId, connectionId);
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
