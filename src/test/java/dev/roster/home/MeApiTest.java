package dev.roster.home;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;

@RosterIntegrationTest
class MeApiTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;

    @Test
    void describesTheCallerAndTheirOrganizations() {
        TestData.Org adminOf = data.org();
        TestData.Org memberOf = data.org();
        TestData.Person person = data.member(memberOf, false);
        data.join(adminOf, person, true);

        TestApi.Response me = api.get(person.token(), "/api/v1/me");

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("id").asText()).isEqualTo(person.id().toString());
        assertThat(me.json().path("email").asText()).isEqualTo(person.email());
        assertThat(me.json().path("displayName").asText()).isEqualTo("Test member");
        assertThat(me.json().path("hasPassword").asBoolean()).isTrue();
        assertThat(me.json().path("twoFactorEnabled").asBoolean()).isFalse();
        Map<String, Boolean> adminBySlug = new HashMap<>();
        me.json().path("organizations").forEach(org -> adminBySlug.put(org.path("slug").asText(),
                org.path("admin").asBoolean()));
        assertThat(adminBySlug).containsExactlyInAnyOrderEntriesOf(Map.of(adminOf.slug(), true,
                memberOf.slug(), false));
        assertThat(me.json().path("organizations").findValuesAsText("name"))
                .contains(adminOf.organization().name());
    }

    @Test
    void changesTheDisplayName() {
        TestData.Person person = data.person("rename");

        TestApi.Response renamed = api.patch(person.token(), "/api/v1/me", Map.of("displayName", "  Ada L.  "));

        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().path("displayName").asText()).isEqualTo("Ada L.");
        assertThat(api.get(person.token(), "/api/v1/me").json().path("displayName").asText()).isEqualTo("Ada L.");
        TestApi.Response events = api.get(person.token(), "/api/v1/me/audit-events?action=account.profile-changed");
        assertThat(events.json().path("total").asLong()).isEqualTo(1);
        assertThat(events.json().path("items").get(0).path("before").path("displayName").asText())
                .isEqualTo("Test rename");
        assertThat(events.json().path("items").get(0).path("after").path("displayName").asText()).isEqualTo("Ada L.");
    }

    @Test
    void refusesABlankOrLongName() {
        TestData.Person person = data.person("blank-name");

        TestApi.Response blank = api.patch(person.token(), "/api/v1/me", Map.of("displayName", "   "));
        TestApi.Response missing = api.patch(person.token(), "/api/v1/me", Map.of());
        TestApi.Response tooLong = api.patch(person.token(), "/api/v1/me", Map.of("displayName", "x".repeat(201)));

        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.json().path("errors").has("displayName")).isTrue();
        assertThat(missing.status()).isEqualTo(400);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(api.get(person.token(), "/api/v1/me").json().path("displayName").asText())
                .isEqualTo("Test blank-name");
    }

    @Test
    void changesThePasswordOnlyWithTheCurrentOne() {
        TestData.Person person = data.person("password");
        String newPassword = "a much better passphrase";

        TestApi.Response wrong = api.post(person.token(), "/api/v1/me/password",
                Map.of("currentPassword", "not my password", "newPassword", newPassword));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().path("errors").has("currentPassword")).isTrue();
        TestApi.Response weak = api.post(person.token(), "/api/v1/me/password",
                Map.of("currentPassword", TestData.PASSWORD, "newPassword", "short"));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.json().path("errors").has("newPassword")).isTrue();
        assertThat(new TestSession(api.baseUrl()).signIn(person.email(), TestData.PASSWORD).location())
                .doesNotContain("error");

        TestApi.Response changed = api.post(person.token(), "/api/v1/me/password",
                Map.of("currentPassword", TestData.PASSWORD, "newPassword", newPassword));

        assertThat(changed.status()).isEqualTo(204);
        assertThat(new TestSession(api.baseUrl()).signIn(person.email(), TestData.PASSWORD).location())
                .endsWith("/login?error");
        assertThat(new TestSession(api.baseUrl()).signIn(person.email(), newPassword).location())
                .doesNotContain("error");
        TestApi.Response events = api.get(person.token(), "/api/v1/me/audit-events?action=account.password-changed");
        assertThat(events.json().path("total").asLong()).isEqualTo(1);
        assertThat(events.body()).doesNotContain(newPassword);
    }

    @Test
    void accountEventsAreTheCallersOwnOnly() {
        TestData.Person one = data.person("own-events");
        TestData.Person other = data.person("others-events");
        api.patch(other.token(), "/api/v1/me", Map.of("displayName", "Someone Else"));

        TestApi.Response events = api.get(one.token(), "/api/v1/me/audit-events");

        assertThat(events.status()).isEqualTo(200);
        assertThat(events.json().path("items").findValuesAsText("action"))
                .containsExactlyInAnyOrder("account.created", "api-token.created");
        assertThat(events.body()).doesNotContain(other.email());
    }

    @Test
    void needsAToken() {
        assertThat(api.get(null, "/api/v1/me").status()).isEqualTo(401);
        assertThat(api.patch(null, "/api/v1/me", Map.of("displayName", "x")).status()).isEqualTo(401);
        assertThat(api.get("roster_pat_made-up-token-value", "/api/v1/me").status()).isEqualTo(401);
    }
}
