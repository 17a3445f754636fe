package dev.roster.membership;

import java.util.List;
import java.util.UUID;

/**
 * Implemented by features that point at teams (resources, invitations, IdP group mappings) so that a team's
 * deletion can show what it affects and be refused while something depends on it.
 */
public interface TeamReferences {

    /** Things that stop the team from being deleted, described for an admin; empty if none. */
    List<String> blockingDeletion(UUID organizationId, UUID teamId);

    /** Things the deletion will change without being stopped by them, described for an admin. */
    default List<String> affectedByDeletion(UUID organizationId, UUID teamId) {
        return List.of();
    }
}
