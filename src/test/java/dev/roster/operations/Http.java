package dev.roster.operations;

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
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.roster.test.TestSession;

/** Plain HTTP to one Roster, timing every answer; keeps cookies, so it can hold a browser session too. */
final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    Http(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    record Answer(String what, int status, HttpResponse<String> response, Duration took) {

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        String contentType() {
            return header("Content-Type");
        }

        String body() {
            return response.body();
        }

        JsonNode json() {
            try {
                return JSON.readTree(response.body());
            }
            catch (IOException ex) {
                return JSON.nullNode();
            }
        }

        @Override
        public String toString() {
            return what + " -> " + status + " in " + took.toMillis() + " ms: " + body();
        }
    }

    Answer get(String token, String path) {
        return send("GET " + path, token, HttpRequest.newBuilder(uri(path)).GET(), null);
    }

    Answer scim(String token, String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Accept", "application/scim+json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/scim+json");
        }
        return send(method + " " + path, token, request, null);
    }

    Answer page(String path) {
        return send("page " + path, null, HttpRequest.newBuilder(uri(path)).header("Accept", "text/html").GET(), null);
    }

    /** Signs in through the sign-in form; the session cookie stays with this client. */
    void signIn(String email, String password) {
        Answer form = page("/login");
        String csrf = TestSession.csrfToken(form.body());
        String body = "email=" + URLEncoder.encode(email, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + URLEncoder.encode(csrf,
                StandardCharsets.UTF_8);
        Answer signedIn = send("sign-in", null, HttpRequest.newBuilder(uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), null);
        if (signedIn.status() != 302 || signedIn.header("Location").toLowerCase(Locale.ROOT).contains("error")) {
            throw new IllegalStateException("sign-in failed: " + signedIn);
        }
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private Answer send(String what, String token, HttpRequest.Builder request, Object unused) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (request.build().headers().firstValue("Accept").isEmpty()) {
            request.header("Accept", "application/json, application/problem+json");
        }
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(what, response.statusCode(), response, Duration.ofNanos(System.nanoTime() - start));
        }
        catch (IOException ex) {
            throw new IllegalStateException(what + " failed: " + ex, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
