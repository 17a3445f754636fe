package dev.roster.test;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser session over plain HTTP: keeps cookies, reads the CSRF token from the page it was served with, and
 * submits forms the way a browser would. For flows that must go through a web session (sign-in, second factor) in
 * tests that do not need to render pages; the Selenium tests cover what a person sees.
 */
public class TestSession {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"|value=\"([^\"]+)\"\\s+name=\"_csrf\"");

    private final String baseUrl;
    private final HttpClient client;
    private final Map<String, String> headers;

    public record Page(int status, String location, String body) {
    }

    public TestSession(String baseUrl) {
        this(baseUrl, Map.of());
    }

    /**
     * A session whose every request carries these headers: {@code X-Forwarded-For} makes it a client at another
     * address, as a reverse proxy would say (the test profile trusts forwarded headers from localhost).
     */
    public TestSession(String baseUrl, Map<String, String> headers) {
        this.baseUrl = baseUrl;
        this.headers = Map.copyOf(headers);
        this.client = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private TestSession(String baseUrl, Map<String, String> headers, HttpClient client) {
        this.baseUrl = baseUrl;
        this.headers = headers;
        this.client = client;
    }

    /**
     * The same browser (its cookies) sending to another Roster instance on this host, as a load balancer would send
     * its next request: cookies are kept per host name, not per port.
     */
    public TestSession at(String otherBaseUrl) {
        return new TestSession(otherBaseUrl, headers, client);
    }

    /** Signs in with email and password; returns the page the sign-in redirected to (not followed). */
    public Page signIn(String email, String password) {
        return submit("/login", "/login", Map.of("email", email, "password", password));
    }

    public Page get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    /**
     * Loads {@code formPage} for its CSRF token, then posts {@code fields} to {@code action}, as a browser submitting
     * the form on that page would.
     */
    public Page submit(String formPage, String action, Map<String, String> fields) {
        Page page = get(formPage);
        String token = csrfToken(page.body());
        Map<String, String> all = new LinkedHashMap<>(fields);
        if (token != null) {
            all.put("_csrf", token);
        }
        String form = all.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(baseUrl + action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /**
     * Sends any method with an empty form body, carrying the CSRF token from {@code csrfPage} in the
     * {@code X-CSRF-TOKEN} header, as a script on that page would.
     */
    public Page send(String method, String path, String csrfPage) {
        String token = csrfToken(get(csrfPage).body());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("X-CSRF-TOKEN", token);
        }
        return send(request);
    }

    public static String csrfToken(String html) {
        if (html == null) {
            return null;
        }
        Matcher matcher = CSRF.matcher(html);
        if (!matcher.find()) {
            return null;
        }
        return matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
    }

    private Page send(HttpRequest.Builder request) {
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Page(response.statusCode(), response.headers().firstValue("Location").orElse(null),
                    response.body());
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
