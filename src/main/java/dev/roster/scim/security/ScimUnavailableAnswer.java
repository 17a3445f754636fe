package dev.roster.scim.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;

import dev.roster.shared.web.UnavailableAnswer;

/**
 * A database outage under {@code /scim/v2} in the SCIM error schema: 503 with Retry-After, which Entra and Okta
 * retry (they treat a 500 as a failure of the request).
 */
@Component
class ScimUnavailableAnswer implements UnavailableAnswer {

    static final String DETAIL = "Roster's database is temporarily unavailable. Send the request again after the "
            + "Retry-After delay.";
    static final String TOKEN_DETAIL = "Roster could not check the token because its database is temporarily "
            + "unavailable. Send the request again after the Retry-After delay.";

    @Override
    public boolean serves(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.regionMatches(true, 0, "/scim/v2", 0, 8) && (path.length() == 8 || path.charAt(8) == '/');
    }

    @Override
    public void write(HttpServletRequest request, HttpServletResponse response, long retryAfterSeconds)
            throws IOException {
        ScimErrorWriter.unavailable(response, retryAfterSeconds, DETAIL);
    }
}
