package dev.roster.shared.ratelimit;

import java.time.Duration;

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

    BucketConfiguration configuration() {
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, refillPeriod))
                .build();
    }
}
