package dev.roster.sso.idp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * How {@link RetryWithinDeadline} reads a {@code Retry-After}, and how long it backs off without one; what it does with
 * the wait: EntraGraphRetryTest.
 */
class RetryAfterTest {

    @Test
    void secondsAreTheWait() {
        assertThat(RetryWithinDeadline.retryAfter(" 30 ")).contains(Duration.ofSeconds(30));
        assertThat(RetryWithinDeadline.retryAfter("0")).contains(Duration.ZERO);
    }

    /** Longer than any deadline, so never waited for, rather than an overflow or no wait at all. */
    @Test
    void moreSecondsThanALongHoldsAreStillAWait() {
        assertThat(RetryWithinDeadline.retryAfter("9".repeat(40))).hasValueSatisfying(
                wait -> assertThat(wait).isGreaterThan(Duration.ofDays(365 * 1000)));
    }

    @Test
    void anHttpDateIsTheWaitUntilThen() {
        String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.now().plusSeconds(60).atOffset(ZoneOffset.UTC));
        assertThat(RetryWithinDeadline.retryAfter(inAMinute)).hasValueSatisfying(
                wait -> assertThat(wait).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60)));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.now().minusSeconds(60).atOffset(ZoneOffset.UTC));
        assertThat(RetryWithinDeadline.retryAfter(past)).contains(Duration.ZERO);
    }

    /** Then the back-off applies, as when there is no Retry-After. */
    @Test
    void whatCannotBeReadIsNoWait() {
        assertThat(RetryWithinDeadline.retryAfter(null)).isEmpty();
        assertThat(RetryWithinDeadline.retryAfter("soon")).isEmpty();
        assertThat(RetryWithinDeadline.retryAfter("-5")).isEmpty();
        assertThat(RetryWithinDeadline.retryAfter("")).isEmpty();
    }

    /** Half the step at the least, and short of the step: 0.5 to 1 s, then 1 to 2 s, then 2 to 4 s. */
    @Test
    void aBackOffIsDrawnFromTheUpperHalfOfItsStep() {
        assertThat(RetryWithinDeadline.backOff(1, 0)).isEqualTo(Duration.ofMillis(500));
        assertThat(RetryWithinDeadline.backOff(1, 0.5)).isEqualTo(Duration.ofMillis(750));
        assertThat(RetryWithinDeadline.backOff(2, 0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryWithinDeadline.backOff(3, 0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(RetryWithinDeadline.backOff(3, Math.nextDown(1.0)))
                .isBetween(Duration.ofMillis(3999), Duration.ofSeconds(4)).isNotEqualTo(Duration.ofSeconds(4));
    }

    /**
     * Two lookups that the same outage failed ask again at different moments: here two seeds, each a sequence of
     * three back-offs, each within its range.
     */
    @Test
    void lookupsDrawingDifferentlyBackOffDifferently() {
        List<Duration> one = backOffs(new Random(1)::nextDouble);
        List<Duration> other = backOffs(new Random(2)::nextDouble);

        assertThat(one).isNotEqualTo(other);
        for (List<Duration> backOffs : List.of(one, other)) {
            for (int retry = 1; retry <= RetryWithinDeadline.MAX_RETRIES; retry++) {
                Duration step = RetryWithinDeadline.FIRST_BACK_OFF.multipliedBy(1L << (retry - 1));
                assertThat(backOffs.get(retry - 1)).isGreaterThanOrEqualTo(step.dividedBy(2)).isLessThan(step);
            }
        }
    }

    /** The application's source: fractions in [0, 1), not one fixed fraction that every lookup would wait alike. */
    @Test
    void theApplicationsBackOffsAreDrawnAtRandom() {
        Set<Double> drawn = Stream.generate(RetryWithinDeadline.RANDOM::getAsDouble).limit(100)
                .collect(Collectors.toSet());

        assertThat(drawn).hasSizeGreaterThan(50).allSatisfy(fraction -> assertThat(fraction).isBetween(0.0, 1.0)
                .isNotEqualTo(1.0));
    }

    private static List<Duration> backOffs(DoubleSupplier random) {
        return IntStream.rangeClosed(1, RetryWithinDeadline.MAX_RETRIES)
                .mapToObj(retry -> RetryWithinDeadline.backOff(retry, random.getAsDouble())).toList();
    }
}
