package dev.roster.shared.web;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code roster.http.requests}: every request's latency and status by channel (SCIM, SAML, decisions, admin API,
 * pages), by SCIM directory and by SAML connection (docs/operations.md, "Metrics"). Tags come from a bounded set:
 * the channel from the path's first segments, the status code, and a directory or connection id only once a feature
 * has recognised one that exists ({@link #directory}, {@link #connection}); never anything a caller can make up.
 */
public final class RequestMetrics extends OncePerRequestFilter {

    public static final String NAME = "roster.http.requests";
    private static final String DIRECTORY = RequestMetrics.class.getName() + ".directory";
    private static final String CONNECTION = RequestMetrics.class.getName() + ".connection";
    private static final String NONE = "none";
    private static final Duration[] SLOS = {Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private static final java.util.regex.Pattern DECISIONS = java.util.regex.Pattern.compile(
            "/api/v1/orgs/[^/]+/decisions/?");

    private final MeterRegistry meters;
    /**
     * The timers already registered, by their tags: building a timer's id (tags sorted, the SLO boundaries validated)
     * and looking it up in the registry on every request was a visible share of a SCIM request's CPU. The tags come
     * from bounded sets (see docs/operations.md), so this map is as bounded as the registry's own.
     */
    private final java.util.concurrent.ConcurrentMap<Key, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    private record Key(String channel, int status, String directory, String connection) {
    }

    RequestMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Tags the request with the SCIM directory its token named. */
    public static void directory(ServletRequest request, UUID directoryId) {
        request.setAttribute(DIRECTORY, directoryId.toString());
    }

    /** Tags the request with the SAML connection it reached (one that exists). */
    public static void connection(ServletRequest request, String connectionId) {
        request.setAttribute(CONNECTION, connectionId);
    }

    /**
     * Counts a failed sign-in in {@code roster.sign_in.failures}: {@code method} password, totp (the second factor after the right password: wrong_code,
     * locked_out) or saml, {@code reason}
     * from a fixed set (never the address tried).
     */
    public static void signInFailure(MeterRegistry meters, String method, String reason) {
        Counter.builder("roster.sign_in.failures").description("Failed sign-ins by method and reason")
                .tag("method", method).tag("reason", reason).register(meters).increment();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long started = System.nanoTime();
        int status = 500;
        try {
            chain.doFilter(request, response);
            status = response.getStatus();
        }
        finally {
            Key key = new Key(channel(request.getRequestURI().substring(request.getContextPath().length())), status,
                    tag(request.getAttribute(DIRECTORY)), tag(request.getAttribute(CONNECTION)));
            timers.computeIfAbsent(key, this::register)
                    .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private Timer register(Key key) {
        return Timer.builder(NAME)
                .description("Requests answered, by channel, status, SCIM directory and SAML connection")
                .tag("channel", key.channel())
                .tag("status", Integer.toString(key.status()))
                .tag("directory", key.directory())
                .tag("connection", key.connection())
                .serviceLevelObjectives(SLOS)
                .register(meters);
    }

    private static String tag(Object value) {
        return value instanceof String s ? s : NONE;
    }

    /** The channel a path belongs to; a fixed set of names. */
    static String channel(String path) {
        String p = path.toLowerCase(java.util.Locale.ROOT);
        if (p.startsWith("/scim/")) {
            return "scim";
        }
        if (p.startsWith("/saml2/") || p.startsWith("/login/saml2/") || p.startsWith("/logout/saml2/")
                || p.startsWith("/sso/")) {
            return "saml";
        }
        if (p.startsWith("/api/")) {
            return DECISIONS.matcher(p).matches() ? "decisions" : "api";
        }
        if (p.startsWith("/actuator/")) {
            return "management";
        }
        if (p.startsWith("/css/") || p.startsWith("/js/") || p.startsWith("/webjars/") || p.startsWith("/images/")
                || p.equals("/favicon.ico")) {
            return "static";
        }
        return "pages";
    }
}
