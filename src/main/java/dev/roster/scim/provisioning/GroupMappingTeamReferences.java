package dev.roster.scim.provisioning;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.roster.membership.TeamReferences;

/** A team can be deleted while groups map to it; the admin is told which mappings stop granting it. */
@Component
class GroupMappingTeamReferences implements TeamReferences {

    private final GroupMappingRepository mappings;

    GroupMappingTeamReferences(GroupMappingRepository mappings) {
        this.mappings = mappings;
    }

    @Override
    public List<String> blockingDeletion(UUID organizationId, UUID teamId) {
        return List.of();
    }

    @Override
    public List<String> affectedByDeletion(UUID organizationId, UUID teamId) {
        return mappings.describeForTeam(organizationId, teamId);
    }
}
