package dev.roster.sso.idp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;

/** How {@link RetryWithinDeadline} reads a {@code Retry-After}; what it does with the wait: EntraGraphRetryTest. */
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
}
