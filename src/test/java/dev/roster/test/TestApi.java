package dev.roster.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.core.env.Environment;

/**
 * Talks to the running Roster over real HTTP, as curl or a script would. Nothing is mocked between the request and
 * the database.
 */
public class TestApi {

    private final Environment environment;
    private final ObjectMapper json;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    TestApi(Environment environment, ObjectMapper json) {
        this.environment = environment;
        this.json = json;
    }

    public record Response(int status, Map<String, String> headers, String body, JsonNode json) {

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        public String contentType() {
            return header("content-type");
        }
    }

    public String baseUrl() {
        return "http://localhost:" + environment.getRequiredProperty("local.server.port");
    }

    public Response get(String token, String path) {
        return send(token, "GET", path, null, Map.of());
    }

    public Response delete(String token, String path) {
        return send(token, "DELETE", path, null, Map.of());
    }

    public Response post(String token, String path, Object body) {
        return send(token, "POST", path, body, Map.of());
    }

    public Response put(String token, String path, Object body) {
        return send(token, "PUT", path, body, Map.of());
    }

    public Response patch(String token, String path, Object body) {
        return send(token, "PATCH", path, body, Map.of());
    }

    /** Sends a request; {@code body} is serialized as JSON unless it is already a String. */
    public Response send(String token, String method, String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (!headers.containsKey("Content-Type") && body != null) {
            request.header("Content-Type", "application/json");
        }
        if (!headers.containsKey("Accept")) {
            request.header("Accept", "application/json, application/problem+json");
        }
        headers.forEach(request::header);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : write(body)));
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> responseHeaders = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) -> responseHeaders.put(
                    name.toLowerCase(java.util.Locale.ROOT), String.join(", ", values)));
            return new Response(response.statusCode(), responseHeaders, response.body(), read(response.body()));
        }
        catch (IOException ex) {
            throw new IllegalStateException(method + " " + path + " failed: " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        }
        catch (JsonProcessingException ex) {
            throw new IllegalArgumentException(ex);
        }
    }

    private JsonNode read(String body) {
        if (body == null || body.isBlank()) {
            return json.nullNode();
        }
        try {
            return json.readTree(body);
        }
        catch (JsonProcessingException ex) {
            return json.nullNode();
        }
    }
}
