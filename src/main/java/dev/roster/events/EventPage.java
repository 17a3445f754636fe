package dev.roster.events;

import java.util.List;

/**
 * Events read from a stream, and the position to continue after: the last event's when the page is full, else the
 * stream's head when the page was read (every event up to it has been seen, matching or not).
 */
public record EventPage(List<StoredEvent> events, long next) {
}
