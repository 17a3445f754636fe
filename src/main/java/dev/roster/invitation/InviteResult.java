package dev.roster.invitation;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What happened to one address of an invitation request. {@code invitationId} is the new invitation for
 * {@link Outcome#INVITED} and the open one for {@link Outcome#ALREADY_INVITED}; {@code teams} the teams a new
 * invitation gives; {@code unknownTeams} the team names of an {@link Outcome#UNKNOWN_TEAM} entry that the
 * organization does not have.
 */
public record InviteResult(String email, Outcome result, UUID invitationId, List<String> teams,
                           List<String> unknownTeams) {

    public InviteResult(String email, Outcome result, UUID invitationId) {
        this(email, result, invitationId, null, null);
    }

    static InviteResult invited(String email, UUID invitationId, List<String> teams) {
        return new InviteResult(email, Outcome.INVITED, invitationId, List.copyOf(teams), null);
    }

    static InviteResult unknownTeams(String email, List<String> unknown) {
        return new InviteResult(email, Outcome.UNKNOWN_TEAM, null, null, List.copyOf(unknown));
    }

    public enum Outcome {
        INVITED, ALREADY_MEMBER, ALREADY_INVITED, INVALID_EMAIL, DUPLICATE, UNKNOWN_TEAM;

        @JsonValue
        public String apiName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
