package dev.roster.apitoken.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

@RosterIntegrationTest
class ApiTokenApiTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void createdTokenIsShownOnceAndStoredOnlyAsAHash() {
        TestData.Person person = data.person("tokens");

        TestApi.Response created = api.post(person.token(), "/api/v1/me/tokens", Map.of("name", "deploy script"));

        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().path("secret").asText();
        assertThat(secret).startsWith("roster_pat_").hasSizeGreaterThan(40);
        assertThat(created.json().path("name").asText()).isEqualTo("deploy script");
        String id = created.json().path("id").asText();

        TestApi.Response list = api.get(person.token(), "/api/v1/me/tokens");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(secret).doesNotContain("\"secret\"");
        assertThat(list.json().path("total").asLong()).isEqualTo(2);
        assertThat(list.json().path("items").findValuesAsText("name")).contains("deploy script", "tests");

        Map<String, Object> row = jdbc.sql("SELECT * FROM api_token WHERE id = CAST(? AS UUID)").param(id)
                .query().singleRow();
        assertThat(row.values()).noneMatch(value -> value != null && value.toString().contains(secret));
        assertThat(row.get("token_hash").toString()).hasSize(64).isNotEqualTo(secret);

        TestApi.Response me = api.get(secret, "/api/v1/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("email").asText()).isEqualTo(person.email());
    }

    @Test
    void lastUseIsRecorded() {
        TestData.Person person = data.person("last-used");
        String secret = api.post(person.token(), "/api/v1/me/tokens", Map.of("name", "cli")).json().path("secret")
                .asText();
        assertThat(tokenNamed(person.token(), "cli").has("lastUsedAt")).isFalse();

        api.get(secret, "/api/v1/me");

        Instant lastUsed = Instant.parse(tokenNamed(person.token(), "cli").path("lastUsedAt").asText());
        assertThat(lastUsed).isBetween(clock.instant().minusSeconds(60), clock.instant().plusSeconds(1));
    }

    @Test
    void revokedTokenIsRefusedAtOnce() {
        TestData.Person person = data.person("revoke");
        TestApi.Response created = api.post(person.token(), "/api/v1/me/tokens", Map.of("name", "old laptop"));
        String secret = created.json().path("secret").asText();
        assertThat(api.get(secret, "/api/v1/me").status()).isEqualTo(200);

        TestApi.Response revoked = api.delete(person.token(), "/api/v1/me/tokens/" + created.json().path("id").asText());

        assertThat(revoked.status()).isEqualTo(204);
        TestApi.Response refused = api.get(secret, "/api/v1/me");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(tokenNamed(person.token(), "old laptop").path("status").asText()).isEqualTo("revoked");
    }

    @Test
    void expiredTokenIsRefused() {
        TestData.Person person = data.person("expiry");
        Instant expiresAt = clock.instant().plus(Duration.ofDays(7));
        String secret = api.post(person.token(), "/api/v1/me/tokens",
                Map.of("name", "week", "expiresAt", expiresAt.toString())).json().path("secret").asText();
        assertThat(api.get(secret, "/api/v1/me").status()).isEqualTo(200);

        clock.advance(Duration.ofDays(7).plusSeconds(1));

        assertThat(api.get(secret, "/api/v1/me").status()).isEqualTo(401);
        assertThat(api.get(person.token(), "/api/v1/me").status()).isEqualTo(200);
        assertThat(tokenNamed(person.token(), "week").path("status").asText()).isEqualTo("expired");
    }

    @Test
    void anotherAccountsTokenCannotBeRevoked() {
        TestData.Person owner = data.person("owner");
        TestData.Person other = data.person("other");
        String id = api.post(owner.token(), "/api/v1/me/tokens", Map.of("name", "mine")).json().path("id").asText();

        assertThat(api.delete(other.token(), "/api/v1/me/tokens/" + id).status()).isEqualTo(404);
        assertThat(api.delete(other.token(), "/api/v1/me/tokens/not-a-uuid").status()).isEqualTo(404);
        assertThat(tokenNamed(owner.token(), "mine").path("status").asText()).isEqualTo("active");
    }

    @Test
    void badRequestsAreRefusedWithTheFieldAtFault() {
        TestData.Person person = data.person("bad-token");

        TestApi.Response blank = api.post(person.token(), "/api/v1/me/tokens", Map.of("name", " "));
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.contentType()).startsWith("application/problem+json");
        assertThat(blank.json().path("errors").has("name")).isTrue();

        TestApi.Response past = api.post(person.token(), "/api/v1/me/tokens",
                Map.of("name", "past", "expiresAt", clock.instant().minusSeconds(5).toString()));
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.json().path("errors").has("expiresAt")).isTrue();

        assertThat(api.get(person.token(), "/api/v1/me/tokens").json().path("total").asLong()).isEqualTo(1);
    }

    @Test
    void tokenChangesAreInTheAccountsAuditTrail() {
        TestData.Person person = data.person("token-audit");
        String id = api.post(person.token(), "/api/v1/me/tokens", Map.of("name", "audited")).json().path("id")
                .asText();
        api.delete(person.token(), "/api/v1/me/tokens/" + id);

        TestApi.Response events = api.get(person.token(), "/api/v1/me/audit-events?target=" + id);

        assertThat(events.json().path("items").findValuesAsText("action"))
                .containsExactly("api-token.revoked", "api-token.created");
        assertThat(events.json().path("items").get(0).path("channel").asText()).isEqualTo("API");
        assertThat(events.json().path("items").get(0).path("actor").path("label").asText()).isEqualTo(person.email());
        assertThat(events.json().path("items").get(0).path("before").path("name").asText()).isEqualTo("audited");
    }

    private JsonNode tokenNamed(String token, String name) {
        for (var item : api.get(token, "/api/v1/me/tokens").json().path("items")) {
            if (item.path("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("no token named " + name);
    }
}
