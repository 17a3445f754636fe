package dev.roster.scim.security;

import org.springframework.stereotype.Component;

import dev.roster.scim.ScimProperties;
import dev.roster.scim.directory.ScimDirectory;
import dev.roster.shared.ratelimit.Limit;
import dev.roster.shared.ratelimit.SharedBuckets;
import dev.roster.shared.ratelimit.Take;

/**
 * A token bucket per directory, counted by all Roster instances together ({@link SharedBuckets}): behind a load
 * balancer the directory gets the documented rate in all, not that rate from each instance.
 */
@Component
class ScimRateLimiter {

    private final ScimProperties properties;
    private final SharedBuckets buckets;

    ScimRateLimiter(ScimProperties properties, SharedBuckets buckets) {
        this.properties = properties;
        this.buckets = buckets;
    }

    /** Takes one request from the directory's bucket; returns 0 if allowed, else the seconds until one is. */
    long acquire(ScimDirectory directory) {
        Take take = buckets.take("scim-directory:" + directory.id(), limit(directory));
        return take.taken() ? 0 : take.waitSeconds();
    }

    private Limit limit(ScimDirectory directory) {
        if (directory.requestsPerSecond() != null) {
            return Limit.perSecond(Math.max(1, directory.requestsPerSecond()), Math.max(1, directory.requestsPerSecond()));
        }
        return Limit.perSecond(Math.max(1, properties.rateLimit().requestsPerSecond()),
                Math.max(1, properties.rateLimit().burst()));
    }
}
