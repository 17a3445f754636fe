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

    private void login(SsoFixture sso, TestIdp.Spec spec) {
        SamlBrowser.Page page = sso.login(new SamlBrowser(api.baseUrl()), spec);
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        assertThat(page.location()).endsWith("/");
    }
}
