package dev.roster.scim.security;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import dev.roster.scim.ScimProperties;
import dev.roster.scim.directory.ScimDirectory;

/**
 * A token bucket per directory, in this instance's memory: with several Roster instances behind a load balancer,
 * each enforces the rate on the requests it serves. That bounds what one IdP can cost each instance, which is the
 * point; it is not an exact cluster-wide quota.
 */
@Component
class ScimRateLimiter {

    private final ScimProperties properties;
    private final Clock clock;
    private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();

    ScimRateLimiter(ScimProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** Takes one request from the directory's bucket; returns 0 if allowed, else the seconds until one is. */
    long acquire(ScimDirectory directory) {
        double rate = directory.requestsPerSecond() != null ? directory.requestsPerSecond()
                : properties.rateLimit().requestsPerSecond();
        double burst = directory.requestsPerSecond() != null ? Math.max(1, directory.requestsPerSecond())
                : Math.max(1, properties.rateLimit().burst());
        Bucket bucket = buckets.computeIfAbsent(directory.id(), id -> new Bucket(burst, clock.millis()));
        return bucket.take(rate, burst, clock.millis());
    }

    private static final class Bucket {

        private double tokens;
        private long updatedAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedAt = now;
        }

        synchronized long take(double rate, double burst, long now) {
            tokens = Math.min(burst, tokens + Math.max(0, now - updatedAt) * rate / 1000.0);
            updatedAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / rate));
        }
    }
}
