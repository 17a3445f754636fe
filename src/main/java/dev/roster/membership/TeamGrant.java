package dev.roster.membership;

import java.util.Set;
import java.util.UUID;

/** A member's place in one team, with every source that grants it and the highest role of those grants. */
public record TeamGrant(UUID teamId, String teamName, Set<GrantSource> sources, TeamRole role) {

    public TeamGrant(UUID teamId, String teamName, Set<GrantSource> sources) {
        this(teamId, teamName, sources, TeamRole.MEMBER);
    }

    public boolean managedByDirectory() {
        return sources.stream().anyMatch(GrantSource::isDirectory);
    }
}
