package dev.roster.sso.idp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Asks Graph again when it answered that it throttles the app (429) or is unavailable for now (503, 504), as
 * Microsoft's guidance on throttling and transient errors asks: after the answer's {@code Retry-After}, or, without
 * one, after a back-off that doubles from a second (up to 1 s, 2 s, 4 s, each drawn at random from the upper half of
 * its step: {@link #backOff}); three times at most, as the Graph SDK's own retry handler, which this replaces. Unlike
 * that one, it never waits past the lookup's deadline ({@link LookupDeadlines}): an answer whose wait would end after
 * the deadline is the lookup's answer at once. (Kiota's handler sleeps out a {@code Retry-After} of up to three
 * minutes, and backs off 3 to 7.5 s between tries without one, up to 17 s in all.)
 * <p>
 * It waits on the lookup's thread, where the deadline's abort does not reach: the check before each wait is what
 * bounds it.
 */
final class RetryWithinDeadline implements Interceptor {

    /** As many retries as Kiota's handler makes by default. */
    static final int MAX_RETRIES = 3;

    /**
     * The step of the first retry's back-off when Graph says nothing of how long to wait; each next one is twice as
     * long.
     */
    static final Duration FIRST_BACK_OFF = Duration.ofSeconds(1);

    /** Where the back-offs' randomness comes from outside tests: a fraction in [0, 1), drawn anew for each wait. */
    static final DoubleSupplier RANDOM = () -> ThreadLocalRandom.current().nextDouble();

    private final LookupDeadlines deadlines;
    private final DoubleSupplier random;

    /** @param random a fraction in [0, 1) for each back-off ({@link #RANDOM}; a fixed one in tests) */
    RetryWithinDeadline(LookupDeadlines deadlines, DoubleSupplier random) {
        this.deadlines = deadlines;
        this.random = random;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        Response response = chain.proceed(request);
        for (int retry = 1; retry <= MAX_RETRIES && transientFailure(response) && replayable(request); retry++) {
            // What Graph asks for is waited for as it is, unspread: it knows when it will take requests again.
            Duration wait = retryAfter(response.header("Retry-After"))
                    .orElse(backOff(retry, random.getAsDouble()));
            if (wait.compareTo(deadlines.remaining()) >= 0) {
                break;
            }
            response.close();
            sleep(wait);
            // As Kiota's handler marks a retry, so that Graph's side can tell it from a first request.
            request = request.newBuilder().header("Retry-Attempt", String.valueOf(retry)).build();
            response = chain.proceed(request);
        }
        return response;
    }

    /**
     * The wait before the {@code retry}th retry (from 1) when Graph did not say how long to wait: half the step
     * ({@link #FIRST_BACK_OFF}, doubled for each retry before), and {@code fraction} (in [0, 1)) of the other half.
     * <p>
     * Why not the step itself: the sign-ins that one outage of Graph answers 503 at about the same moment would then
     * ask again in step, 1, 2 and 4 s later, each retry a burst as large as the first, just as Graph comes back.
     * Spreading each wait at random ("equal jitter", as Marc Brooker's "Exponential Backoff And Jitter", AWS
     * Architecture Blog, 2015, calls it; Microsoft's transient-fault guidance also asks retries to be randomized)
     * spreads the burst over half the step. Half rather than all of it ("full jitter", which spreads wider): a wait
     * near zero would ask again at once the Graph that just asked to be left alone, and with a floor of half the step
     * no wait is longer than before and the three retries still take at most 7 s, well within the deadline.
     */
    static Duration backOff(int retry, double fraction) {
        Duration half = FIRST_BACK_OFF.multipliedBy(1L << (retry - 1)).dividedBy(2);
        return half.plusNanos((long) (half.toNanos() * fraction));
    }

    private static boolean transientFailure(Response response) {
        return response.code() == 429 || response.code() == 503 || response.code() == 504;
    }

    /** Whether the request can be sent again: a body Kiota gives as bytes can; a stream read once could not. */
    private static boolean replayable(Request request) {
        RequestBody body = request.body();
        return body == null || !body.isOneShot();
    }

    /**
     * The wait a {@code Retry-After} asks for, in seconds or until an HTTP date (HTTP allows either; Graph sends
     * seconds); empty when there is none, or none that can be read, and the back-off applies.
     */
    static Optional<Duration> retryAfter(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        if (trimmed.matches("[0-9]+")) {
            // More digits than a long holds still asks for a wait, and one longer than any deadline.
            return Optional.of(trimmed.length() > 18 ? ChronoUnit.FOREVER.getDuration()
                    : Duration.ofSeconds(Long.parseLong(trimmed)));
        }
        try {
            Instant at = Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(trimmed));
            Duration until = Duration.between(Instant.now(), at);
            return Optional.of(until.isNegative() ? Duration.ZERO : until);
        }
        catch (DateTimeException ex) {
            return Optional.empty();
        }
    }

    private static void sleep(Duration wait) throws InterruptedIOException {
        try {
            Thread.sleep(wait.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to ask Microsoft Graph again");
        }
    }
}
