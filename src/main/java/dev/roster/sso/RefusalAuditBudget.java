package dev.roster.sso;

import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.springframework.stereotype.Component;

/**
 * How many refused SAML responses go into the audit log. Anyone who knows a connection's ACS URL can post responses
 * that fail validation, so without a budget every such post would add a row. Each connection and reason has a budget
 * of {@code roster.sso.refusal-audit-limit} entries that refills evenly over an hour; refusals beyond it are counted,
 * and the next entry written says how many were left out. An admin chasing a misconfiguration (a rotated IdP
 * certificate, a wrong entity ID) still sees the refusals, a flood cannot grow the table without bound.
 * <p>
 * Counted in each instance's memory. The keys are bounded: only connections that exist are audited, and the reasons
 * are Spring Security's fixed error codes.
 */
@Component
class RefusalAuditBudget {

    private static final Duration REFILL_PERIOD = Duration.ofHours(1);

    private final ConcurrentMap<Key, Bucket> buckets = new ConcurrentHashMap<>();
    private final int limit;
    private final Clock clock;

    RefusalAuditBudget(SsoProperties properties, Clock clock) {
        this.limit = properties.refusalAuditLimit();
        this.clock = clock;
    }

    /**
     * Takes one entry from the budget of this connection and reason. Empty when the refusal should not be audited
     * (it is counted instead); otherwise the number of refusals left out since the last one audited.
     */
    OptionalLong take(UUID connectionId, String reason) {
        if (limit <= 0) {
            return OptionalLong.of(0);
        }
        Bucket bucket = buckets.computeIfAbsent(new Key(connectionId, reason), key -> new Bucket(limit, now()));
        return bucket.take(limit, now());
    }

    private long now() {
        return clock.millis();
    }

    private record Key(UUID connectionId, String reason) {
    }

    private static final class Bucket {

        private double entries;
        private long updatedAt;
        private long suppressed;

        Bucket(double entries, long now) {
            this.entries = entries;
            this.updatedAt = now;
        }

        synchronized OptionalLong take(int limit, long now) {
            entries = Math.min(limit, entries + Math.max(0, now - updatedAt) * (double) limit / REFILL_PERIOD.toMillis());
            updatedAt = Math.max(updatedAt, now);
            if (entries < 1) {
                suppressed++;
                return OptionalLong.empty();
            }
            entries--;
            long left = suppressed;
            suppressed = 0;
            return OptionalLong.of(left);
        }
    }
}
