package dev.roster.shared.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times on pages: in UTC and said so, because the server cannot know the reader's zone without JavaScript. */
public final class DisplayTime {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private DisplayTime() {
    }

    /** The time for people, or {@code otherwise} when there is none. */
    public static String of(Instant instant, String otherwise) {
        return instant == null ? otherwise : FORMAT.format(instant);
    }
}
