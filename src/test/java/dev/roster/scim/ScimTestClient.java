package dev.roster.scim;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * A SCIM client over real HTTP for tests: an organization with a SCIM directory created through the admin API, and
 * requests to {@code /scim/v2} with the directory's bearer token, as an identity provider sends them.
 */
final class ScimTestClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    final TestData.Org org;
    final UUID directoryId;
    final String token;
    final String tenantUrl;
    private final TestApi api;
    private final String rosterBaseUrl;

    private ScimTestClient(TestApi api, TestData.Org org, UUID directoryId, String token, String tenantUrl) {
        this(api, org, directoryId, token, tenantUrl, api.baseUrl());
    }

    private ScimTestClient(TestApi api, TestData.Org org, UUID directoryId, String token, String tenantUrl,
                           String rosterBaseUrl) {
        this.api = api;
        this.org = org;
        this.directoryId = directoryId;
        this.token = token;
        this.tenantUrl = tenantUrl;
        this.rosterBaseUrl = rosterBaseUrl;
    }

    /** The same directory sending to another Roster instance (one behind the same load balancer, say). */
    ScimTestClient at(String otherRosterBaseUrl) {
        return new ScimTestClient(api, org, directoryId, token, tenantUrl, otherRosterBaseUrl);
    }

    /** A new organization with a directory of the given kind, created by its admin through the API. */
    static ScimTestClient create(TestApi api, TestData data, String kind) {
        return create(api, data.org(), kind, null);
    }

    static ScimTestClient create(TestApi api, TestData.Org org, String kind, Integer requestsPerSecond) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Test " + kind + " directory");
        body.put("kind", kind);
        if (requestsPerSecond != null) {
            body.put("requestsPerSecond", requestsPerSecond);
        }
        TestApi.Response created = api.post(org.admin().token(), org.api("/scim-directories"), body);
        if (created.status() != 201) {
            throw new IllegalStateException("cannot create a SCIM directory: " + created.status() + " " + created.body());
        }
        return new ScimTestClient(api, org, UUID.fromString(created.json().get("id").asText()),
                created.json().get("token").asText(), created.json().get("tenantUrl").asText());
    }

    /** A client for a directory made elsewhere (in a browser, say), with the token that was shown there. */
    static ScimTestClient of(TestApi api, TestData.Org org, UUID directoryId, String token) {
        return new ScimTestClient(api, org, directoryId, token, api.baseUrl() + "/scim/v2");
    }

    record Response(int status, Map<String, String> headers, String body, JsonNode json) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String id() {
            return json.path("id").asText();
        }
    }

    String baseUrl() {
        return rosterBaseUrl + "/scim/v2";
    }

    Response get(String pathAndQuery) {
        return send("GET", pathAndQuery, null, Map.of());
    }

    Response post(String path, Object body) {
        return send("POST", path, body, Map.of());
    }

    Response put(String path, Object body) {
        return send("PUT", path, body, Map.of());
    }

    Response patch(String path, Object body) {
        return send("PATCH", path, body, Map.of());
    }

    Response delete(String path) {
        return send("DELETE", path, null, Map.of());
    }

    Response send(String method, String pathAndQuery, Object body, Map<String, String> headers) {
        return sendWithToken(token, method, pathAndQuery, body, headers);
    }

    /** Sends a request with the given token (null for none); the body is JSON unless it is a String already. */
    Response sendWithToken(String bearer, String method, String pathAndQuery, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(60));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (body != null && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
            request.header("Content-Type", "application/scim+json");
        }
        headers.forEach(request::header);
        String payload;
        try {
            payload = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
        }
        catch (IOException ex) {
            throw new IllegalArgumentException(ex);
        }
        request.method(method, payload == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(payload));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> responseHeaders = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) -> responseHeaders.put(name.toLowerCase(Locale.ROOT),
                    String.join(", ", values)));
            return new Response(response.statusCode(), responseHeaders, response.body(), parse(response.body()));
        }
        catch (IOException ex) {
            throw new IllegalStateException(method + " " + pathAndQuery + " failed: " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    // --- payload builders

    static Map<String, Object> userBody(String userName, String email) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("schemas", java.util.List.of("urn:ietf:params:scim:schemas:core:2.0:User"));
        body.put("userName", userName);
        body.put("externalId", "ext-" + UUID.randomUUID());
        body.put("name", Map.of("givenName", "Test", "familyName", "Person"));
        if (email != null) {
            body.put("emails", java.util.List.of(Map.of("primary", true, "type", "work", "value", email)));
        }
        body.put("active", true);
        return body;
    }

    static Map<String, Object> patch(Map<String, Object>... operations) {
        return Map.of("schemas", java.util.List.of("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
                "Operations", java.util.List.of(operations));
    }

    static Map<String, Object> op(String op, String path, Object value) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("op", op);
        if (path != null) {
            operation.put("path", path);
        }
        if (value != null) {
            operation.put("value", value);
        }
        return operation;
    }

    static java.util.List<Map<String, String>> members(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> Map.of("value", id)).toList();
    }

    /** Creates a user whose userName is its email; returns its SCIM id. */
    String createUser(String email) {
        Response created = post("/Users", userBody(email, email));
        if (created.status() != 201) {
            throw new IllegalStateException("cannot create user: " + created.status() + " " + created.body());
        }
        return created.id();
    }

    String createGroup(String displayName, String... memberIds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("schemas", java.util.List.of("urn:ietf:params:scim:schemas:core:2.0:Group"));
        body.put("displayName", displayName);
        body.put("externalId", "ext-" + UUID.randomUUID());
        body.put("members", members(memberIds));
        Response created = post("/Groups", body);
        if (created.status() != 201) {
            throw new IllegalStateException("cannot create group: " + created.status() + " " + created.body());
        }
        return created.id();
    }

    static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        }
        catch (IOException ex) {
            return NullNode.getInstance();
        }
    }

    static ObjectMapper json() {
        return JSON;
    }
}
