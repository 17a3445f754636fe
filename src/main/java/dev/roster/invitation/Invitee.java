package dev.roster.invitation;

import java.util.List;

/**
 * One address to invite, with the teams (by name) of its own line or entry; {@code teams} is null when it names none
 * and the request's teams apply.
 */
public record Invitee(String email, List<String> teams) {
}
