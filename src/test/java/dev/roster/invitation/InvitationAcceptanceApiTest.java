package dev.roster.invitation;

import static dev.roster.invitation.InvitationFixtures.audit;
import static dev.roster.invitation.InvitationFixtures.inviteOne;
import static dev.roster.invitation.InvitationFixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.account.AccountService;
import dev.roster.audit.AuditEvent;
import dev.roster.audit.AuditLog;
import dev.roster.membership.GrantSource;
import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.TeamGrant;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;

/** The invited person's side through the API: preview, accept with a new account, accept as an existing one. */
@RosterIntegrationTest
class InvitationAcceptanceApiTest {

    private static final Actor SETUP = Actor.system("test setup");
    private static final Actor SCIM = Actor.directory("test scim", Channel.SCIM);

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    TeamService teams;
    @Autowired
    MemberReads members;
    @Autowired
    AccountService accounts;
    @Autowired
    AuditLog auditLog;
    @Autowired
    MembershipService memberships;

    @Test
    void previewShowsWhatTheInvitationOffers() {
        TestData.Org org = data.org();
        teams.create(org.id(), "Platform", null, SETUP);
        String email = TestData.uniqueEmail("preview");
        inviteOne(api, org, email, List.of("Platform"), true);

        TestApi.Response preview = api.get(null, "/api/v1/public/invitations/" + token(email, 1));

        assertThat(preview.status()).isEqualTo(200);
        JsonNode json = preview.json();
        assertThat(json.path("organizationName").asText()).isEqualTo(org.organization().name());
        assertThat(json.path("inviterName").asText()).isEqualTo("Test admin");
        assertThat(json.path("inviterEmail").asText()).isEqualTo(org.admin().email());
        assertThat(json.path("email").asText()).isEqualTo(email);
        assertThat(json.path("teams")).extracting(JsonNode::asText).containsExactly("Platform");
        assertThat(json.path("admin").asBoolean()).isTrue();
        assertThat(json.path("status").asText()).isEqualTo("pending");
        assertThat(json.path("accountExists").asBoolean()).isFalse();

        TestApi.Response unknown = api.get(null, "/api/v1/public/invitations/inv_nothing-like-a-real-token");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.json().path("detail").asText()).contains("not valid");
    }

    @Test
    void acceptingCreatesTheAccountAndTheMemberWithTheInvitationsTeamsAndAdminFlag() {
        TestData.Org org = data.org();
        teams.create(org.id(), "Platform", null, SETUP);
        teams.create(org.id(), "Data", null, SETUP);
        String email = TestData.uniqueEmail("newcomer");
        String id = inviteOne(api, org, email, List.of("Platform", "Data"), true);

        TestApi.Response accepted = api.post(null, "/api/v1/public/invitations/accept",
                Map.of("token", token(email, 1), "displayName", "New Comer", "password", TestData.PASSWORD));

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.json().path("organizationSlug").asText()).isEqualTo(org.slug());
        UUID accountId = UUID.fromString(accepted.json().path("accountId").asText());
        assertThat(accounts.get(accountId).displayName()).isEqualTo("New Comer");
        assertThat(accounts.passwordMatches(accountId, TestData.PASSWORD)).isTrue();
        Member member = members.member(org.id(), UUID.fromString(accepted.json().path("membershipId").asText()))
                .orElseThrow();
        assertThat(member.accountId()).isEqualTo(accountId);
        assertThat(member.email()).isEqualTo(email);
        assertThat(member.admin()).isTrue();
        assertThat(member.status()).isEqualTo(MembershipStatus.ACTIVE);
        assertThat(member.source()).isEqualTo(MembershipSource.INVITATION);
        assertThat(member.teams()).extracting(TeamGrant::teamName).containsExactlyInAnyOrder("Platform", "Data");
        assertThat(member.teams()).allSatisfy(grant -> assertThat(grant.sources()).containsExactly(GrantSource.MANUAL));

        JsonNode invitation = api.get(org.admin().token(), org.api("/invitations/" + id)).json();
        assertThat(invitation.path("status").asText()).isEqualTo("accepted");
        assertThat(invitation.path("acceptedAccountId").asText()).isEqualTo(accountId.toString());
        assertThat(invitation.path("closedAt").asText()).isNotBlank();
        assertThat(audit(auditLog, org, "invitation.accepted", id)).singleElement()
                .satisfies(event -> assertThat(event.channel()).hasToString("INVITATION"));

        TestMailbox.Mail notice = TestMailbox.await(org.admin().email(), 1).get(0);
        assertThat(notice.subject()).contains("New Comer", org.organization().name());
        assertThat(notice.text()).contains(email, "Platform", "Data", "admin");
    }

    @Test
    void aLinkWorksOnce() {
        TestData.Org org = data.org();
        String email = TestData.uniqueEmail("once");
        inviteOne(api, org, email, List.of(), false);
        String token = token(email, 1);
        Map<String, String> body = Map.of("token", token, "displayName", "Once Only", "password", TestData.PASSWORD);

        assertThat(api.post(null, "/api/v1/public/invitations/accept", body).status()).isEqualTo(200);
        TestApi.Response again = api.post(null, "/api/v1/public/invitations/accept", body);

        assertThat(again.status()).isEqualTo(410);
        assertThat(again.json().path("type").asText()).isEqualTo("urn:roster:problem:invitation-used");
        TestApi.Response preview = api.get(null, "/api/v1/public/invitations/" + token);
        assertThat(preview.status()).isEqualTo(410);
        assertThat(preview.json().path("detail").asText()).contains("already been used");
    }

    @Test
    void badAccountDetailsCreateNothing() {
        TestData.Org org = data.org();
        String email = TestData.uniqueEmail("weak");
        inviteOne(api, org, email, List.of(), false);
        String token = token(email, 1);

        TestApi.Response weak = api.post(null, "/api/v1/public/invitations/accept",
                Map.of("token", token, "displayName", "Weak Password", "password", "short"));
        TestApi.Response nameless = api.post(null, "/api/v1/public/invitations/accept",
                Map.of("token", token, "displayName", " ", "password", TestData.PASSWORD));
        TestApi.Response tokenless = api.post(null, "/api/v1/public/invitations/accept",
                Map.of("displayName", "No Token", "password", TestData.PASSWORD));

        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.json().path("errors").path("password").asText()).contains("10");
        assertThat(nameless.status()).isEqualTo(400);
        assertThat(nameless.json().path("errors").path("displayName").asText()).isNotBlank();
        assertThat(tokenless.status()).isEqualTo(400);
        assertThat(tokenless.json().path("errors").has("token")).isTrue();
        assertThat(accounts.findByEmail(email)).isEmpty();
        assertThat(api.get(null, "/api/v1/public/invitations/" + token).status()).isEqualTo(200);
    }

    @Test
    void anExistingAccountAcceptsSignedInAsItself() {
        TestData.Org org = data.org();
        teams.create(org.id(), "Platform", null, SETUP);
        TestData.Person invitee = data.person("existing");
        TestData.Person someoneElse = data.person("else");
        String id = inviteOne(api, org, invitee.email().toUpperCase(), List.of("Platform"), false);
        String token = token(invitee.email(), 1);
        assertThat(api.get(null, "/api/v1/public/invitations/" + token).json().path("accountExists").asBoolean())
                .isTrue();

        TestApi.Response anonymous = api.post(null, "/api/v1/public/invitations/accept",
                Map.of("token", token, "displayName", "Impostor", "password", TestData.PASSWORD));
        assertThat(anonymous.status()).isEqualTo(409);
        assertThat(anonymous.json().path("type").asText()).isEqualTo("urn:roster:problem:account-exists");
        assertThat(api.post(null, "/api/v1/invitations/accept", Map.of("token", token)).status()).isEqualTo(401);

        TestApi.Response wrongAccount = api.post(someoneElse.token(), "/api/v1/invitations/accept",
                Map.of("token", token));
        assertThat(wrongAccount.status()).isEqualTo(403);
        assertThat(wrongAccount.json().path("detail").asText()).contains(invitee.email().toUpperCase(),
                someoneElse.email());
        assertThat(members.findByAccount(org.id(), someoneElse.id())).isEmpty();

        TestApi.Response accepted = api.post(invitee.token(), "/api/v1/invitations/accept", Map.of("token", token));

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.json().path("accountId").asText()).isEqualTo(invitee.id().toString());
        Member member = members.member(org.id(), members.findByAccount(org.id(), invitee.id()).orElseThrow().id())
                .orElseThrow();
        assertThat(member.admin()).isFalse();
        assertThat(member.teams()).extracting(TeamGrant::teamName).containsExactly("Platform");
        assertThat(api.get(org.admin().token(), org.api("/invitations/" + id)).json().path("status").asText())
                .isEqualTo("accepted");
        assertThat(api.get(invitee.token(), org.api("/invitations")).status()).isEqualTo(403);
    }

    /**
     * Someone a directory makes an admin joins another way meanwhile, then accepts an invitation to be an admin: the
     * admin's grant by hand it adds keeps them an admin once the identity provider stops granting it, so the log says
     * it was added, by whom (the invitee, accepting) and from which source, as when an admin adds it on the member's
     * page. The flag itself did not change: no second member.admin-granted.
     */
    @Test
    void anAdminInvitationAcceptedByADirectorysAdminRecordsTheGrantItAdds() {
        TestData.Org org = data.org();
        TestData.Person invitee = data.person("ida");
        inviteOne(api, org, invitee.email(), List.of(), true);
        Membership ida = memberships.join(org.id(), invitee.id(), new MembershipService.Join(false,
                MembershipSource.SCIM, Set.of(), GrantSource.SCIM), SCIM);
        memberships.grantAdmin(org.id(), ida.id(), GrantSource.SCIM, SCIM);

        TestApi.Response accepted = api.post(invitee.token(), "/api/v1/invitations/accept",
                Map.of("token", token(invitee.email(), 1)));

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(members.member(org.id(), ida.id()).orElseThrow().adminSources())
                .containsExactlyInAnyOrder(GrantSource.MANUAL, GrantSource.SCIM);
        List<AuditEvent> added = audit(auditLog, org, "member.admin-grant-added", ida.id().toString());
        assertThat(added).hasSize(1);
        AuditEvent entry = added.get(0);
        assertThat(entry.actorAccountId()).isEqualTo(invitee.id());
        assertThat(entry.channel()).isEqualTo(Channel.INVITATION);
        assertThat(entry.before().path("adminSources").toString()).isEqualTo("[\"SCIM\"]");
        assertThat(entry.after().path("adminSource").asText()).isEqualTo("MANUAL");
        assertThat(entry.after().path("adminSources").toString()).isEqualTo("[\"MANUAL\",\"SCIM\"]");
        assertThat(audit(auditLog, org, "member.admin-granted", ida.id().toString()))
                .singleElement().satisfies(granted -> assertThat(granted.channel()).isEqualTo(Channel.SCIM));
    }

    /**
     * An acceptance by someone already a member records what it changed and nothing else: a member it makes an admin
     * has the flag's change on record, as before; an admin by hand accepting to be an admin, and a directory's admin
     * accepting an invitation that makes nobody an admin, gain no grant, and nothing about the role is written.
     */
    @Test
    void anInvitationAcceptedByAMemberRecordsOnlyWhatItChangesOfTheAdminRole() {
        TestData.Org org = data.org();
        TestData.Person member = data.person("member");
        TestData.Person byHand = data.person("byhand");
        TestData.Person byScim = data.person("byscim");
        inviteOne(api, org, member.email(), List.of(), true);
        inviteOne(api, org, byHand.email(), List.of(), true);
        inviteOne(api, org, byScim.email(), List.of(), false);
        Membership memberMembership = memberships.join(org.id(), member.id(),
                MembershipService.Join.of(MembershipSource.SSO), SETUP);
        Membership byHandMembership = memberships.join(org.id(), byHand.id(),
                MembershipService.Join.of(MembershipSource.SSO), SETUP);
        memberships.setAdmin(org.id(), byHandMembership.id(), true, SETUP);
        Membership byScimMembership = memberships.join(org.id(), byScim.id(), new MembershipService.Join(false,
                MembershipSource.SCIM, Set.of(), GrantSource.SCIM), SCIM);
        memberships.grantAdmin(org.id(), byScimMembership.id(), GrantSource.SCIM, SCIM);

        for (TestData.Person person : List.of(member, byHand, byScim)) {
            TestApi.Response accepted = api.post(person.token(), "/api/v1/invitations/accept",
                    Map.of("token", token(person.email(), 1)));
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        }

        assertThat(audit(auditLog, org, "member.admin-granted", memberMembership.id().toString()))
                .singleElement().satisfies(granted -> {
                    assertThat(granted.actorAccountId()).isEqualTo(member.id());
                    assertThat(granted.channel()).isEqualTo(Channel.INVITATION);
                    assertThat(granted.before().path("admin").asBoolean()).isFalse();
                    assertThat(granted.after().path("admin").asBoolean()).isTrue();
                });
        assertThat(members.member(org.id(), memberMembership.id()).orElseThrow().adminSources())
                .containsExactly(GrantSource.MANUAL);
        assertThat(members.member(org.id(), byHandMembership.id()).orElseThrow().adminSources())
                .containsExactly(GrantSource.MANUAL);
        assertThat(members.member(org.id(), byScimMembership.id()).orElseThrow().adminSources())
                .containsExactly(GrantSource.SCIM);
        for (Membership unchanged : List.of(byHandMembership, byScimMembership)) {
            assertThat(audit(auditLog, org, "member.admin-granted", unchanged.id().toString())).hasSize(1);
        }
        assertThat(audit(auditLog, org, "member.admin-grant-added", null)).isEmpty();
    }
}
