package dev.roster.resource;

import java.util.List;

/** A resource someone can reach, with the reason (and for {@link AccessReason#TEAM}, the team). */
public record AccessibleResource(Resource resource, AccessReason reason, List<AccessDecision.TeamRef> teams) {
}
