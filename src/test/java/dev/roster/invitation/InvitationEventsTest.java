package dev.roster.invitation;

import static dev.roster.invitation.InvitationFixtures.inviteOne;
import static dev.roster.invitation.InvitationFixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.test.EventFeed;
import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * The {@code invitation.*} events from their triggers: an admin inviting and revoking through the API, the invitee
 * accepting through the public API, and time running out, which is published once per invitation however many
 * instances sweep at the same moment and whether or not an admin clears the expired ones meanwhile.
 */
@RosterIntegrationTest
class InvitationEventsTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    TeamService teams;
    @Autowired
    InvitationExpiry expiry;
    @Autowired
    MutableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void invitingRevokingAndAcceptingPublishTheInvitationsEvents() {
        TestData.Org org = data.org();
        teams.create(org.id(), "Platform", null, Actor.system("test"));
        try (EventFeed feed = EventFeed.follow(api, org)) {
            String email = TestData.uniqueEmail("invitee");
            String accepted = inviteOne(api, org, email, List.of("Platform"), false);
            String revoked = inviteOne(api, org, TestData.uniqueEmail("revoked"), List.of(), false);
            assertThat(api.post(org.admin().token(), org.api("/invitations/" + revoked + "/revoke"), null).status())
                    .isEqualTo(200);
            TestApi.Response acceptance = api.post(null, "/api/v1/public/invitations/accept",
                    Map.of("token", token(email, 1), "displayName", "In Vitee", "password", TestData.PASSWORD));
            assertThat(acceptance.status()).as(acceptance.body()).isEqualTo(200);
            String membershipId = acceptance.json().path("membershipId").asText();

            JsonNode acceptedEvent = feed.awaitOne("invitation.accepted", accepted);
            List<JsonNode> all = feed.all();
            assertThat(EventFeed.about(all, accepted)).extracting(e -> e.path("type").asText())
                    .containsExactly("invitation.created", "invitation.accepted");
            assertThat(EventFeed.about(all, revoked)).extracting(e -> e.path("type").asText())
                    .containsExactly("invitation.created", "invitation.revoked");
            JsonNode created = EventFeed.about(all, accepted).get(0);
            assertThat(created.path("actor").path("label").asText()).isEqualTo(org.admin().email());
            assertThat(created.path("actor").path("channel").asText()).isEqualTo("api");
            assertThat(created.path("data").path("status").asText()).isEqualTo("pending");
            assertThat(created.path("data").path("teams").get(0).path("name").asText()).isEqualTo("Platform");
            assertThat(created.path("data").has("token")).isFalse();
            // After the change, as the admin API shows it.
            assertThat(acceptedEvent.path("data")).isEqualTo(api.get(org.admin().token(),
                    org.api("/invitations/" + accepted)).json());
            assertThat(acceptedEvent.path("actor").path("label").asText()).isEqualTo(email);
            assertThat(acceptedEvent.path("actor").path("channel").asText()).isEqualTo("invitation");
            assertThat(EventFeed.about(all, revoked).get(1).path("data").path("status").asText())
                    .isEqualTo("revoked");
            // The member it made, with the invitation's team in the event's data.
            JsonNode added = feed.awaitOne("member.added", membershipId);
            assertThat(added.path("data").path("teams").get(0).path("name").asText()).isEqualTo("Platform");
            assertThat(all.indexOf(added)).isLessThan(all.indexOf(acceptedEvent));

            feed.awaitDelivered(all.stream().filter(e -> List.of(accepted, revoked, membershipId)
                    .contains(e.path("data").path("id").asText())).toList());
        }
    }

    @Test
    void anExpiryIsPublishedOnceWhateverSweepsOrClearsIt() throws Exception {
        TestData.Org org = data.org();
        try (EventFeed feed = EventFeed.follow(api, org)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ids.add(inviteOne(api, org, TestData.uniqueEmail("late" + i), List.of(), false));
            }
            clock.advance(Duration.ofDays(8));
            // Four instances sweep at once while an admin clears the expired invitations.
            ExecutorService pool = Executors.newFixedThreadPool(5);
            try {
                List<Callable<Object>> work = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    work.add(() -> expiry.sweep());
                }
                work.add(() -> api.delete(org.admin().token(), org.api("/invitations?status=expired")).status());
                for (Future<Object> result : pool.invokeAll(work, 2, TimeUnit.MINUTES)) {
                    assertThat(result.get()).isNotNull();
                }
            }
            finally {
                pool.shutdownNow();
            }
            expiry.sweep();
            String marker = teams.create(org.id(), TestData.unique("After"), null, Actor.system("test")).id()
                    .toString();
            List<JsonNode> all = feed.await(events -> !EventFeed.about(events, marker).isEmpty(), "the marker");
            for (String id : ids) {
                assertThat(EventFeed.about(all, id)).extracting(e -> e.path("type").asText())
                        .as("events of invitation %s", id).containsExactly("invitation.created", "invitation.expired");
                JsonNode expired = EventFeed.about(all, id).get(1);
                assertThat(expired.path("data").path("status").asText()).isEqualTo("expired");
                assertThat(expired.path("actor").path("type").asText()).isEqualTo("system");
            }
        }
    }

    @Test
    void theSweepMarksWhatRanOutAndANewInvitationExpiresTheOldOneOnce() {
        TestData.Org org = data.org();
        try (EventFeed feed = EventFeed.follow(api, org)) {
            String email = TestData.uniqueEmail("again");
            String first = inviteOne(api, org, email, List.of(), false);
            clock.advance(Duration.ofDays(8));
            // Invited anew before any sweep: the new invitation's transaction marks the old one, and publishes.
            String second = inviteOne(api, org, email, List.of(), false);
            expiry.sweep();
            assertThat(api.get(org.admin().token(), org.api("/invitations/" + first)).json().path("status")
                    .asText()).isEqualTo("expired");
            List<JsonNode> all = feed.await(events -> !EventFeed.about(events, second).isEmpty(), "the second");
            assertThat(EventFeed.about(all, first)).extracting(e -> e.path("type").asText())
                    .containsExactly("invitation.created", "invitation.expired");
            assertThat(all.indexOf(EventFeed.about(all, first).get(1)))
                    .isLessThan(all.indexOf(EventFeed.about(all, second).get(0)));
        }
    }
}
