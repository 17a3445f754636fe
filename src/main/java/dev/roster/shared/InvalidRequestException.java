package dev.roster.shared;

import java.util.Map;

import org.springframework.http.HttpStatus;

public class InvalidRequestException extends RosterException {

    public InvalidRequestException(String message) {
        super("invalid-request", message, Map.of());
    }

    public InvalidRequestException(String message, Map<String, String> fieldErrors) {
        super("invalid-request", message, fieldErrors);
    }

    public static InvalidRequestException field(String field, String message) {
        return new InvalidRequestException(message, Map.of(field, message));
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.BAD_REQUEST;
    }
}
