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
    void apiWithoutTokenIsUnauthorizedAsProblem() {
        TestApi.Response response = api.get(null, "/api/v1/me");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
    }
}
