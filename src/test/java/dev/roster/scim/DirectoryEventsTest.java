package dev.roster.scim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.EventFeed;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * The {@code directory.*} events from Okta's and Entra's SCIM requests: users provisioned, deactivated, activated
 * and deleted, groups created, changed and deleted.
 */
@RosterIntegrationTest
class DirectoryEventsTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;

    @Test
    void usersAndGroupsADirectoryChangesPublishDirectoryEvents() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        try (EventFeed feed = EventFeed.follow(api, scim.org)) {
            String email = TestData.uniqueEmail("dir");
            String user = scim.createUser(email);
            String group = scim.createGroup(TestData.unique("Group"), user);
            assertThat(scim.patch("/Groups/" + group, """
                    {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                     "Operations":[{"op":"Replace","path":"displayName","value":"Renamed"},
                                   {"op":"Remove","path":"members","value":[{"value":"%s"}]}]}""".formatted(user))
                    .status()).isEqualTo(204);
            assertThat(scim.patch("/Users/" + user, """
                    {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                     "Operations":[{"op":"Replace","path":"active","value":"False"}]}""").status()).isEqualTo(200);
            assertThat(scim.patch("/Users/" + user, """
                    {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                     "Operations":[{"op":"Replace","path":"active","value":"True"}]}""").status()).isEqualTo(200);
            assertThat(scim.delete("/Groups/" + group).status()).isEqualTo(204);
            assertThat(scim.delete("/Users/" + user).status()).isEqualTo(204);

            List<JsonNode> all = feed.await(events -> EventFeed.about(events, user).size() == 4, "four user events");
            List<JsonNode> users = EventFeed.about(all, user);
            assertThat(users).extracting(e -> e.path("type").asText() + " " + e.path("changes").path("change")
                    .asText()).containsExactly("directory.user_provisioned created",
                    "directory.user_deprovisioned deactivated", "directory.user_provisioned activated",
                    "directory.user_deprovisioned deleted");
            JsonNode provisioned = users.get(0);
            assertThat(provisioned.path("data").path("userName").asText()).isEqualTo(email);
            assertThat(provisioned.path("data").path("directory").path("id").asText())
                    .isEqualTo(scim.directoryId.toString());
            assertThat(provisioned.path("data").path("memberId").asText()).hasSize(36);
            assertThat(provisioned.path("actor").path("type").asText()).isEqualTo("directory");
            assertThat(provisioned.path("actor").path("channel").asText()).isEqualTo("scim");
            assertThat(users.get(1).path("data").path("active").asBoolean()).isFalse();

            List<JsonNode> groups = EventFeed.about(all, group);
            assertThat(groups).extracting(e -> e.path("changes").path("change").asText())
                    .containsExactly("created", "updated", "deleted");
            assertThat(groups).allMatch(e -> e.path("type").asText().equals("directory.group_synced"));
            assertThat(groups.get(0).path("changes").path("membersAdded").asInt()).isEqualTo(1);
            assertThat(groups.get(1).path("changes").path("membersRemoved").asInt()).isEqualTo(1);
            assertThat(groups.get(1).path("data").path("displayName").asText()).isEqualTo("Renamed");

            // The member's own events stand beside the directory's: suspended when deactivated, and so on.
            String memberId = provisioned.path("data").path("memberId").asText();
            assertThat(EventFeed.about(all, memberId)).extracting(e -> e.path("type").asText())
                    .containsSubsequence("member.added", "member.suspended", "member.reactivated", "member.removed");
            feed.awaitDelivered(users);
            feed.awaitDelivered(groups);
        }
    }
}
