package dev.roster.invitation;

import static dev.roster.invitation.InvitationFixtures.audit;
import static dev.roster.invitation.InvitationFixtures.emails;
import static dev.roster.invitation.InvitationFixtures.invite;
import static dev.roster.invitation.InvitationFixtures.inviteOne;
import static dev.roster.invitation.InvitationFixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.roster.audit.AuditLog;
import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;

/** The admin side of invitations, over real HTTP on PostgreSQL, with mail through a real SMTP server. */
@RosterIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class InvitationApiTest {

    private static final Actor SETUP = Actor.system("test setup");

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    MutableClock clock;
    @Autowired
    TeamService teams;
    @Autowired
    AuditLog auditLog;
    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void bulkInviteOfOneHundredSendsOneWorkingEmailPerAddress() {
        TestData.Org org = data.org();
        teams.create(org.id(), "Platform", null, SETUP);
        teams.create(org.id(), "Data", null, SETUP);
        List<String> addresses = IntStream.range(0, 100).mapToObj(i -> TestData.uniqueEmail("bulk" + i)).toList();

        TestApi.Response response = invite(api, org, addresses, List.of("platform", "Data"), false);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("invited").asInt()).isEqualTo(100);
        JsonNode results = response.json().path("results");
        assertThat(results).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(results.get(i).path("email").asText()).isEqualTo(addresses.get(i));
            assertThat(results.get(i).path("result").asText()).isEqualTo("invited");
            assertThat(results.get(i).path("invitationId").asText()).isNotBlank();
        }

        List<TestMailbox.Mail> mails = TestMailbox.await(addresses, 100);
        assertThat(mails).hasSize(100);
        assertThat(mails).extracting(TestMailbox.Mail::to).containsExactlyInAnyOrderElementsOf(addresses);
        Set<String> tokens = new HashSet<>();
        for (TestMailbox.Mail mail : mails) {
            assertThat(mail.from()).isEqualTo("roster@localhost");
            assertThat(mail.subject()).contains(org.organization().name()).contains("Test admin");
            for (String body : List.of(mail.text(), mail.html())) {
                assertThat(body).contains(org.organization().name(), "Test admin", org.admin().email(), "Platform",
                        "Data", "/invitations/accept?token=inv_");
            }
            String token = token(mail);
            tokens.add(token);
            TestApi.Response preview = api.get(null, "/api/v1/public/invitations/" + token);
            assertThat(preview.status()).isEqualTo(200);
            assertThat(preview.json().path("email").asText()).isEqualTo(mail.to());
        }
        assertThat(tokens).hasSize(100);
    }

    @Test
    void answersOneResultPerAddressInOrder() {
        TestData.Org org = data.org();
        TestData.Person member = data.member(org, false);
        String invitedBefore = TestData.uniqueEmail("earlier");
        String earlierId = inviteOne(api, org, invitedBefore, List.of(), false);
        String fresh = TestData.uniqueEmail("fresh");

        TestApi.Response response = invite(api, org, List.of("not-an-address", fresh, member.email().toUpperCase(),
                invitedBefore, fresh.toUpperCase(), "  ", "two@@example.test"), List.of(), false);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode results = response.json().path("results");
        assertThat(results).extracting(r -> r.path("result").asText()).containsExactly("invalid_email", "invited",
                "already_member", "already_invited", "duplicate", "invalid_email", "invalid_email");
        assertThat(results.get(0).path("email").asText()).isEqualTo("not-an-address");
        assertThat(results.get(3).path("invitationId").asText()).isEqualTo(earlierId);
        assertThat(response.json().path("invited").asInt()).isEqualTo(1);
        assertThat(emails(api.get(org.admin().token(), org.api("/invitations?status=pending")).json()))
                .containsExactlyInAnyOrder(fresh, invitedBefore);
    }

    @Test
    void unknownTeamsRefuseTheWholeRequestAndCreateNothing() {
        TestData.Org org = data.org();
        teams.create(org.id(), "Platform", null, SETUP);
        List<String> addresses = List.of(TestData.uniqueEmail("a"), TestData.uniqueEmail("b"));

        TestApi.Response response = invite(api, org, addresses, List.of("Platform", "Ghosts", "Phantoms"), false);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("errors").path("teams").asText()).contains("ghosts", "phantoms")
                .doesNotContain("platform");
        assertThat(api.get(org.admin().token(), org.api("/invitations")).json().path("total").asInt()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mail_outbox WHERE recipient IN (:r)").param("r", addresses)
                .query(Long.class).single()).isZero();
        assertThat(audit(auditLog, org, "invitation.created", null)).isEmpty();
        assertThat(TestMailbox.receivedBy(addresses)).isEmpty();
    }

    @Test
    void inviteesCarryTheirOwnTeamsAndOneNamingAnUnknownTeamIsNotInvitedWhileTheOthersAre() {
        TestData.Org org = data.org();
        teams.create(org.id(), "Platform", null, SETUP);
        teams.create(org.id(), "Data", null, SETUP);
        teams.create(org.id(), "Support", null, SETUP);
        String ann = TestData.uniqueEmail("ann");
        String bob = TestData.uniqueEmail("bob");
        String cy = TestData.uniqueEmail("cy");

        TestApi.Response response = api.post(org.admin().token(), org.api("/invitations"), Map.of(
                "invitees", List.of(Map.of("email", ann, "teams", List.of("platform", "Data")), Map.of("email", bob),
                        Map.of("email", cy, "teams", List.of("Platform", "Ghosts"))),
                "teams", List.of("Support")));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode results = response.json().path("results");
        assertThat(results).extracting(r -> r.path("result").asText())
                .containsExactly("invited", "invited", "unknown_team");
        assertThat(results.get(0).path("teams")).extracting(JsonNode::asText).containsExactly("Platform", "Data");
        assertThat(results.get(1).path("teams")).extracting(JsonNode::asText).containsExactly("Support");
        assertThat(results.get(2).path("unknownTeams")).extracting(JsonNode::asText).containsExactly("Ghosts");
        assertThat(results.get(2).has("invitationId")).isFalse();
        assertThat(response.json().path("invited").asInt()).isEqualTo(2);
        JsonNode pending = api.get(org.admin().token(), org.api("/invitations?status=pending")).json();
        assertThat(emails(pending)).containsExactlyInAnyOrder(ann, bob);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mail_outbox WHERE recipient = ?").param(cy).query(Long.class)
                .single()).isZero();
    }

    @Test
    void capsTheAddressesPerRequest() {
        TestData.Org org = data.org();
        List<String> tooMany = IntStream.range(0, 1001).mapToObj(i -> "cap" + i + "@example.test").toList();

        TestApi.Response response = invite(api, org, tooMany, List.of(), false);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").path("emails").asText()).contains("1000");
        assertThat(api.get(org.admin().token(), org.api("/invitations")).json().path("total").asInt()).isZero();

        TestApi.Response empty = invite(api, org, List.of(), List.of(), false);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().path("errors").path("emails").asText()).isNotBlank();
    }

    @Test
    void invitationsExpireAfterSevenDays() {
        TestData.Org org = data.org();
        String email = TestData.uniqueEmail("late");
        String id = inviteOne(api, org, email, List.of(), false);
        String token = token(email, 1);

        clock.advance(Duration.ofDays(7).minusMinutes(1));
        assertThat(api.get(org.admin().token(), org.api("/invitations/" + id)).json().path("status").asText())
                .isEqualTo("pending");
        assertThat(api.get(null, "/api/v1/public/invitations/" + token).status()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(2));
        JsonNode invitation = api.get(org.admin().token(), org.api("/invitations/" + id)).json();
        assertThat(invitation.path("status").asText()).isEqualTo("expired");
        assertThat(emails(api.get(org.admin().token(), org.api("/invitations?status=expired")).json()))
                .containsExactly(email);
        assertThat(emails(api.get(org.admin().token(), org.api("/invitations?status=pending")).json())).isEmpty();
        TestApi.Response preview = api.get(null, "/api/v1/public/invitations/" + token);
        assertThat(preview.status()).isEqualTo(410);
        assertThat(preview.json().path("type").asText()).isEqualTo("urn:roster:problem:invitation-expired");
        assertThat(preview.json().path("detail").asText()).contains("expired");
        TestApi.Response accept = api.post(null, "/api/v1/public/invitations/accept",
                Map.of("token", token, "displayName", "Late Person", "password", TestData.PASSWORD));
        assertThat(accept.status()).isEqualTo(410);

        // Inviting the address again replaces the expired invitation.
        TestApi.Response again = invite(api, org, List.of(email), List.of(), false);
        assertThat(again.json().path("results").get(0).path("result").asText()).isEqualTo("invited");
        String newId = again.json().path("results").get(0).path("invitationId").asText();
        assertThat(newId).isNotEqualTo(id);
        assertThat(api.get(org.admin().token(), org.api("/invitations/" + id)).json().path("status").asText())
                .isEqualTo("expired");
        assertThat(api.get(null, "/api/v1/public/invitations/" + token(email, 2)).status()).isEqualTo(200);
    }

    @Test
    void resendIssuesANewLinkAndKillsTheOldOne() {
        TestData.Org org = data.org();
        String email = TestData.uniqueEmail("resend");
        String id = inviteOne(api, org, email, List.of(), false);
        String oldToken = token(email, 1);
        Instant firstExpiry = Instant.parse(api.get(org.admin().token(), org.api("/invitations/" + id)).json()
                .path("expiresAt").asText());

        clock.advance(Duration.ofDays(3));
        TestApi.Response resent = api.post(org.admin().token(), org.api("/invitations/" + id + "/resend"), null);

        assertThat(resent.status()).as(resent.body()).isEqualTo(200);
        assertThat(resent.json().path("status").asText()).isEqualTo("pending");
        assertThat(Instant.parse(resent.json().path("expiresAt").asText()))
                .isAfter(firstExpiry.plus(Duration.ofDays(2)));
        String newToken = token(email, 2);
        assertThat(newToken).isNotEqualTo(oldToken);
        assertThat(TestMailbox.await(email, 2).get(1).text()).contains("new link");
        assertThat(api.get(null, "/api/v1/public/invitations/" + oldToken).status()).isIn(404, 410);
        assertThat(api.post(null, "/api/v1/public/invitations/accept", Map.of("token", oldToken, "displayName",
                "Old Link", "password", TestData.PASSWORD)).status()).isIn(404, 410);
        assertThat(api.get(null, "/api/v1/public/invitations/" + newToken).status()).isEqualTo(200);
        assertThat(audit(auditLog, org, "invitation.resent", id)).hasSize(1);
    }

    @Test
    void resendRevivesAnExpiredInvitation() {
        TestData.Org org = data.org();
        String email = TestData.uniqueEmail("revive");
        String id = inviteOne(api, org, email, List.of(), false);
        token(email, 1);
        clock.advance(Duration.ofDays(8));

        TestApi.Response resent = api.post(org.admin().token(), org.api("/invitations/" + id + "/resend"), null);

        assertThat(resent.status()).isEqualTo(200);
        assertThat(resent.json().path("status").asText()).isEqualTo("pending");
        assertThat(Instant.parse(resent.json().path("expiresAt").asText()))
                .isAfter(clock.instant().plus(Duration.ofDays(7).minusMinutes(1)));
        assertThat(api.get(null, "/api/v1/public/invitations/" + token(email, 2)).status()).isEqualTo(200);
    }

    @Test
    void revokedAndAcceptedInvitationsCannotBeResent() {
        TestData.Org org = data.org();
        String revokedEmail = TestData.uniqueEmail("revoked");
        String revoked = inviteOne(api, org, revokedEmail, List.of(), false);
        api.post(org.admin().token(), org.api("/invitations/" + revoked + "/revoke"), null);
        String acceptedEmail = TestData.uniqueEmail("accepted");
        String accepted = inviteOne(api, org, acceptedEmail, List.of(), false);
        api.post(null, "/api/v1/public/invitations/accept", Map.of("token", token(acceptedEmail, 1),
                "displayName", "Accepted Person", "password", TestData.PASSWORD));

        TestApi.Response resendRevoked = api.post(org.admin().token(), org.api("/invitations/" + revoked + "/resend"), null);
        TestApi.Response resendAccepted = api.post(org.admin().token(), org.api("/invitations/" + accepted + "/resend"), null);

        assertThat(resendRevoked.status()).isEqualTo(409);
        assertThat(resendRevoked.json().path("type").asText()).isEqualTo("urn:roster:problem:invitation-revoked");
        assertThat(resendAccepted.status()).isEqualTo(409);
        assertThat(resendAccepted.json().path("type").asText()).isEqualTo("urn:roster:problem:invitation-accepted");
    }

    @Test
    void revokeEndsAPendingInvitation() {
        TestData.Org org = data.org();
        String email = TestData.uniqueEmail("revoke");
        String id = inviteOne(api, org, email, List.of(), false);
        String token = token(email, 1);

        TestApi.Response revoked = api.post(org.admin().token(), org.api("/invitations/" + id + "/revoke"), null);

        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().path("status").asText()).isEqualTo("revoked");
        assertThat(revoked.json().path("closedAt").asText()).isNotBlank();
        TestApi.Response preview = api.get(null, "/api/v1/public/invitations/" + token);
        assertThat(preview.status()).isEqualTo(410);
        assertThat(preview.json().path("type").asText()).isEqualTo("urn:roster:problem:invitation-revoked");
        assertThat(api.post(org.admin().token(), org.api("/invitations/" + id + "/revoke"), null).status())
                .isEqualTo(409);
        assertThat(emails(api.get(org.admin().token(), org.api("/invitations?status=revoked")).json()))
                .containsExactly(email);
        assertThat(audit(auditLog, org, "invitation.revoked", id)).hasSize(1);
        // The address is free to be invited again.
        assertThat(invite(api, org, List.of(email), List.of(), false).json().path("results").get(0).path("result")
                .asText()).isEqualTo("invited");
    }

    @Test
    void expiredInvitationsCannotBeRevoked() {
        TestData.Org org = data.org();
        String id = inviteOne(api, org, TestData.uniqueEmail("gone"), List.of(), false);
        clock.advance(Duration.ofDays(8));

        TestApi.Response revoke = api.post(org.admin().token(), org.api("/invitations/" + id + "/revoke"), null);

        assertThat(revoke.status()).isEqualTo(409);
        assertThat(revoke.json().path("detail").asText()).contains("expired");
    }

    @Test
    void clearExpiredDeletesOnlyExpiredInvitations() {
        TestData.Org org = data.org();
        String oldEmail = TestData.uniqueEmail("old");
        String oldId = inviteOne(api, org, oldEmail, List.of(), false);
        String revokedId = inviteOne(api, org, TestData.uniqueEmail("revoked"), List.of(), false);
        api.post(org.admin().token(), org.api("/invitations/" + revokedId + "/revoke"), null);
        TestData.Org other = data.org();
        String othersOld = inviteOne(api, other, TestData.uniqueEmail("elsewhere"), List.of(), false);
        clock.advance(Duration.ofDays(8));
        String currentEmail = TestData.uniqueEmail("current");
        String currentId = inviteOne(api, org, currentEmail, List.of(), false);

        assertThat(api.delete(org.admin().token(), org.api("/invitations")).status()).isEqualTo(400);
        assertThat(api.delete(org.admin().token(), org.api("/invitations?status=pending")).status()).isEqualTo(400);
        TestApi.Response cleared = api.delete(org.admin().token(), org.api("/invitations?status=expired"));

        assertThat(cleared.status()).as(cleared.body()).isEqualTo(200);
        assertThat(cleared.json().path("deleted").asInt()).isEqualTo(1);
        assertThat(api.get(org.admin().token(), org.api("/invitations/" + oldId)).status()).isEqualTo(404);
        assertThat(api.get(org.admin().token(), org.api("/invitations/" + revokedId)).status()).isEqualTo(200);
        assertThat(api.get(org.admin().token(), org.api("/invitations/" + currentId)).json().path("status").asText())
                .isEqualTo("pending");
        assertThat(api.get(other.admin().token(), other.api("/invitations/" + othersOld)).json().path("status")
                .asText()).isEqualTo("expired");
        assertThat(audit(auditLog, org, "invitation.cleared", oldId)).singleElement()
                .satisfies(event -> assertThat(event.targetLabel()).isEqualTo(oldEmail));
        assertThat(invite(api, org, List.of(oldEmail), List.of(), false).json().path("results").get(0)
                .path("result").asText()).isEqualTo("invited");
    }

    @Test
    void listsPageByPageAndFiltersByStatus() {
        TestData.Org org = data.org();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            addresses.add(TestData.uniqueEmail("page" + i));
        }
        invite(api, org, addresses, List.of(), true);

        TestApi.Response first = api.get(org.admin().token(), org.api("/invitations?status=pending&page=0&size=2"));
        TestApi.Response last = api.get(org.admin().token(), org.api("/invitations?page=2&size=2"));

        assertThat(first.json().path("total").asInt()).isEqualTo(5);
        assertThat(first.json().path("items")).hasSize(2);
        assertThat(first.json().path("items").get(0).path("admin").asBoolean()).isTrue();
        assertThat(first.json().path("items").get(0).path("invitedBy").path("email").asText())
                .isEqualTo(org.admin().email());
        assertThat(last.json().path("items")).hasSize(1);
        TestApi.Response bad = api.get(org.admin().token(), org.api("/invitations?status=sideways"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errors").path("status").asText()).contains("pending");
    }

    @Test
    void nonAdminMembersGetForbiddenOnEveryAdminEndpoint() {
        TestData.Org org = data.org();
        String id = inviteOne(api, org, TestData.uniqueEmail("x"), List.of(), false);
        TestData.Person member = data.member(org, false);
        String token = member.token();

        assertThat(api.get(token, org.api("/invitations")).status()).isEqualTo(403);
        assertThat(api.get(token, org.api("/invitations/" + id)).status()).isEqualTo(403);
        assertThat(api.post(token, org.api("/invitations"), Map.of("emails", List.of(TestData.uniqueEmail("y"))))
                .status()).isEqualTo(403);
        assertThat(api.post(token, org.api("/invitations/" + id + "/resend"), null).status()).isEqualTo(403);
        assertThat(api.post(token, org.api("/invitations/" + id + "/revoke"), null).status()).isEqualTo(403);
        assertThat(api.delete(token, org.api("/invitations?status=expired")).status()).isEqualTo(403);
        assertThat(api.get(org.admin().token(), org.api("/invitations/" + id)).json().path("status").asText())
                .isEqualTo("pending");
        assertThat(api.get(null, org.api("/invitations")).status()).isEqualTo(401);
    }

    @Test
    void anotherOrganizationsAdminCannotReachItsInvitations() {
        TestData.Org org = data.org();
        String id = inviteOne(api, org, TestData.uniqueEmail("mine"), List.of(), false);
        TestData.Org other = data.org();
        String intruder = other.admin().token();

        assertThat(api.get(intruder, other.api("/invitations/" + id)).status()).isEqualTo(404);
        assertThat(api.post(intruder, other.api("/invitations/" + id + "/resend"), null).status()).isEqualTo(404);
        assertThat(api.post(intruder, other.api("/invitations/" + id + "/revoke"), null).status()).isEqualTo(404);
        assertThat(api.get(intruder, org.api("/invitations/" + id)).status()).isEqualTo(404);
        assertThat(api.get(intruder, org.api("/invitations")).status()).isEqualTo(404);
        assertThat(emails(api.get(intruder, other.api("/invitations")).json())).isEmpty();
        assertThat(api.get(org.admin().token(), org.api("/invitations/" + id)).json().path("status").asText())
                .isEqualTo("pending");
        assertThat(api.get(org.admin().token(), org.api("/invitations/not-a-uuid")).status()).isEqualTo(404);
    }

    @Test
    void deletingATeamReportsThePendingInvitationsThatNameIt() {
        TestData.Org org = data.org();
        Team team = teams.create(org.id(), "Doomed", null, SETUP);
        String email = TestData.uniqueEmail("doomed");
        String id = inviteOne(api, org, email, List.of("Doomed"), false);

        assertThat(teams.deletionImpact(org.id(), team.id()).effects()).singleElement().asString()
                .contains("1 pending invitation");
        teams.delete(org.id(), team.id(), SETUP);

        JsonNode invitation = api.get(org.admin().token(), org.api("/invitations/" + id)).json();
        assertThat(invitation.path("status").asText()).isEqualTo("pending");
        assertThat(invitation.path("teams")).isEmpty();
    }

    @Test
    void everyChangeIsAudited() {
        TestData.Org org = data.org();
        teams.create(org.id(), "Audited", null, SETUP);
        String email = TestData.uniqueEmail("audited");
        String id = inviteOne(api, org, email, List.of("Audited"), true);

        assertThat(audit(auditLog, org, "invitation.created", id)).singleElement().satisfies(event -> {
            assertThat(event.actorAccountId()).isEqualTo(org.admin().id());
            assertThat(event.channel()).hasToString("API");
            assertThat(event.targetLabel()).isEqualTo(email);
            assertThat(event.after().path("teams").get(0).asText()).isEqualTo("Audited");
            assertThat(event.after().path("admin").asBoolean()).isTrue();
        });
    }

    @Test
    void invitationLinksAreLoggedWhenConfigured(CapturedOutput output) {
        TestData.Org org = data.org();
        String email = TestData.uniqueEmail("logged");
        inviteOne(api, org, email, List.of(), false);

        assertThat(output.getOut()).contains("Invitation link for " + email + " to join " + org.slug() + ": "
                + "http://localhost:8080/invitations/accept?token=" + token(email, 1));
    }
}
