package dev.roster.shared.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * How a module answers "the database is unreachable, try again" in its callers' language, for requests it serves
 * (SCIM in the SCIM error schema, say). {@link DatabaseOutageFilter} asks each in turn; the JSON API's problem details
 * and the pages' own page are the fallbacks.
 */
public interface UnavailableAnswer {

    boolean serves(HttpServletRequest request);

    /** Writes the whole answer: status 503, Retry-After and the body. */
    void write(HttpServletRequest request, HttpServletResponse response, long retryAfterSeconds) throws IOException;
}
