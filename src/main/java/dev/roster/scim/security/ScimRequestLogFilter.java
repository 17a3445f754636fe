package dev.roster.scim.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;
import org.springframework.web.util.ContentCachingResponseWrapper;

import dev.roster.scim.ScimProperties;
import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.scim.requestlog.RequestLogService;
import dev.roster.scim.requestlog.RequestNotes;
import dev.roster.shared.DatabaseUnavailable;
import dev.roster.shared.web.RequestIds;

/**
 * Logs every authenticated SCIM request of a directory once it has been answered, whatever the answer: method, path,
 * status, duration and both bodies (secrets removed by the log). Runs outside the request's transaction, and a
 * failure to log never changes the answer.
 */
final class ScimRequestLogFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ScimRequestLogFilter.class);

    private final RequestLogService requestLog;
    private final ScimProperties properties;
    private final Clock clock;

    private final long retryAfterSeconds;

    ScimRequestLogFilter(RequestLogService requestLog, ScimProperties properties, Clock clock, long retryAfterSeconds) {
        this.requestLog = requestLog;
        this.retryAfterSeconds = retryAfterSeconds;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * The charset the client's Content-Type names, not the request's character encoding, which Spring's encoding
     * filter forces to UTF-8 whatever the client sent.
     */
    private static String declaredCharset(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType == null) {
            return null;
        }
        try {
            var charset = MediaType.parseMediaType(contentType).getCharset();
            return charset == null ? null : charset.name();
        }
        catch (InvalidMediaTypeException | java.nio.charset.UnsupportedCharsetException
               | java.nio.charset.IllegalCharsetNameException ex) {
            return null;
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof ScimAuthentication scim)) {
            chain.doFilter(request, response);
            return;
        }
        ScimDirectoryService.Caller caller = scim.getPrincipal();
        int limit = properties.requestLog().maxBodyChars() * 4;
        ContentCachingRequestWrapper cachingRequest = new ContentCachingRequestWrapper(request, limit);
        ContentCachingResponseWrapper cachingResponse = new ContentCachingResponseWrapper(response);
        Instant started = clock.instant();
        long start = System.nanoTime();
        try {
            chain.doFilter(cachingRequest, cachingResponse);
        }
        catch (ServletException | IOException | RuntimeException ex) {
            // The database went away during the request: answered (and logged) as the 503 it is.
            if (!DatabaseUnavailable.isCause(ex) || cachingResponse.isCommitted()) {
                throw ex;
            }
            log.warn("Database unavailable during a SCIM request: {}", ex.getMessage());
            String requestId = RequestIds.current();
            cachingResponse.reset();
            if (requestId != null) {
                cachingResponse.setHeader(RequestIds.HEADER, requestId);
            }
            ScimErrorWriter.unavailable(cachingResponse, retryAfterSeconds, ScimUnavailableAnswer.DETAIL);
        }
        finally {
            long durationMs = (System.nanoTime() - start) / 1_000_000;
            byte[] requestBytes = cachingRequest.getContentAsByteArray();
            String requestBody = RequestLogService.bodyText(requestBytes, declaredCharset(request));
            byte[] responseBytes = cachingResponse.getContentAsByteArray();
            String responseBody = new String(responseBytes, 0, Math.min(responseBytes.length, limit),
                    StandardCharsets.UTF_8);
            int status = cachingResponse.getStatus();
            // Logged before the response is released, so a client (or an admin) that has the answer also finds
            // the request in the log.
            try {
                requestLog.record(caller.directory().organizationId(), caller.directory().id(), RequestIds.current(),
                        started,
                        request.getMethod(), request.getRequestURI().substring(request.getContextPath().length()),
                        request.getQueryString(), status, durationMs, requestBody, responseBody,
                        RequestNotes.of(request));
            }
            catch (RuntimeException ex) {
                log.warn("Could not write the SCIM request log: {}", ex.getMessage());
            }
            cachingResponse.copyBodyToResponse();
        }
    }
}
