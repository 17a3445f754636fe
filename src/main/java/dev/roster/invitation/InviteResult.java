package dev.roster.invitation;

import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What happened to one address of an invitation request. {@code invitationId} is the new invitation for
 * {@link Outcome#INVITED} and the open one for {@link Outcome#ALREADY_INVITED}.
 */
public record InviteResult(String email, Outcome result, UUID invitationId) {

    public enum Outcome {
        INVITED, ALREADY_MEMBER, ALREADY_INVITED, INVALID_EMAIL, DUPLICATE;

        @JsonValue
        public String apiName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
