package dev.roster.shared.ratelimit;

import java.time.Duration;

/**
 * The answer of a bucket to one request for a token.
 *
 * @param taken   whether the token was there (the request may go ahead)
 * @param retryIn when not taken, how long until one is
 * @param shared  whether it was counted in the database for all instances, or in this instance's memory only (H2, or
 *                the shared bucket could not be reached)
 */
public record Take(boolean taken, Duration retryIn, boolean shared) {

    /** The wait in whole seconds, at least 1: for a {@code Retry-After} header. */
    public long waitSeconds() {
        return Math.max(1, (retryIn.toMillis() + 999) / 1000);
    }
}
