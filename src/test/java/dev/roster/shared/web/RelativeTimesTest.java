package dev.roster.shared.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RelativeTimesTest {

    private static final Instant NOW = Instant.parse("2026-12-04T16:37:00Z");

    @Test
    void saysHowLongAgoOrHowSoonInWords() {
        assertThat(say(Duration.ofSeconds(-20))).isEqualTo("just now");
        assertThat(say(Duration.ofSeconds(20))).isEqualTo("in under a minute");
        assertThat(say(Duration.ofMinutes(-1))).isEqualTo("1 minute ago");
        assertThat(say(Duration.ofMinutes(-59))).isEqualTo("59 minutes ago");
        assertThat(say(Duration.ofHours(-3).minusMinutes(20))).isEqualTo("3 hours ago");
        assertThat(say(Duration.ofHours(5))).isEqualTo("in 5 hours");
        assertThat(say(Duration.ofHours(-30))).isEqualTo("yesterday");
        assertThat(say(Duration.ofHours(30))).isEqualTo("tomorrow");
        assertThat(say(Duration.ofDays(7).minusHours(3))).isEqualTo("in 6 days");
        assertThat(say(Duration.ofDays(-45))).isEqualTo("1 month ago");
        assertThat(say(Duration.ofDays(800))).isEqualTo("in 2 years");
    }

    @Test
    void givesTheExactTimeInUtcAndTheInstantForTheBrowser() {
        RelativeTimes moments = new RelativeTimes(java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));
        RelativeTimes.Moment moment = moments.of(Instant.parse("2026-12-04T13:20:41.123456Z"));
        assertThat(moment.relative()).isEqualTo("3 hours ago");
        assertThat(moment.exact()).isEqualTo("2026-12-04 13:20 UTC");
        assertThat(moment.iso()).isEqualTo("2026-12-04T13:20:41Z");
    }

    private static String say(Duration fromNow) {
        return RelativeTimes.relative(NOW.plus(fromNow), NOW);
    }
}
