package dev.roster.shared.ratelimit;

/**
 * What a statement composed with {@link BucketJoins#takeFrom} did for a bucket, for
 * {@link SharedBuckets#take(String, Limit, InlineTake)}.
 */
public sealed interface InlineTake {

    /** Nothing taken: the statement did not ask (H2), or took for no bucket. */
    InlineTake NONE = new None();

    /** Did not ask, or took nothing. */
    record None() implements InlineTake {
    }

    /** The bucket named {@code bucket} answered: its units after the take, and whether a token was taken. */
    record Answered(String bucket, long unitsLeft, boolean taken) implements InlineTake {
    }

    /** The statement failed (the bucket's row lock, say) and its caller read what it needed without taking. */
    record Failed(Exception cause) implements InlineTake {
    }
}
