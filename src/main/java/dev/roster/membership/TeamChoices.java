package dev.roster.membership;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The teams a team picker offers. {@code complete} when they are all the organization's teams; otherwise the picker
 * shows a search, and these are the results plus the teams already chosen.
 */
public record TeamChoices(List<Team> teams, boolean complete) {

    /** Up to this many teams a picker lists them all. */
    public static final int LISTED_IN_FULL = 500;
    /** How many teams one search offers. */
    public static final int SEARCH_RESULTS = 50;

    public TeamChoices {
        teams = List.copyOf(teams);
    }

    public boolean isEmpty() {
        return teams.isEmpty();
    }

    /** Without the given teams (a member's own teams, the team a resource is in). */
    public TeamChoices without(Collection<UUID> ids) {
        return new TeamChoices(teams.stream().filter(team -> !ids.contains(team.id())).toList(), complete);
    }

    static List<Team> byName(Collection<Team> teams) {
        Map<UUID, Team> unique = new LinkedHashMap<>();
        teams.forEach(team -> unique.putIfAbsent(team.id(), team));
        return unique.values().stream()
                .sorted(Comparator.comparing((Team team) -> team.name().toLowerCase(Locale.ROOT)).thenComparing(Team::id))
                .toList();
    }
}
