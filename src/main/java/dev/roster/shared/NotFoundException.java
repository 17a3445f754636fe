package dev.roster.shared;

import java.util.Map;

import org.springframework.http.HttpStatus;

public class NotFoundException extends RosterException {

    public NotFoundException(String message) {
        this("not-found", message);
    }

    public NotFoundException(String code, String message) {
        super(code, message, Map.of());
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.NOT_FOUND;
    }
}
