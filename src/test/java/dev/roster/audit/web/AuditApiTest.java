package dev.roster.audit.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

@RosterIntegrationTest
class AuditApiTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    TeamService teams;
    @Autowired
    MutableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void eventsCarryActorChannelTargetAndBeforeAndAfter() {
        TestData.Org org = data.org();
        Team team = teams.create(org.id(), "Platform", "Builds things", admin(org, Channel.UI));
        teams.update(org.id(), team.id(), "Platform Engineering", null, admin(org, Channel.UI));

        JsonNode event = api.get(org.admin().token(), org.api("/audit-events?action=team.updated")).json()
                .path("items").get(0);

        assertThat(event.path("id").asText()).isNotBlank();
        assertThat(Instant.parse(event.path("occurredAt").asText())).isBefore(clock.instant().plusSeconds(1));
        assertThat(event.path("actor").path("accountId").asText()).isEqualTo(org.admin().id().toString());
        assertThat(event.path("actor").path("label").asText()).isEqualTo(org.admin().email());
        assertThat(event.path("channel").asText()).isEqualTo("UI");
        assertThat(event.path("target").path("type").asText()).isEqualTo("team");
        assertThat(event.path("target").path("id").asText()).isEqualTo(team.id().toString());
        assertThat(event.path("target").path("label").asText()).isEqualTo("Platform Engineering");
        assertThat(event.path("before").path("name").asText()).isEqualTo("Platform");
        assertThat(event.path("after").path("name").asText()).isEqualTo("Platform Engineering");
    }

    @Test
    void filtersByActorChannelActionTargetAndTime() {
        TestData.Org org = data.org();
        Actor directory = Actor.directory("Okta directory", Channel.SSO);
        Team platform = teams.create(org.id(), "Platform", null, admin(org, Channel.UI));
        teams.create(org.id(), "Data", null, directory);
        clock.advance(Duration.ofHours(2));
        Instant later = clock.instant().minusSeconds(1);
        teams.create(org.id(), "Security", null, admin(org, Channel.API));
        teams.update(org.id(), platform.id(), null, "Runs the platform", directory);

        assertThat(labels(org, "?channel=sso")).containsExactlyInAnyOrder("Data", "Platform");
        assertThat(labels(org, "?actor=okta")).containsExactlyInAnyOrder("Data", "Platform");
        assertThat(labels(org, "?actor=" + org.admin().id() + "&action=team.created"))
                .containsExactlyInAnyOrder("Platform", "Security");
        assertThat(labels(org, "?action=team.updated")).containsExactly("Platform");
        assertThat(labels(org, "?target=" + platform.id())).containsExactly("Platform", "Platform");
        assertThat(labels(org, "?target=secur")).containsExactly("Security");
        assertThat(labels(org, "?action=team.created&from=" + later)).containsExactly("Security");
        assertThat(labels(org, "?action=team.created&to=" + later)).containsExactlyInAnyOrder("Platform", "Data");
        assertThat(labels(org, "?channel=API&action=team.created&from=" + later + "&to="
                + clock.instant().plusSeconds(60))).containsExactly("Security");
    }

    @Test
    void pagesNewestFirst() {
        TestData.Org org = data.org();
        for (String name : List.of("A", "B", "C", "D", "E")) {
            teams.create(org.id(), name, null, admin(org, Channel.API));
            clock.advance(Duration.ofSeconds(1));
        }

        TestApi.Response first = api.get(org.admin().token(), org.api("/audit-events?action=team.created&size=2"));
        TestApi.Response second = api.get(org.admin().token(),
                org.api("/audit-events?action=team.created&size=2&page=1"));
        TestApi.Response last = api.get(org.admin().token(),
                org.api("/audit-events?action=team.created&size=2&page=2"));

        assertThat(first.json().path("total").asLong()).isEqualTo(5);
        assertThat(first.json().path("page").asInt()).isZero();
        assertThat(first.json().path("size").asInt()).isEqualTo(2);
        assertThat(targetLabels(first)).containsExactly("E", "D");
        assertThat(targetLabels(second)).containsExactly("C", "B");
        assertThat(targetLabels(last)).containsExactly("A");
        assertThat(api.get(org.admin().token(), org.api("/audit-events?size=501")).status()).isEqualTo(400);
    }

    @Test
    void anOrganizationSeesOnlyItsOwnEvents() {
        TestData.Org mine = data.org();
        TestData.Org theirs = data.org();
        teams.create(theirs.id(), "Secret project", null, admin(theirs, Channel.API));

        TestApi.Response events = api.get(mine.admin().token(), mine.api("/audit-events?size=500"));

        assertThat(events.status()).isEqualTo(200);
        assertThat(events.body()).doesNotContain("Secret project").doesNotContain(theirs.slug())
                .doesNotContain(theirs.admin().email());
        assertThat(events.json().path("items").findValuesAsText("action")).contains("organization.created",
                "member.added");
        assertThat(api.get(mine.admin().token(), theirs.api("/audit-events")).status()).isEqualTo(404);
    }

    @Test
    void badFiltersAreRefused() {
        TestData.Org org = data.org();

        TestApi.Response channel = api.get(org.admin().token(), org.api("/audit-events?channel=carrier-pigeon"));
        TestApi.Response from = api.get(org.admin().token(), org.api("/audit-events?from=yesterday"));
        TestApi.Response backwards = api.get(org.admin().token(),
                org.api("/audit-events?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z"));

        assertThat(channel.status()).isEqualTo(400);
        assertThat(channel.json().path("errors").has("channel")).isTrue();
        assertThat(from.status()).isEqualTo(400);
        assertThat(from.json().path("errors").has("from")).isTrue();
        assertThat(backwards.status()).isEqualTo(400);
    }

    private List<String> labels(TestData.Org org, String query) {
        TestApi.Response response = api.get(org.admin().token(), org.api("/audit-events" + query));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return targetLabels(response);
    }

    private static List<String> targetLabels(TestApi.Response response) {
        List<String> labels = new ArrayList<>();
        response.json().path("items").forEach(item -> labels.add(item.path("target").path("label").asText()));
        return labels;
    }

    private static Actor admin(TestData.Org org, Channel channel) {
        return Actor.account(org.admin().id(), org.admin().email(), channel);
    }
}
