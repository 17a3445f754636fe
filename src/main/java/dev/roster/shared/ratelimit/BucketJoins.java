package dev.roster.shared.ratelimit;

import java.time.Duration;

/**
 * The shared buckets as other modules' statements may take from them: SCIM's token look-up takes one unit from the
 * bucket of the directory its token belongs to in the statement that finds the token (decision 0021), one round trip
 * instead of two. The table {@code rate_limit_bucket} belongs to this module; others name it only through this
 * fragment (docs/architecture.md#who-owns-which-table), and the arithmetic is {@link SharedBuckets}'s own, in the same
 * words as its {@link SharedBuckets#take one-statement take} (decision 0018).
 */
public final class BucketJoins {

    /**
     * The longest a statement composed with {@link #takeFrom} may wait for the bucket's row lock: set it as the
     * statement's query timeout, and take in memory ({@link SharedBuckets#take(String, Limit, InlineTake)} with
     * {@link InlineTake.Failed}) when it runs out.
     */
    public static final Duration LOCK_WAIT = SharedBuckets.LOCK_WAIT;

    private BucketJoins() {
    }

    /**
     * The body of a data-modifying CTE, {@code WITH taken AS (<this>)}, that takes one unit from the bucket named by the
     * row of {@code source} (a CTE of the same statement with the columns {@code bucket_id}, the name
     * {@link SharedBuckets#take} would give it: key, {@code @}, capacity, {@code /}, refill period in nanoseconds;
     * {@code bucket_capacity} and {@code bucket_period}, both {@code BIGINT}) and returns {@code taken_from} (the
     * bucket's name), {@code units_left} and {@code taken}, for {@link InlineTake.Answered}.
     * <p>
     * It takes only when {@code source} has exactly one row, and only for a shape {@link Limit#units()} accepts: no
     * row, several rows (which a statement must not make up) or a shape too large take nothing and return no row, and
     * the caller then takes as usual. {@code nowMillis} is a parameter expression: the application clock's epoch
     * milliseconds. Run in autocommit, so that the row lock is held for that statement only.
     */
    public static String takeFrom(String source, String nowMillis) {
        return SharedBuckets.takeFrom(source, nowMillis);
    }
}
