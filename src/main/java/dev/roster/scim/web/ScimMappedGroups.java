package dev.roster.scim.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.roster.membership.TeamGroupMappings;
import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.scim.provisioning.GroupMapping;
import dev.roster.scim.provisioning.GroupMappingService;

/** The SCIM group mappings that fill a team, for the team's page, linking to the directory's page. */
@Component
class ScimMappedGroups implements TeamGroupMappings {

    private final GroupMappingService mappings;
    private final ScimDirectoryService directories;

    ScimMappedGroups(GroupMappingService mappings, ScimDirectoryService directories) {
        this.mappings = mappings;
        this.directories = directories;
    }

    @Override
    public List<MappedGroup> mappedTo(UUID organizationId, UUID teamId) {
        Map<UUID, String> names = new HashMap<>();
        return mappings.mappingsForTeam(organizationId, teamId).stream()
                .map(m -> new MappedGroup("SCIM: " + names.computeIfAbsent(m.directoryId(),
                        id -> directories.get(organizationId, id).name()), label(organizationId, m), "matched by "
                        + MappingLabels.by(m.matchBy()) + " " + m.matchValue(), m.admin(),
                        ProvisioningPaths.directory(m.directoryId()) + "#mappings-heading"))
                .toList();
    }

    private String label(UUID organizationId, GroupMapping mapping) {
        List<String> matched = mappings.matchedGroupNames(organizationId, mapping);
        return matched.isEmpty() ? mapping.matchValue() : String.join(", ", matched);
    }
}
