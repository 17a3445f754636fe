package dev.roster.scim;

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
 * What a host application learns when Microsoft Entra provisions through SCIM, with the JSON Entra sends: a user
 * created, added to a mapped group, taken out of it and deactivated. The events come from the membership write path
 * the SCIM module calls, with the directory as their actor.
 */
@RosterIntegrationTest
class ScimEventsTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    TeamService teams;

    @Test
    void entraCreatingGroupingAndDeactivatingAUserPublishesTheMembersEvents() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        Team team = teams.create(scim.org.id(), TestData.unique("Engineering"), null, Actor.system("test setup"));
        String group = scim.createGroup(TestData.unique("Engineering group"));
        TestApi.Response mapped = api.post(scim.org.admin().token(),
                scim.org.api("/scim-directories/" + scim.directoryId + "/group-mappings"),
                Map.of("group", Map.of("by", "id", "value", group), "teams", List.of(team.name())));
        assertThat(mapped.status()).as(mapped.body()).isEqualTo(201);
        try (EventFeed feed = EventFeed.follow(api, scim.org)) {
            String email = TestData.uniqueEmail("entra");
            ScimTestClient.Response created = scim.post("/Users", """
                    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
                      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                     "externalId":"%s","userName":"%s","active":true,"displayName":"Ada Lovelace",
                     "emails":[{"primary":true,"type":"work","value":"%s"}],
                     "meta":{"resourceType":"User"},
                     "name":{"formatted":"Ada Lovelace","familyName":"Lovelace","givenName":"Ada"}}"""
                    .formatted(java.util.UUID.randomUUID(), email, email));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String user = created.id();
            assertThat(scim.patch("/Groups/" + group, """
                    {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                     "Operations":[{"op":"Add","path":"members","value":[{"value":"%s"}]}]}""".formatted(user))
                    .status()).isEqualTo(204);
            assertThat(scim.patch("/Groups/" + group, """
                    {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                     "Operations":[{"op":"Remove","path":"members","value":[{"value":"%s"}]}]}""".formatted(user))
                    .status()).isEqualTo(204);
            assertThat(scim.patch("/Users/" + user, """
                    {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                     "Operations":[{"op":"Replace","path":"active","value":"False"}]}""").status()).isEqualTo(200);

            List<JsonNode> all = feed.await(events -> events.stream()
                    .anyMatch(e -> e.path("type").asText().equals("member.suspended")), "member.suspended");
            List<JsonNode> member = all.stream().filter(e -> e.path("type").asText().startsWith("member.")
                    && e.path("data").path("email").asText().equals(email)).toList();
            assertThat(member).extracting(e -> e.path("type").asText()).containsExactly("member.added",
                    "member.teams_changed", "member.teams_changed", "member.suspended");
            String membershipId = member.get(0).path("data").path("id").asText();
            assertThat(member).allMatch(e -> e.path("data").path("id").asText().equals(membershipId));
            assertThat(member.get(0).path("data").path("email").asText()).isEqualTo(email);
            assertThat(member.get(0).path("data").path("source").asText()).isEqualTo("scim");
            for (JsonNode event : member) {
                assertThat(event.path("actor").path("type").asText()).isEqualTo("directory");
                assertThat(event.path("actor").path("channel").asText()).isEqualTo("scim");
                assertThat(event.path("actor").path("label").asText()).isEqualTo("SCIM: Test entra directory");
                assertThat(event.path("actor").has("id")).isFalse();
            }
            JsonNode gained = member.get(1);
            assertThat(gained.path("changes").path("gained").get(0).path("id").asText())
                    .isEqualTo(team.id().toString());
            assertThat(gained.path("changes").path("source").asText()).isEqualTo("scim");
            assertThat(gained.path("data").path("teams").get(0).path("managedByDirectory").asBoolean()).isTrue();
            JsonNode lost = member.get(2);
            assertThat(lost.path("changes").path("lost").get(0).path("name").asText()).isEqualTo(team.name());
            assertThat(lost.path("data").path("teams")).isEmpty();
            JsonNode suspended = member.get(3);
            assertThat(suspended.path("data").path("status").asText()).isEqualTo("suspended");
            assertThat(suspended.path("data")).isEqualTo(api.get(scim.org.admin().token(),
                    scim.org.api("/members/" + membershipId)).json());

            feed.awaitDelivered(member);
        }
    }
}
