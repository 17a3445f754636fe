package dev.roster.sso.web;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import dev.roster.membership.TeamGroupMappings;
import dev.roster.sso.connection.ConnectionView;
import dev.roster.sso.access.SsoAccessService;
import dev.roster.sso.connection.SsoConnectionService;

/** The SSO group mappings that fill a team, for the team's page, linking to the connection's access page. */
@Component
class SsoMappedGroups implements TeamGroupMappings {

    private final SsoAccessService access;
    private final SsoConnectionService connections;

    SsoMappedGroups(SsoAccessService access, SsoConnectionService connections) {
        this.access = access;
        this.connections = connections;
    }

    @Override
    public List<MappedGroup> mappedTo(UUID organizationId, UUID teamId) {
        var mappings = access.mappingsForTeam(organizationId, teamId);
        if (mappings.isEmpty()) {
            return List.of();
        }
        Map<UUID, String> names = connections.list(organizationId).stream()
                .collect(Collectors.toMap(ConnectionView::id, ConnectionView::name));
        return mappings.stream()
                .map(m -> new MappedGroup("SSO: " + names.getOrDefault(m.connectionId(), "connection"),
                        m.groupDisplayName() == null ? m.groupValue() : m.groupDisplayName(),
                        m.groupDisplayName() == null ? null : m.groupValue(), m.admin(),
                        SsoPaths.access(m.connectionId()) + "#mappings-heading"))
                .toList();
    }
}
