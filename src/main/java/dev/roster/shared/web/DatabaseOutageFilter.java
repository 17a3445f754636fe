package dev.roster.shared.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.WebContext;
import org.thymeleaf.web.servlet.JakartaServletWebApplication;

import dev.roster.shared.DatabaseUnavailable;

/**
 * The outermost safety net for a database outage: whatever reached the database first on a request (the session
 * lookup, a token check, a controller, the error page's own header) and failed because it cannot be reached, the
 * request is answered 503 with Retry-After in the caller's language instead of a container's 500: SCIM in the SCIM
 * error schema (the SCIM module's {@link UnavailableAnswer}), the JSON API as problem details, pages with Roster's own
 * "temporarily unavailable" page, which reads nothing from the database. Every answer carries the request id.
 * <p>
 * Runs first after {@link RequestIds}, before Spring Session's filter, and for error dispatches too.
 */
public class DatabaseOutageFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutageFilter.class);
    public static final String DETAIL = "The database is temporarily unavailable. Try again in a few seconds.";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final List<UnavailableAnswer> answers;
    private final ObjectMapper json;
    private final ITemplateEngine templates;
    private final long retryAfterSeconds;

    public DatabaseOutageFilter(List<UnavailableAnswer> answers, ObjectMapper json, ITemplateEngine templates,
                                long retryAfterSeconds) {
        this.answers = List.copyOf(answers);
        this.json = json;
        this.templates = templates;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        }
        catch (ServletException | IOException | RuntimeException ex) {
            if (!DatabaseUnavailable.isCause(ex)) {
                throw ex;
            }
            if (response.isCommitted()) {
                log.warn("The database became unreachable after the answer to {} had begun: {}",
                        request.getRequestURI(), ex.toString());
                return;
            }
            log.warn("Answered 503 to {} {}: the database is unreachable ({})", request.getMethod(),
                    request.getRequestURI(), rootMessage(ex));
            answer(request, response);
        }
    }

    /** Writes the 503 for this request in its caller's language. */
    public void answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requestId = RequestIds.of(request);
        response.reset();
        if (requestId != null) {
            response.setHeader(RequestIds.HEADER, requestId);
        }
        for (UnavailableAnswer answer : answers) {
            if (answer.serves(request)) {
                answer.write(request, response, retryAfterSeconds);
                return;
            }
        }
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (request.getRequestURI().startsWith(request.getContextPath() + "/api/")) {
            ProblemDetail problem = problem(request);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            json.writeValue(response.getOutputStream(), problem);
            return;
        }
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentType(MediaType.TEXT_HTML_VALUE + ";charset=UTF-8");
        WebContext context = new WebContext(JakartaServletWebApplication.buildApplication(request.getServletContext())
                .buildExchange(request, response));
        context.setVariable("requestId", requestId);
        context.setVariable("retryAfter", retryAfterSeconds);
        response.getOutputStream().write(templates.process("error/unavailable", context)
                .getBytes(StandardCharsets.UTF_8));
    }

    ProblemDetail problem(HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, DETAIL);
        problem.setType(ApiExceptionHandler.type("unavailable"));
        problem.setProperty("requestId", RequestIds.of(request));
        return problem;
    }

    private static String rootMessage(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
