package dev.roster.resource;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import dev.roster.membership.TeamReferences;

/**
 * A team that owns resources cannot be deleted: its resources would be left without an owner, or silently become
 * someone else's. The admin is shown which resources to transfer or delete first.
 */
@Component
class ResourceTeamReferences implements TeamReferences {

    private static final int LISTED = 10;

    private final ResourceRepository resources;

    ResourceTeamReferences(ResourceRepository resources) {
        this.resources = resources;
    }

    @Override
    public List<String> blockingDeletion(UUID organizationId, UUID teamId) {
        List<Resource> owned = resources.ownedByTeam(organizationId, teamId, LISTED);
        if (owned.isEmpty()) {
            return List.of();
        }
        long total = owned.size() < LISTED ? owned.size() : resources.countOwnedByTeam(organizationId, teamId);
        String names = owned.stream().map(r -> describe(r.kind()) + " '" + r.name() + "'")
                .collect(Collectors.joining(", "));
        String more = total > owned.size() ? " and " + (total - owned.size()) + " more" : "";
        return List.of("it owns " + total + (total == 1 ? " resource" : " resources") + " (" + names + more
                + "); transfer or delete them first");
    }

    static String describe(ResourceKind kind) {
        return switch (kind) {
            case PROJECT -> "project";
            case ENVIRONMENT -> "environment";
            case DATA_STORE -> "data store";
        };
    }
}
