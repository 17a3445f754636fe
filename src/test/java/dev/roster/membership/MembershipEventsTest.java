package dev.roster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.test.EventFeed;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.WebhookReceiver;

/**
 * The events of the membership write path, from real triggers: an admin's calls to the members and teams API, read
 * back through the Events API and by a webhook receiver that checks signatures. A change that rolls back leaves no
 * event.
 */
@RosterIntegrationTest
class MembershipEventsTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    MembershipService memberships;
    @Autowired
    TeamService teams;
    @Autowired
    TransactionTemplate transaction;

    @Test
    void anAdminsChangesToMembersAndTeamsEachPublishTheirEvent() {
        TestData.Org org = data.org();
        String admin = org.admin().token();
        try (EventFeed feed = EventFeed.follow(api, org)) {
            TestData.Person person = data.person("member");
            String memberId = data.join(org, person, false).id().toString();
            TestApi.Response team = api.post(admin, org.api("/teams"), Map.of("name", TestData.unique("Platform")));
            String teamId = team.json().path("id").asText();

            TestApi.Response joinedTeam = api.put(admin, org.api("/members/" + memberId + "/teams/" + teamId), null);
            assertThat(joinedTeam.status()).isEqualTo(200);
            TestApi.Response promoted = api.patch(admin, org.api("/members/" + memberId), Map.of("admin", true));
            assertThat(promoted.status()).isEqualTo(200);
            TestApi.Response suspended = api.post(admin, org.api("/members/" + memberId + "/suspend"), null);
            TestApi.Response reactivated = api.post(admin, org.api("/members/" + memberId + "/reactivate"), null);
            TestApi.Response renamed = api.patch(admin, org.api("/teams/" + teamId), Map.of("name", "Platform 2"));
            assertThat(renamed.status()).isEqualTo(200);
            assertThat(api.delete(admin, org.api("/members/" + memberId)).status()).isEqualTo(204);
            assertThat(api.delete(admin, org.api("/teams/" + teamId)).status()).isEqualTo(204);

            List<JsonNode> all = feed.await(events -> events.stream()
                    .anyMatch(e -> e.path("type").asText().equals("team.deleted")), "team.deleted");
            List<JsonNode> aboutMember = EventFeed.about(all, memberId);
            assertThat(aboutMember).extracting(e -> e.path("type").asText()).containsExactly("member.added",
                    "member.teams_changed", "member.updated", "member.suspended", "member.reactivated",
                    "member.removed");
            assertThat(EventFeed.about(all, teamId)).extracting(e -> e.path("type").asText())
                    .containsExactly("team.created", "team.renamed", "team.deleted");

            // Every event names its organization, when, and who: the admin, through the API.
            for (JsonNode event : all) {
                assertThat(event.path("id").asText()).hasSize(36);
                assertThat(event.path("organization").asText()).isEqualTo(org.slug());
                assertThat(Instant.parse(event.path("occurredAt").asText())).isBefore(Instant.now().plusSeconds(5));
            }
            JsonNode teamsChanged = aboutMember.get(1);
            assertThat(teamsChanged.path("actor")).isEqualTo(json(Map.of("type", "account", "id",
                    org.admin().id().toString(), "label", org.admin().email(), "channel", "api")));
            // data is the member as the admin API answered the change.
            assertThat(teamsChanged.path("data")).isEqualTo(joinedTeam.json());
            assertThat(teamsChanged.path("changes")).isEqualTo(json(Map.of("gained",
                    List.of(Map.of("id", teamId, "name", team.json().path("name").asText())), "lost", List.of(),
                    "source", "manual")));
            JsonNode updated = aboutMember.get(2);
            assertThat(updated.path("data")).isEqualTo(promoted.json());
            assertThat(updated.path("changes")).isEqualTo(json(Map.of("admin", Map.of("from", false, "to", true))));
            assertThat(aboutMember.get(3).path("data")).isEqualTo(suspended.json());
            assertThat(aboutMember.get(3).path("changes").path("status"))
                    .isEqualTo(json(Map.of("from", "active", "to", "suspended")));
            assertThat(aboutMember.get(4).path("data")).isEqualTo(reactivated.json());
            JsonNode removed = aboutMember.get(5);
            assertThat(removed.path("data").path("status").asText()).isEqualTo("removed");
            assertThat(removed.path("data").path("admin").asBoolean()).isFalse();
            assertThat(removed.path("data").path("teams")).isEmpty();
            assertThat(removed.path("changes")).isEqualTo(json(Map.of(
                    "status", Map.of("from", "active", "to", "removed"), "admin", Map.of("from", true, "to", false),
                    "teamsLost", List.of(Map.of("id", teamId, "name", "Platform 2")))));
            JsonNode teamRenamed = EventFeed.about(all, teamId).get(1);
            assertThat(teamRenamed.path("changes")).isEqualTo(json(Map.of("name",
                    Map.of("from", team.json().path("name").asText(), "to", "Platform 2"))));
            assertThat(teamRenamed.path("data").path("memberCount").asLong()).isEqualTo(1);
            assertThat(EventFeed.about(all, teamId).get(0).path("data")).isEqualTo(team.json());

            // The webhook endpoint received the same events, signed, in the stream's order.
            List<JsonNode> expected = all.stream().filter(e -> List.of(memberId, teamId)
                    .contains(e.path("data").path("id").asText())).toList();
            List<WebhookReceiver.Delivery> delivered = feed.awaitDelivered(expected);
            assertThat(delivered).extracting(WebhookReceiver.Delivery::id)
                    .containsExactlyElementsOf(expected.stream().map(e -> e.path("id").asText()).toList());
        }
    }

    @Test
    void aSecondSourceGrantingATeamTheMemberHasChangesNothingAHostSees() {
        TestData.Org org = data.org();
        try (EventFeed feed = EventFeed.follow(api, org)) {
            TestData.Person person = data.person("twice");
            Membership membership = data.join(org, person, false);
            Team team = teams.create(org.id(), TestData.unique("Shared"), null, Actor.system("test"));
            Actor scim = Actor.directory("Entra", Channel.SCIM);
            memberships.grantTeam(org.id(), membership.id(), team.id(), GrantSource.MANUAL, Actor.system("test"));
            memberships.syncTeams(org.id(), membership.id(), GrantSource.SCIM, java.util.Set.of(team.id()), scim);
            memberships.syncTeams(org.id(), membership.id(), GrantSource.SCIM, java.util.Set.of(), scim);
            memberships.revokeTeam(org.id(), membership.id(), team.id(), GrantSource.MANUAL, Actor.system("test"));

            List<JsonNode> changes = EventFeed.about(feed.await(events -> EventFeed.about(events,
                    membership.id().toString()).stream().filter(e -> e.path("type").asText()
                    .equals("member.teams_changed")).count() == 2, "two team changes"), membership.id().toString())
                    .stream().filter(e -> e.path("type").asText().equals("member.teams_changed")).toList();
            // In by hand, then the directory's grant and its withdrawal change nothing, then out by hand.
            assertThat(changes.get(0).path("changes").path("gained")).hasSize(1);
            assertThat(changes.get(0).path("changes").path("source").asText()).isEqualTo("manual");
            assertThat(changes.get(1).path("changes").path("lost")).hasSize(1);
            assertThat(changes.get(1).path("changes").path("gained")).isEmpty();
        }
    }

    @Test
    void aChangeThatRollsBackPublishesNothing() {
        TestData.Org org = data.org();
        Actor actor = Actor.system("test");
        try (EventFeed feed = EventFeed.follow(api, org)) {
            Membership membership = data.join(org, data.person("admin"), true);
            transaction.executeWithoutResult(status -> {
                memberships.setAdmin(org.id(), membership.id(), false, actor);
                teams.create(org.id(), "Rolled back", null, actor);
                memberships.remove(org.id(), membership.id(), actor);
                status.setRollbackOnly();
            });
            Team marker = teams.create(org.id(), TestData.unique("Committed"), null, actor);

            List<JsonNode> all = feed.await(events -> !EventFeed.about(events, marker.id().toString()).isEmpty(),
                    "the committed team");
            assertThat(EventFeed.about(all, membership.id().toString())).extracting(e -> e.path("type").asText())
                    .containsExactly("member.added");
            assertThat(all).noneMatch(e -> e.path("data").path("name").asText().equals("Rolled back"));
            // The webhook endpoint gets the committed changes and nothing rolled back.
            feed.awaitDelivered(all.stream().filter(e -> List.of(membership.id().toString(), marker.id().toString())
                    .contains(e.path("data").path("id").asText())).toList());
            assertThat(feed.receiver().events()).extracting(WebhookReceiver.Delivery::type)
                    .containsExactly("member.added", "team.created");
        }
    }

    private static JsonNode json(Object value) {
        return new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(value);
    }
}
