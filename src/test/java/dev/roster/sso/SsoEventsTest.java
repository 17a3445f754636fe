package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.test.EventFeed;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.sso.access.SsoDomainService;

/**
 * What a host application learns from SAML sign-ins (signed responses built with OpenSAML by the test IdP): a first
 * sign-in creates the member with the teams and admin flag its groups map to, a later one with fewer groups takes
 * them back.
 */
@RosterIntegrationTest
class SsoEventsTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    TeamService teams;

    @Test
    void signInsPublishTheMemberTheirTeamsAndTheirAdminFlag() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        Team support = teams.create(sso.org.id(), "Support", null, Actor.system("test"));
        sso.grant("group", "Everyone");
        sso.map("Roster Admins", null, true);
        sso.map("Support Crew", "Support", false);
        String email = sso.email("grace");
        try (EventFeed feed = EventFeed.follow(api, sso.org)) {
            login(sso, TestIdp.okta(sso.spec(), email, "Grace", "Hopper", "Everyone", "Roster Admins",
                    "Support Crew"));
            login(sso, TestIdp.okta(sso.spec(), email, "Grace", "Hopper", "Everyone"));

            List<JsonNode> member = feed.await(events -> events.stream()
                    .filter(e -> e.path("data").path("email").asText().equals(email)).count() >= 4,
                    "four events of the member").stream()
                    .filter(e -> e.path("data").path("email").asText().equals(email)).toList();
            assertThat(member).extracting(e -> e.path("type").asText()).containsExactly("member.added",
                    "member.teams_changed", "member.teams_changed", "member.updated");
            for (JsonNode event : member) {
                assertThat(event.path("data").path("email").asText()).isEqualTo(email);
                assertThat(event.path("actor").path("type").asText()).isEqualTo("directory");
                assertThat(event.path("actor").path("channel").asText()).isEqualTo("sso");
            }
            JsonNode added = member.get(0);
            assertThat(added.path("data").path("admin").asBoolean()).isTrue();
            assertThat(added.path("data").path("source").asText()).isEqualTo("sso");
            assertThat(member.get(1).path("changes").path("gained").get(0).path("id").asText())
                    .isEqualTo(support.id().toString());
            assertThat(member.get(1).path("changes").path("source").asText()).isEqualTo("sso");
            assertThat(member.get(2).path("changes").path("lost").get(0).path("name").asText()).isEqualTo("Support");
            assertThat(member.get(3).path("changes").path("admin").path("to").asBoolean()).isFalse();
            assertThat(member.get(3).path("data").path("admin").asBoolean()).isFalse();

            feed.awaitDelivered(member);
        }
    }

    @Test
    void connectionChangesAndRefusedSignInsArePublished() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of());
        String admin = sso.org.admin().token();
        try (EventFeed feed = EventFeed.follow(api, sso.org)) {
            TestApi.Response updated = api.patch(admin, sso.org.api("/sso-connections/" + sso.id()),
                    Map.of("name", "Renamed IdP"));
            assertThat(updated.status()).as(updated.body()).isEqualTo(200);
            sso.grant("group", java.util.UUID.randomUUID().toString());
            String email = sso.email("nogrant");
            SamlBrowser.Page page = sso.login(new SamlBrowser(api.baseUrl()), TestIdp.entra(sso.spec(),
                    java.util.UUID.randomUUID().toString(), email, "No", "Grant",
                    java.util.UUID.randomUUID().toString()));
            assertThat(page.location()).endsWith("/sso/error?reason=no-grant");
            JsonNode connectionNow = api.get(admin, sso.org.api("/sso-connections/" + sso.id())).json();
            assertThat(api.delete(admin, sso.org.api("/sso-connections/" + sso.id())).status()).isEqualTo(204);

            List<JsonNode> all = feed.await(events -> EventFeed.about(events, sso.id()).size() == 3,
                    "three connection changes");
            // Created by the fixture's admin before the webhook endpoint existed, then changed and deleted.
            List<JsonNode> changes = EventFeed.about(all, sso.id()).subList(1, 3);
            assertThat(EventFeed.about(all, sso.id())).extracting(e -> e.path("type").asText() + " "
                    + e.path("changes").path("change").asText()).containsExactly("sso.connection.changed created",
                    "sso.connection.changed updated", "sso.connection.changed deleted");
            assertThat(changes.get(0).path("data")).isEqualTo(updated.json());
            assertThat(changes.get(1).path("data")).isEqualTo(connectionNow);
            assertThat(changes.get(0).path("actor").path("label").asText()).isEqualTo(sso.org.admin().email());

            JsonNode refused = all.stream().filter(e -> e.path("type").asText().equals("sso.sign_in_refused"))
                    .findFirst().orElseThrow();
            assertThat(refused.path("data").path("reason").asText()).isEqualTo("no-grant");
            assertThat(refused.path("data").path("email").asText()).isEqualTo(email);
            assertThat(refused.path("data").path("connection").path("id").asText()).isEqualTo(sso.id());
            assertThat(refused.path("data").path("connection").path("name").asText()).isEqualTo("Renamed IdP");
            assertThat(refused.path("actor").path("type").asText()).isEqualTo("directory");
            assertThat(refused.path("actor").path("channel").asText()).isEqualTo("sso");
            // Nobody was let in, so no member event.
            assertThat(all).noneMatch(e -> e.path("type").asText().startsWith("member.")
                    && e.path("data").path("email").asText().equals(email));

            feed.awaitDelivered(List.of(changes.get(0), refused, changes.get(1)));
        }
    }

    private void login(SsoFixture sso, TestIdp.Spec spec) {
        SamlBrowser.Page page = sso.login(new SamlBrowser(api.baseUrl()), spec);
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        assertThat(page.location()).endsWith("/");
    }
}
