package dev.roster.shared.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Times on pages: in UTC and said so, because the server cannot know the reader's zone without JavaScript. */
public final class DisplayTime {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter IN_WORDS = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'",
            Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private DisplayTime() {
    }

    /** The time for people, or {@code otherwise} when there is none. */
    public static String of(Instant instant, String otherwise) {
        return instant == null ? otherwise : FORMAT.format(instant);
    }

    /** The time in a sentence ("29 November 2026, 14:05 UTC"), as emails and notices say it. */
    public static String inWords(Instant instant) {
        return IN_WORDS.format(instant);
    }
}
