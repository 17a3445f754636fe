package dev.roster.shared;

import java.time.Duration;
import java.util.Map;

import org.springframework.http.HttpStatus;

public class TooManyAttemptsException extends RosterException {

    private final Duration retryAfter;

    public TooManyAttemptsException(String message, Duration retryAfter) {
        super("too-many-attempts", message, Map.of());
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.TOO_MANY_REQUESTS;
    }
}
