package dev.roster.shared.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.springframework.stereotype.Component;

/**
 * Times in tables, for {@code fragments/time :: time}: how long ago (or how soon) in words, from the server's clock,
 * with the exact time in UTC for the hover text and the ISO instant for {@code <time datetime>}, from which the page
 * script rewrites the hover text into the reader's own time zone. Templates reach it as {@code @relativeTimes} (not
 * "moments": Spring Modulith's Moments has that bean name).
 */
@Component("relativeTimes")
public class RelativeTimes {

    /** What {@code <time>} needs: the machine-readable instant, the words, the exact time. */
    public record Moment(String iso, String relative, String exact) {
    }

    private final Clock clock;

    RelativeTimes(Clock clock) {
        this.clock = clock;
    }

    public Moment of(Instant at) {
        return new Moment(at.truncatedTo(ChronoUnit.SECONDS).toString(), relative(at, clock.instant()),
                DisplayTime.of(at, null));
    }

    /** "just now", "5 minutes ago", "in 3 hours", "yesterday", "in 2 days", "4 months ago", "in 3 years". */
    static String relative(Instant at, Instant now) {
        Duration distance = Duration.between(now, at);
        boolean future = !distance.isNegative();
        long seconds = Math.abs(distance.getSeconds());
        if (seconds < 60) {
            return future ? "in under a minute" : "just now";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return say(minutes, "minute", future);
        }
        long hours = minutes / 60;
        if (hours < 24) {
            return say(hours, "hour", future);
        }
        long days = hours / 24;
        if (days == 1) {
            return future ? "tomorrow" : "yesterday";
        }
        if (days < 31) {
            return say(days, "day", future);
        }
        if (days < 365) {
            return say(days / 30, "month", future);
        }
        return say(days / 365, "year", future);
    }

    private static String say(long count, String unit, boolean future) {
        String amount = count + " " + unit + (count == 1 ? "" : "s");
        return future ? "in " + amount : amount + " ago";
    }
}
