package dev.roster.invitation;

import static dev.roster.invitation.InvitationFixtures.inviteOne;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.roster.test.EventFeed;
import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * The invitation expiry sweep leaves a soft-deleted organization alone: its invitations are neither marked nor
 * published while it is deleted, and a restore picks them up at the next sweep. Their mail is held meanwhile.
 */
@RosterIntegrationTest
class DeletedOrganizationInvitationsTest {

    static final String OPERATOR = "test-operator-token-0123456789abcdef-never-in-production";

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    MutableClock clock;
    @Autowired
    InvitationExpiry expiry;
    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void theExpirySweepSkipsADeletedOrganizationUntilItIsRestored() {
        TestData.Org org = data.org();
        String invitation = inviteOne(api, org, TestData.uniqueEmail("waiting"), List.of(), false);
        assertThat(api.delete(OPERATOR, "/api/v1/orgs/" + org.slug()).status()).isEqualTo(200);
        clock.advance(Duration.ofDays(8));

        expiry.sweep();
        assertThat(status(invitation)).as("untouched while deleted").isEqualTo("PENDING");

        assertThat(api.post(OPERATOR, "/api/v1/orgs/" + org.slug() + "/restore", null).status()).isEqualTo(200);
        try (EventFeed feed = EventFeed.follow(api, org)) {
            expiry.sweep();
            assertThat(status(invitation)).isEqualTo("EXPIRED");
            assertThat(EventFeed.about(feed.await(events -> EventFeed.about(events, invitation).stream()
                    .anyMatch(e -> e.path("type").asText().equals("invitation.expired")), "invitation.expired"),
                    invitation)).extracting(e -> e.path("type").asText())
                    .containsExactly("invitation.created", "invitation.expired");
        }
    }

    @Test
    void anInvitationsMailNamesItsOrganizationSoThatItIsHeldWhileTheOrganizationIsDeleted() {
        TestData.Org org = data.org();
        String email = TestData.uniqueEmail("held");
        inviteOne(api, org, email, List.of(), false);

        // The dispatcher holds mail by this column (MailDispatcherTest); a message without it would go out regardless.
        assertThat(jdbc.sql("SELECT organization_id FROM mail_outbox WHERE recipient = ?").param(email)
                .query(UUID.class).list()).containsExactly(org.id());
    }

    private String status(String invitationId) {
        return jdbc.sql("SELECT status FROM invitation WHERE id = ?").param(UUID.fromString(invitationId))
                .query(String.class).single();
    }
}
