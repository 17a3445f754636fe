package dev.roster.linking;

import java.util.Map;

import org.springframework.http.HttpStatus;

import dev.roster.shared.RosterException;

/**
 * An access grant the account-linking policy refuses: answered 400 ({@code urn:roster:problem:<code>}), with the
 * reason on the grant's value.
 */
public class LinkRefusedException extends RosterException {

    LinkRefusedException(String code, String message) {
        super(code, message, Map.of("value", message));
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.BAD_REQUEST;
    }
}
