package dev.roster.membership;

import java.util.Set;
import java.util.UUID;

/** A member's place in one team, with every source that grants it. */
public record TeamGrant(UUID teamId, String teamName, Set<TeamSource> sources) {

    public boolean managedByDirectory() {
        return sources.stream().anyMatch(TeamSource::isDirectory);
    }
}
