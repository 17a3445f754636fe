package dev.roster.shared;

import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * A failure the caller caused or can act on. The web edges turn it into {@code application/problem+json} (API) or a
 * message next to the form (UI); {@code code} is stable and documented, {@code getMessage()} is for people.
 */
public abstract class RosterException extends RuntimeException {

    private final String code;
    private final Map<String, String> fieldErrors;

    protected RosterException(String code, String message, Map<String, String> fieldErrors) {
        super(message);
        this.code = code;
        this.fieldErrors = Map.copyOf(fieldErrors);
    }

    public String code() {
        return code;
    }

    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }

    public abstract HttpStatus status();

    /** Further members of the problem details the API answers (such as each team's usage of a quota). */
    public Map<String, Object> properties() {
        return Map.of();
    }
}
