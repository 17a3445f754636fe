package dev.roster.sso.idp;

/**
 * A lookup in an IdP's API did not finish within its deadline ({@link LookupDeadlines}); the request it was waiting
 * for was aborted. A sign-in goes on with the person's groups unknown, as for any other failure of the API.
 */
public final class LookupDeadlineExceeded extends RuntimeException {

    LookupDeadlineExceeded(String message, Throwable cause) {
        super(message, cause);
    }
}
