package dev.roster.shared;

import java.util.Map;

import org.springframework.http.HttpStatus;

public class ConflictException extends RosterException {

    public ConflictException(String message) {
        this("conflict", message);
    }

    public ConflictException(String code, String message) {
        super(code, message, Map.of());
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.CONFLICT;
    }
}
