package dev.roster.sso.access;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.roster.membership.TeamReferences;

/** A team's deletion also deletes the SSO group mappings that point at it; admins are told before. */
@Component
class SsoTeamReferences implements TeamReferences {

    private final SsoAccessRepository access;

    SsoTeamReferences(SsoAccessRepository access) {
        this.access = access;
    }

    @Override
    public List<String> blockingDeletion(UUID organizationId, UUID teamId) {
        return List.of();
    }

    @Override
    public List<String> affectedByDeletion(UUID organizationId, UUID teamId) {
        return access.mappingsForTeam(organizationId, teamId).stream()
                .map(m -> "the SSO group mapping of " + (m.groupDisplayName() == null ? m.groupValue()
                        : m.groupDisplayName()) + " is deleted with it")
                .toList();
    }
}
