package dev.roster.shared.web;

import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id, so a report ("it failed at 14:05, request id 5f0c…") leads to the log lines of that
 * request: in the MDC as {@code requestId} (every log line written for the request carries it, in the plain and
 * the JSON log format), in the {@code X-Request-Id} response header, and in every error body (problem details,
 * SCIM errors, error pages). A well-formed {@code X-Request-Id} from a proxy in front is kept, so its log and
 * Roster's match; anything else is replaced.
 */
public class RequestIds extends OncePerRequestFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final String ATTRIBUTE = RequestIds.class.getName();
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{8,64}");

    /** The id of the request this thread is serving, or null outside a request. */
    public static String current() {
        return MDC.get(MDC_KEY);
    }

    /** The id of {@code request}, also after its thread has moved on (error dispatches, async). */
    public static String of(HttpServletRequest request) {
        Object id = request.getAttribute(ATTRIBUTE);
        return id instanceof String s ? s : current();
    }

    static String newId() {
        byte[] bytes = new byte[8];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = request.getAttribute(ATTRIBUTE) instanceof String known ? known : incoming(request);
        request.setAttribute(ATTRIBUTE, id);
        response.setHeader(HEADER, id);
        String outer = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, id);
        try {
            chain.doFilter(request, response);
        }
        finally {
            if (outer == null) {
                MDC.remove(MDC_KEY);
            }
            else {
                MDC.put(MDC_KEY, outer);
            }
        }
    }

    private static String incoming(HttpServletRequest request) {
        String given = request.getHeader(HEADER);
        return given != null && ACCEPTED.matcher(given).matches() ? given : newId();
    }
}
