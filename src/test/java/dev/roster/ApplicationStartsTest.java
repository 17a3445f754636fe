package dev.roster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;

@RosterIntegrationTest
class ApplicationStartsTest {

    @Autowired
    TestApi api;

    @Test
    void healthIsUp() {
        TestApi.Response health = api.get(null, "/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("UP");
    }

    @Test
    void publishesTheApiDescriptionAndSwaggerUi() {
        TestApi.Response docs = api.get(null, "/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().path("paths").has("/api/v1/orgs/{slug}/invitations")).isTrue();
        assertThat(docs.json().path("paths").has("/api/v1/orgs/{slug}/decisions")).isTrue();
        assertThat(docs.json().path("paths").has("/api/v1/me/tokens")).isTrue();
        assertThat(api.get(null, "/swagger-ui/index.html").status()).isEqualTo(200);
    }

    @Test
    void apiWithoutTokenIsUnauthorizedAsProblem() {
        TestApi.Response response = api.get(null, "/api/v1/me");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
    }
}
