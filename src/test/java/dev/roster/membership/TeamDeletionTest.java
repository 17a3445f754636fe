package dev.roster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.audit.AuditEvent;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.shared.Actor;
import dev.roster.shared.PageQuery;
import dev.roster.test.EventFeed;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * Deleting a team goes through the membership write path (issue 16): every member who held it, through any source and
 * suspended ones too, gets an audit entry and a {@code member.teams_changed} (lost, source manual) in the deletion's
 * transaction, besides {@code team.deleted}; members who never held it get nothing.
 */
@RosterIntegrationTest
class TeamDeletionTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    MembershipService memberships;
    @Autowired
    AuditLog audit;

    @Test
    void everyMemberWhoLosesTheTeamGetsAnAuditEntryAndAnEvent() {
        TestData.Org org = data.org();
        String admin = org.admin().token();
        Actor setup = Actor.system("test setup");
        try (EventFeed feed = EventFeed.follow(api, org)) {
            TestApi.Response created = api.post(admin, org.api("/teams"), Map.of("name", TestData.unique("Platform")));
            String teamId = created.json().path("id").asText();
            String teamName = created.json().path("name").asText();
            UUID byHand = data.join(org, data.person("alice"), false).id();
            UUID bySso = data.join(org, data.person("bob"), false).id();
            UUID suspended = data.join(org, data.person("carol"), false).id();
            UUID elsewhere = data.join(org, data.person("dave"), false).id();
            assertThat(api.put(admin, org.api("/members/" + byHand + "/teams/" + teamId), null).status())
                    .isEqualTo(200);
            memberships.grantTeam(org.id(), bySso, UUID.fromString(teamId), GrantSource.SSO, setup);
            memberships.grantTeam(org.id(), bySso, UUID.fromString(teamId), GrantSource.MANUAL, setup);
            memberships.grantTeam(org.id(), suspended, UUID.fromString(teamId), GrantSource.MANUAL, setup);
            memberships.suspend(org.id(), suspended, setup);

            assertThat(api.delete(admin, org.api("/teams/" + teamId)).status()).isEqualTo(204);

            List<JsonNode> all = feed.await(events -> events.stream()
                    .anyMatch(e -> e.path("type").asText().equals("team.deleted")), "team.deleted");
            for (UUID member : List.of(byHand, bySso, suspended)) {
                List<JsonNode> lost = EventFeed.about(all, member.toString()).stream()
                        .filter(e -> e.path("type").asText().equals("member.teams_changed")
                                && e.path("changes").path("lost").size() > 0)
                        .toList();
                assertThat(lost).as("member " + member).hasSize(1);
                JsonNode changes = lost.get(0).path("changes");
                assertThat(changes.path("lost").get(0).path("id").asText()).isEqualTo(teamId);
                assertThat(changes.path("lost").get(0).path("name").asText()).isEqualTo(teamName);
                assertThat(changes.path("source").asText()).isEqualTo("manual");
                assertThat(lost.get(0).path("data").path("teams")).isEmpty();
                assertThat(lost.get(0).path("actor").path("label").asText()).isEqualTo(org.admin().email());
            }
            assertThat(EventFeed.about(all, elsewhere.toString()))
                    .noneMatch(e -> e.path("type").asText().equals("member.teams_changed"));
            JsonNode deleted = EventFeed.about(all, teamId).stream()
                    .filter(e -> e.path("type").asText().equals("team.deleted")).findFirst().orElseThrow();
            assertThat(deleted.path("data").path("memberCount").asLong()).isEqualTo(3);

            List<AuditEvent> removed = audit.find(org.id(), new AuditQuery(null, null, null, "team.member-removed",
                    null, null, null), PageQuery.of(0, 20)).items().stream()
                    .filter(e -> e.before() != null && e.before().path("reason").asText().equals("team-deleted"))
                    .toList();
            assertThat(removed).extracting(e -> e.before().path("member").asText()).containsExactlyInAnyOrder(
                    email(org, byHand), email(org, bySso), email(org, suspended));
            assertThat(removed).filteredOn(e -> e.before().path("member").asText().equals(email(org, bySso)))
                    .singleElement().satisfies(e -> assertThat(e.before().path("sources").toString())
                            .isEqualTo("[\"MANUAL\",\"SSO\"]"));
            assertThat(api.get(admin, org.api("/members/" + byHand)).json().path("teams")).isEmpty();
        }
    }

    private String email(TestData.Org org, UUID membership) {
        return api.get(org.admin().token(), org.api("/members/" + membership)).json().path("email").asText();
    }
}
