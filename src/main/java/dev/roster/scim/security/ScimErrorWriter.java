package dev.roster.scim.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

import dev.roster.scim.protocol.ScimJson;

/**
 * Writes SCIM errors from filters, before any controller runs: 401 (with the challenge), 429 and 503. The one writer
 * for SCIM errors outside the controllers, shared by the SCIM filters and {@link ScimUnavailableAnswer}.
 */
final class ScimErrorWriter implements AuthenticationEntryPoint {

    @Override
    public void commence(jakarta.servlet.http.HttpServletRequest request, HttpServletResponse response,
                         AuthenticationException ex) throws IOException {
        unauthorized(response, "Authentication is required: send the directory's token as 'Authorization: Bearer <token>'.");
    }

    static void unauthorized(HttpServletResponse response, String detail) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"roster-scim\"");
        write(response, 401, detail);
    }

    /** 503 with Retry-After: the database could not be reached, so the IdP should simply send the request again. */
    static void unavailable(HttpServletResponse response, long retryAfterSeconds, String detail) throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        write(response, 503, detail);
    }

    static void write(HttpServletResponse response, int status, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType(ScimJson.CONTENT_TYPE);
        response.getOutputStream().write(ScimJson.errorBody(status, null, detail).getBytes(StandardCharsets.UTF_8));
    }
}
