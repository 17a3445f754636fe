package dev.roster.membership;

import java.time.Instant;
import java.util.UUID;

/** A team as the API shows it, and as events carry it ({@code data} of {@code team.*}). */
public record TeamView(UUID id, String name, String description, Long memberCount, Instant createdAt,
                       Instant updatedAt) {

    public static TeamView of(Team team, Long memberCount) {
        return new TeamView(team.id(), team.name(), team.description(), memberCount, team.createdAt(),
                team.updatedAt());
    }

    public static TeamView of(TeamSummary summary) {
        return of(summary.team(), summary.memberCount());
    }
}
