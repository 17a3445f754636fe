package dev.roster.events;

import java.util.Map;

import org.springframework.http.HttpStatus;

import dev.roster.shared.RosterException;

/** A cursor that points before events retention has deleted: continuing from it would skip them unseen. */
public class EventsExpiredException extends RosterException {

    public EventsExpiredException(String message) {
        super("events-expired", message, Map.of());
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.GONE;
    }
}
