package dev.roster.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The harness's HTTP client: java.net.http over HTTP/1.1 on loopback, no redirects followed (a SAML sign-in answers
 * with one, and where it points says whether it worked), no cookies kept.
 */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SCIM_JSON = "application/scim+json";

    private final HttpClient client;
    private final String baseUrl;

    Http(String baseUrl) {
        this.baseUrl = baseUrl;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    String baseUrl() {
        return baseUrl;
    }

    record Response(int status, String body, String location) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            }
            catch (JsonProcessingException ex) {
                throw new BenchFailure("not JSON: " + abbreviate(body), ex);
            }
        }

        Response expect(int... statuses) {
            if (Arrays.stream(statuses).noneMatch(s -> s == status)) {
                throw new BenchFailure("expected HTTP " + Arrays.toString(statuses) + ", got " + status + ": "
                        + abbreviate(body));
            }
            return this;
        }
    }

    Response get(String path, String bearer) {
        return send("GET", path, bearer, null, null);
    }

    Response post(String path, String bearer, String contentType, String body) {
        return send("POST", path, bearer, contentType, body);
    }

    Response send(String method, String path, String bearer, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofMinutes(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.header("Accept", contentType != null && contentType.startsWith(SCIM_JSON) ? SCIM_JSON
                : "application/json, application/scim+json, */*");
        try {
            HttpResponse<String> response = client.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.body(),
                    response.headers().firstValue("Location").orElse(null));
        }
        catch (IOException ex) {
            throw new BenchFailure(method + " " + path + " failed: " + ex, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted", ex);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        }
        catch (JsonProcessingException ex) {
            throw new IllegalArgumentException(ex);
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String abbreviate(String text) {
        return text == null ? "" : text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }
}
