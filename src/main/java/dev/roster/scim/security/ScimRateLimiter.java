package dev.roster.scim.security;

import java.time.Duration;

import org.springframework.stereotype.Component;

import dev.roster.scim.ScimProperties;
import dev.roster.scim.directory.ScimDirectory;
import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.shared.ratelimit.Limit;
import dev.roster.shared.ratelimit.SharedBuckets;
import dev.roster.shared.ratelimit.Take;

/**
 * A token bucket per directory, counted by all Roster instances together ({@link SharedBuckets}): behind a load
 * balancer the directory gets the documented rate in all, not that rate from each instance. On PostgreSQL the token
 * look-up takes from the bucket in its own statement ({@link #buckets()}, decision 0021), and {@link #acquire} uses
 * that answer instead of asking again.
 */
@Component
class ScimRateLimiter {

    static final String KEY_PREFIX = "scim-directory:";
    /**
     * The refill period of a directory with its own rate R: R tokens a second, a burst of R. The same shape as
     * {@code Limit.perSecond(R, R)} (R × 10^9 / R nanoseconds, exactly), stated so that the token look-up's SQL can
     * compute it from the directory's row.
     */
    static final Duration OWN_RATE_PERIOD = Duration.ofSeconds(1);

    private final ScimProperties properties;
    private final SharedBuckets buckets;

    ScimRateLimiter(ScimProperties properties, SharedBuckets buckets) {
        this.properties = properties;
        this.buckets = buckets;
    }

    /**
     * How the token look-up names and shapes the bucket it takes from, or {@code null} where statements do not take
     * (H2: the buckets are in memory).
     */
    ScimDirectoryService.DirectoryBuckets buckets() {
        return buckets.takesInStatements()
                ? new ScimDirectoryService.DirectoryBuckets(KEY_PREFIX, defaults(), OWN_RATE_PERIOD) : null;
    }

    /**
     * Takes one request from the caller's directory's bucket, or uses what the token look-up took from it; returns 0 if
     * allowed, else the seconds until one is.
     */
    long acquire(ScimDirectoryService.Caller caller) {
        Take take = buckets.take(KEY_PREFIX + caller.directory().id(), limit(caller.directory()), caller.bucket());
        return take.taken() ? 0 : take.waitSeconds();
    }

    Limit limit(ScimDirectory directory) {
        if (directory.requestsPerSecond() != null) {
            return new Limit(Math.max(1, directory.requestsPerSecond()), OWN_RATE_PERIOD);
        }
        return defaults();
    }

    private Limit defaults() {
        return Limit.perSecond(Math.max(1, properties.rateLimit().requestsPerSecond()),
                Math.max(1, properties.rateLimit().burst()));
    }
}
