package dev.roster.membership;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A member's role in a team. Maintainers manage the collaborators of the resources their team owns; members only
 * reach them. The role belongs to a grant (an admin makes someone a maintainer with their manual grant), and a member
 * holding several grants of one team has the highest of their roles.
 */
public enum TeamRole {
    MEMBER, MAINTAINER;

    /** As the API writes it: {@code member}, {@code maintainer}. */
    @JsonValue
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The higher of two roles: what a member holding both grants has. */
    public static TeamRole higher(TeamRole a, TeamRole b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
