package dev.roster.shared.ratelimit;

import java.time.Duration;
import java.util.OptionalLong;

import io.github.bucket4j.BucketConfiguration;

/**
 * A token bucket's shape: it holds up to {@code capacity} tokens and refills {@code capacity} of them evenly over
 * {@code refillPeriod}.
 */
public record Limit(long capacity, Duration refillPeriod) {

    public Limit {
        if (capacity < 1 || refillPeriod.isNegative() || refillPeriod.isZero()) {
            throw new IllegalArgumentException("A limit needs a capacity of at least 1 and a positive refill period");
        }
    }

    /** {@code burst} at once, then {@code perSecond} a second (a fraction for fewer than one). */
    public static Limit perSecond(double perSecond, long burst) {
        long nanos = Math.max(1, Math.round(burst * 1_000_000_000d / perSecond));
        return new Limit(burst, Duration.ofNanos(nanos));
    }

    /** Part of a bucket's key, so a changed limit starts a bucket of its own instead of reading one of another shape. */
    String signature() {
        return capacity + "/" + refillPeriod.toNanos();
    }

    /**
     * A full bucket's content in the shared buckets' integer units (decision 0018): {@code capacity} times the refill
     * period in nanoseconds, so that it refills {@code capacity} units a nanosecond. Empty for a shape too large for
     * that arithmetic (twice the product must fit in a {@code BIGINT}), which is then counted in memory.
     */
    OptionalLong units() {
        long period = refillPeriod.toNanos();
        if (period > Long.MAX_VALUE / 4 / capacity) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(capacity * period);
    }

    BucketConfiguration configuration() {
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, refillPeriod))
                .build();
    }
}
