package dev.roster.shared;

import java.util.Objects;
import java.util.UUID;

/**
 * Who performs a change, and through which channel. {@code accountId} is empty for directories and the system.
 */
public record Actor(UUID accountId, String label, Channel channel) {

    public Actor {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(channel, "channel");
    }

    public static Actor account(UUID accountId, String email, Channel channel) {
        return new Actor(accountId, email, channel);
    }

    public static Actor system(String label) {
        return new Actor(null, label, Channel.SYSTEM);
    }

    /** Whoever holds the operator token (docs/operations.md#running-roster-for-many-customers). */
    public static Actor operator() {
        return new Actor(null, "operator", Channel.API);
    }

    public static Actor directory(String label, Channel channel) {
        return new Actor(null, label, channel);
    }
}
