package dev.roster.organization.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

@RosterIntegrationTest
class OrganizationSettingsApiTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;

    @Test
    void adminsReadAndChangeTheSettings() {
        TestData.Org org = data.org();

        TestApi.Response read = api.get(org.admin().token(), org.api(""));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("slug").asText()).isEqualTo(org.slug());
        assertThat(read.json().path("name").asText()).isEqualTo(org.organization().name());
        assertThat(read.json().path("requireTwoFactor").asBoolean()).isFalse();

        TestApi.Response renamed = api.patch(org.admin().token(), org.api(""), Map.of("name", "Renamed Ltd"));

        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().path("name").asText()).isEqualTo("Renamed Ltd");
        assertThat(renamed.json().path("requireTwoFactor").asBoolean()).isFalse();
        assertThat(api.get(org.admin().token(), org.api("")).json().path("name").asText()).isEqualTo("Renamed Ltd");
        TestApi.Response events = api.get(org.admin().token(),
                org.api("/audit-events?action=organization.settings-changed"));
        assertThat(events.json().path("total").asLong()).isEqualTo(1);
        var event = events.json().path("items").get(0);
        assertThat(event.path("actor").path("label").asText()).isEqualTo(org.admin().email());
        assertThat(event.path("actor").path("accountId").asText()).isEqualTo(org.admin().id().toString());
        assertThat(event.path("channel").asText()).isEqualTo("API");
        assertThat(event.path("before").path("name").asText()).isEqualTo(org.organization().name());
        assertThat(event.path("after").path("name").asText()).isEqualTo("Renamed Ltd");
    }

    @Test
    void badSettingsAreRefusedAndNothingChanges() {
        TestData.Org org = data.org();

        TestApi.Response empty = api.patch(org.admin().token(), org.api(""), Map.of("name", ""));
        TestApi.Response blank = api.patch(org.admin().token(), org.api(""), Map.of("name", "   "));
        TestApi.Response tooLong = api.patch(org.admin().token(), org.api(""), Map.of("name", "n".repeat(201)));
        TestApi.Response notJson = api.patch(org.admin().token(), org.api(""), "{\"requireTwoFactor\": \"maybe\"");

        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().path("errors").has("name")).isTrue();
        assertThat(blank.status()).isEqualTo(400);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(api.get(org.admin().token(), org.api("")).json().path("name").asText())
                .isEqualTo(org.organization().name());
        assertThat(api.get(org.admin().token(), org.api("/audit-events?action=organization.settings-changed"))
                .json().path("total").asLong()).isZero();
    }

    @Test
    void nonAdminsAreRefused() {
        TestData.Org org = data.org();
        TestData.Person member = data.member(org, false);
        TestData.Person outsider = data.person("outsider");

        TestApi.Response read = api.get(member.token(), org.api(""));
        TestApi.Response change = api.patch(member.token(), org.api(""), Map.of("name", "Mine now"));
        TestApi.Response require = api.patch(member.token(), org.api(""), Map.of("requireTwoFactor", true));
        TestApi.Response audit = api.get(member.token(), org.api("/audit-events"));

        assertThat(read.status()).isEqualTo(403);
        assertThat(read.json().path("type").asText()).isEqualTo("urn:roster:problem:admin-required");
        assertThat(change.status()).isEqualTo(403);
        assertThat(require.status()).isEqualTo(403);
        assertThat(audit.status()).isEqualTo(403);
        assertThat(api.get(outsider.token(), org.api("")).status()).isEqualTo(404);
        assertThat(api.get(outsider.token(), org.api("/audit-events")).status()).isEqualTo(404);
        assertThat(api.get(org.admin().token(), org.api("")).json().path("name").asText())
                .isEqualTo(org.organization().name());
    }
}
