package dev.roster.invitation;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.roster.shared.InvalidRequestException;

/** An invitation's status as people see it; a pending invitation past its expiry is {@link #EXPIRED}. */
public enum InvitationStatus {
    PENDING, ACCEPTED, EXPIRED, REVOKED;

    @JsonValue
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code pending}, {@code accepted}, {@code expired} or {@code revoked}, ignoring case. */
    public static InvitationStatus parse(String field, String raw) {
        for (InvitationStatus status : values()) {
            if (status.name().equalsIgnoreCase(raw == null ? "" : raw.trim())) {
                return status;
            }
        }
        throw InvalidRequestException.field(field, field + " is one of "
                + Arrays.stream(values()).map(InvitationStatus::apiName).collect(Collectors.joining(", ")) + ".");
    }
}
