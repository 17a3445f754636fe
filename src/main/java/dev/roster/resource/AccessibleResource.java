package dev.roster.resource;

import java.util.List;

/**
 * A resource someone can reach, with the reason (for {@link AccessReason#TEAM}, the team; for
 * {@link AccessReason#COLLABORATOR}, the role, else null).
 */
public record AccessibleResource(Resource resource, AccessReason reason, List<AccessDecision.TeamRef> teams,
                                 CollaboratorRole role) {
}
