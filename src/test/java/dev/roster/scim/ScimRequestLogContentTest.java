package dev.roster.scim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * The request log keeps every request whatever it carried: a query over the 4,096 characters of its column, a body in
 * UTF-16, a NUL byte and other control characters. Each made the log row fail to insert before ("Could not write 1
 * SCIM request log entries") while the request itself was answered. Entries are found by the request id the answer
 * carries.
 */
@RosterIntegrationTest
class ScimRequestLogContentTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    TestApi api;
    @Autowired
    TestData testData;

    ScimTestClient scim;

    @BeforeEach
    void directory() {
        scim = ScimTestClient.create(api, testData, "entra");
    }

    @Test
    void aQueryOverItsColumnIsKeptCutWithAMarker() {
        String filter = "userName eq \"" + "a".repeat(5_000) + "\"";
        HttpResponse<String> answer = send("GET", "/scim/v2/Users?filter=" + filter.replace(" ", "%20")
                .replace("\"", "%22"), null, null);
        JsonNode entry = logged(answer);
        assertThat(entry.path("status").asInt()).isEqualTo(answer.statusCode());
        assertThat(entry.path("query").asText()).hasSize(4096).endsWith("… [truncated]");
    }

    @Test
    void aUtf16BodyIsLoggedAsTheTextItWas() {
        String userName = TestData.unique("utf16") + "@example.com";
        String body = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"" + userName
                + "\",\"name\":{\"givenName\":\"Zoë\"}}";
        HttpResponse<String> answer = send("POST", "/scim/v2/Users", body.getBytes(StandardCharsets.UTF_16LE),
                "application/scim+json; charset=utf-16le");
        JsonNode entry = logged(answer);
        assertThat(entry.path("requestBody").asText()).contains(userName).contains("Zoë").doesNotContain("\\u0000");
    }

    @Test
    void nulAndControlCharactersAreKeptEscaped() {
        byte[] body = "{\"userName\":\"nul\u0000and\u0007bell\"}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> answer = send("POST", "/scim/v2/Users", body, "application/scim+json");
        JsonNode entry = logged(answer);
        assertThat(entry.path("status").asInt()).isEqualTo(400);
        assertThat(entry.path("requestBody").asText()).contains("nul\\u0000and\\u0007bell");
    }

    private JsonNode logged(HttpResponse<String> answer) {
        String requestId = answer.headers().firstValue("X-Request-Id").orElseThrow();
        TestApi.Response log = api.get(scim.org.admin().token(),
                scim.org.api("/scim-directories/" + scim.directoryId + "/requests?size=100"));
        assertThat(log.status()).as(log.body()).isEqualTo(200);
        for (JsonNode entry : log.json().path("items")) {
            if (requestId.equals(entry.path("requestId").asText())) {
                return entry;
            }
        }
        throw new AssertionError("request " + requestId + " is not in the request log: " + log.body());
    }

    private HttpResponse<String> send(String method, String pathAndQuery, byte[] body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + scim.token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
