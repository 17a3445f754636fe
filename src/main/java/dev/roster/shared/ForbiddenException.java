package dev.roster.shared;

import java.util.Map;

import org.springframework.http.HttpStatus;

public class ForbiddenException extends RosterException {

    public ForbiddenException(String message) {
        this("forbidden", message);
    }

    public ForbiddenException(String code, String message) {
        super(code, message, Map.of());
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.FORBIDDEN;
    }
}
