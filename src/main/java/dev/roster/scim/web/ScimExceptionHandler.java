package dev.roster.scim.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.TransactionException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

import dev.roster.membership.LastAdminException;
import dev.roster.scim.protocol.ScimError;
import dev.roster.scim.protocol.ScimJson;
import dev.roster.shared.DatabaseUnavailable;
import dev.roster.shared.RosterException;
import dev.roster.shared.database.DatabaseSettings;
import dev.roster.shared.web.RequestSizeLimitFilter;

/**
 * Every failure of a SCIM endpoint in the SCIM error schema (RFC 7644 section 3.12), with {@code status} as a string
 * and {@code scimType} where the RFC defines one. Client mistakes are 4xx; the database being away is 503 with
 * Retry-After; only Roster's own faults are 500.
 */
@ControllerAdvice(assignableTypes = ScimEndpoint.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ScimExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ScimExceptionHandler.class);

    private final DatabaseSettings settings;

    ScimExceptionHandler(DatabaseSettings settings) {
        this.settings = settings;
    }

    @ExceptionHandler(ScimError.class)
    ResponseEntity<byte[]> scim(ScimError ex) {
        if (ex.status() == 415) {
            // RFC 9110 section 15.5.16: Accept says which media types would have been taken.
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.ACCEPT, ScimMediaTypes.ACCEPTED);
            return ScimResponses.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ScimJson.error(415, null, ex.getMessage()),
                    headers);
        }
        return ScimResponses.error(ex.status(), ex.scimType(), ex.getMessage());
    }

    @ExceptionHandler(LastAdminException.class)
    ResponseEntity<byte[]> lastAdmin(LastAdminException ex) {
        return ScimResponses.error(409, null, ex.getMessage()
                + " Roster refused to suspend or remove this user because it is the organization's last admin.");
    }

    @ExceptionHandler(RosterException.class)
    ResponseEntity<byte[]> roster(RosterException ex) {
        int status = ex.status().value();
        String scimType = switch (status) {
            case 400 -> ScimError.INVALID_VALUE;
            default -> null;
        };
        return ScimResponses.error(status, scimType, ex.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<byte[]> unreadable(HttpMessageNotReadableException ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestSizeLimitFilter.BodyTooLargeException) {
                return tooLarge();
            }
        }
        return ScimResponses.error(400, ScimError.INVALID_SYNTAX, "The request body could not be read.");
    }

    @ExceptionHandler(RequestSizeLimitFilter.BodyTooLargeException.class)
    ResponseEntity<byte[]> tooLargeBody() {
        return tooLarge();
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<byte[]> integrity(DataIntegrityViolationException ex) {
        // Two requests raced past the checks (two creates of one userName): the loser is told what a duplicate is.
        log.info("SCIM constraint violation answered as 409: {}", ex.getMostSpecificCause().getMessage());
        return ScimResponses.error(409, ScimError.UNIQUENESS,
                "The change conflicts with another change made at the same time. Read the resource and retry.");
    }

    /**
     * The database unreachable, a connection lost (at commit too, when the change may or may not have been made: the
     * IdP's retry then meets the created user as 409 uniqueness and looks it up, see docs/scim.md), a lock or
     * statement timeout: 503 with Retry-After, which Entra and Okta retry.
     */
    @ExceptionHandler({DataAccessException.class, TransactionException.class})
    ResponseEntity<byte[]> database(Exception ex) {
        if (!DatabaseUnavailable.isCause(ex) && !(ex instanceof TransientDataAccessException)) {
            return other(ex);
        }
        return unavailable(ex);
    }

    private ResponseEntity<byte[]> unavailable(Exception ex) {
        if (ex instanceof PessimisticLockingFailureException) {
            log.info("SCIM request lost a lock race: {}", ex.getMessage());
        }
        else {
            log.warn("Database unavailable for a SCIM request: {}", ex.getMessage());
        }
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(settings.retryAfterSeconds()));
        return ScimResponses.of(HttpStatus.SERVICE_UNAVAILABLE, ScimJson.error(503, null,
                "Roster's database is temporarily unavailable. Send the request again after the Retry-After delay."),
                headers);
    }

    /** Spring MVC's own client errors (a missing header, a method not allowed) keep their status. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<byte[]> other(Exception ex) {
        if (DatabaseUnavailable.isCause(ex)) {
            return unavailable(ex);
        }
        if (ex instanceof ErrorResponse response && response.getStatusCode().is4xxClientError()) {
            int status = response.getStatusCode().value();
            return ScimResponses.error(status, status == 400 ? ScimError.INVALID_VALUE : null, clientError(status));
        }
        log.error("SCIM request failed", ex);
        return ScimResponses.error(500, null, "Roster could not process the request. The error is logged.");
    }

    private static String clientError(int status) {
        return switch (status) {
            case 400 -> "The request could not be read: a header or parameter it needs is missing or malformed.";
            case 405 -> "This endpoint does not take this method.";
            case 406 -> "Roster answers SCIM requests in application/scim+json only.";
            case 415 -> "SCIM bodies are application/scim+json or application/json (RFC 7644 section 3.1).";
            default -> "The request was not accepted (HTTP " + status + ").";
        };
    }

    private static ResponseEntity<byte[]> tooLarge() {
        return ScimResponses.error(413, null, "The request body is larger than this endpoint accepts.");
    }
}
