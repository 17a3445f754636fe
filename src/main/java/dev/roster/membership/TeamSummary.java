package dev.roster.membership;

public record TeamSummary(Team team, long memberCount) {
}
