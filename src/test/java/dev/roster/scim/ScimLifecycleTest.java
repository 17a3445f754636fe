package dev.roster.scim;

import static dev.roster.scim.ScimTestClient.op;
import static dev.roster.scim.ScimTestClient.patch;
import static dev.roster.scim.ScimTestClient.userBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.roster.account.AccountService;
import dev.roster.membership.GrantSource;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.Team;
import dev.roster.membership.TeamGrant;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.ConflictException;
import dev.roster.shared.SecretToken;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * Users become members: linked by email to the existing account (or a new one), suspended by active=false with their
 * teams kept, restored by active=true, removed by DELETE, and never let back in through SSO while SCIM suspends them.
 */
@RosterIntegrationTest
class ScimLifecycleTest {

    private static final Actor SETUP = Actor.system("test setup");

    @Autowired
    TestApi api;

    @Autowired
    TestData data;

    @Autowired
    MemberReads members;

    @Autowired
    MembershipService memberships;

    @Autowired
    TeamService teams;

    @Autowired
    AccountService accounts;

    @Autowired
    JdbcClient jdbc;

    @Test
    void suspensionEndsApiAccessOnTheNextRequestAndReactivationRestoresItWithTheTeams() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        TestData.Person person = data.member(scim.org, true);
        String directoryPath = scim.org.api("/scim-directories");
        assertThat(api.get(person.token(), directoryPath).status()).isEqualTo(200);
        Team team = teams.create(scim.org.id(), TestData.unique("Engineering"), null, SETUP);
        // Matched by email, case-insensitively: the existing membership is linked, not duplicated.
        String userId = scim.createUser(person.email().toUpperCase());
        String groupId = scim.createGroup(TestData.unique("Engineers"), userId);
        mapGroup(scim, "id", groupId, List.of(team.name()), false);
        Membership membership = members.findByAccount(scim.org.id(), person.id()).orElseThrow();
        assertThat(teamSources(scim.org.id(), membership.id(), team.id())).containsExactly(GrantSource.SCIM);

        assertThat(scim.patch("/Users/" + userId, patch(op("Replace", "active", "False"))).status()).isEqualTo(200);
        assertThat(members.find(scim.org.id(), membership.id()).orElseThrow().status())
                .isEqualTo(MembershipStatus.SUSPENDED);
        assertThat(api.get(person.token(), directoryPath).status()).isEqualTo(403);
        assertThat(teamSources(scim.org.id(), membership.id(), team.id())).containsExactly(GrantSource.SCIM);
        // Inactive users are still returned until deleted.
        assertThat(scim.get("/Users/" + userId).json().get("active").asBoolean()).isFalse();

        assertThat(scim.patch("/Users/" + userId, patch(op("replace", null, Map.of("active", true)))).status())
                .isEqualTo(200);
        assertThat(api.get(person.token(), directoryPath).status()).isEqualTo(200);
        assertThat(teamSources(scim.org.id(), membership.id(), team.id())).containsExactly(GrantSource.SCIM);

        assertThat(scim.delete("/Users/" + userId).status()).isEqualTo(204);
        assertThat(members.find(scim.org.id(), membership.id()).orElseThrow().status())
                .isEqualTo(MembershipStatus.REMOVED);
        assertThat(members.teams(scim.org.id(), membership.id())).isEmpty();
        assertThat(api.get(person.token(), directoryPath).status()).isEqualTo(403);
    }

    @Test
    void aMemberSuspendedBySCIMCannotComeBackThroughSSO() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        TestData.Person person = data.member(scim.org, false);
        String userId = scim.createUser(person.email());
        scim.patch("/Users/" + userId, patch(op("replace", "active", false)));
        assertThatThrownBy(() -> memberships.join(scim.org.id(), person.id(),
                MembershipService.Join.of(MembershipSource.SSO), Actor.directory("SSO", Channel.SSO)))
                .isInstanceOf(ConflictException.class);
        assertThat(members.findByAccount(scim.org.id(), person.id()).orElseThrow().status())
                .isEqualTo(MembershipStatus.SUSPENDED);
    }

    @Test
    void onDeactivateRemoveEndsTheMembershipAndActivationBringsItBackWithMappedTeams() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        assertThat(api.put(scim.org.admin().token(), scim.org.api("/scim-settings"), Map.of("onDeactivate", "remove"))
                .json().get("onDeactivate").asText()).isEqualTo("remove");
        Team team = teams.create(scim.org.id(), TestData.unique("Support"), null, SETUP);
        String email = TestData.uniqueEmail("leaver");
        String userId = scim.createUser(email);
        String groupId = scim.createGroup(TestData.unique("Support staff"), userId);
        mapGroup(scim, "displayName", scim.get("/Groups/" + groupId).json().get("displayName").asText(),
                List.of(team.id().toString()), false);
        UUID accountId = accounts.findByEmail(email).orElseThrow().id();
        Membership membership = members.findByAccount(scim.org.id(), accountId).orElseThrow();
        assertThat(membership.source()).isEqualTo(MembershipSource.SCIM);
        assertThat(teamSources(scim.org.id(), membership.id(), team.id())).containsExactly(GrantSource.SCIM);

        scim.patch("/Users/" + userId, patch(op("replace", "active", false)));
        assertThat(members.find(scim.org.id(), membership.id()).orElseThrow().status())
                .isEqualTo(MembershipStatus.REMOVED);
        assertThat(members.teams(scim.org.id(), membership.id())).isEmpty();

        scim.patch("/Users/" + userId, patch(op("replace", "active", true)));
        assertThat(members.find(scim.org.id(), membership.id()).orElseThrow().status())
                .isEqualTo(MembershipStatus.ACTIVE);
        assertThat(teamSources(scim.org.id(), membership.id(), team.id())).containsExactly(GrantSource.SCIM);
    }

    @Test
    void theLastAdminIsNotSuspendedAndTheIdpIsToldWhyWith409() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        String userId = scim.createUser(scim.org.admin().email());
        ScimTestClient.Response refused = scim.patch("/Users/" + userId, patch(op("replace", "active", false)));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("status").asText()).isEqualTo("409");
        assertThat(refused.json().get("detail").asText()).contains("last admin");
        assertThat(members.findByAccount(scim.org.id(), scim.org.admin().id()).orElseThrow().status())
                .isEqualTo(MembershipStatus.ACTIVE);
        assertThat(scim.get("/Users/" + userId).json().get("active").asBoolean()).isTrue();
        assertThat(scim.delete("/Users/" + userId).status()).isEqualTo(409);
    }

    @Test
    void anAdminsSuspensionIsNotUndoneByTheDirectory() {
        ScimTestClient scim = ScimTestClient.create(api, data, "generic");
        TestData.Person person = data.member(scim.org, false);
        String userId = scim.createUser(person.email());
        Membership membership = members.findByAccount(scim.org.id(), person.id()).orElseThrow();
        memberships.suspend(scim.org.id(), membership.id(),
                Actor.account(scim.org.admin().id(), scim.org.admin().email(), Channel.API));
        scim.put("/Users/" + userId, userBody(person.email(), person.email()));
        assertThat(members.find(scim.org.id(), membership.id()).orElseThrow().status())
                .isEqualTo(MembershipStatus.SUSPENDED);
    }

    @Test
    void aPendingInvitationIsAcceptedWithItsTeamsAndANewAccountIsCreatedForAnUnknownAddress() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        Team invitedTeam = teams.create(scim.org.id(), TestData.unique("Invited"), null, SETUP);
        String email = TestData.uniqueEmail("invitee");
        UUID invitationId = invite(scim.org.id(), email, invitedTeam.id());

        String userId = scim.createUser(email.toUpperCase());
        var account = accounts.findByEmail(email).orElseThrow();
        assertThat(account.hasPassword()).isFalse();
        Membership membership = members.findByAccount(scim.org.id(), account.id()).orElseThrow();
        assertThat(membership.source()).isEqualTo(MembershipSource.SCIM);
        assertThat(teamSources(scim.org.id(), membership.id(), invitedTeam.id())).containsExactly(GrantSource.MANUAL);
        Map<String, Object> invitation = jdbc.sql("SELECT status, pending_email, accepted_account_id FROM invitation WHERE id = ?")
                .param(invitationId).query().singleRow();
        assertThat(invitation.get("status")).isEqualTo("ACCEPTED");
        assertThat(invitation.get("pending_email")).isNull();
        assertThat(invitation.get("accepted_account_id")).isEqualTo(account.id());
        // Creating the same person again is a duplicate, not a second account or membership.
        assertThat(scim.post("/Users", userBody(email, email)).status()).isEqualTo(409);
        assertThat(scim.get("/Users/" + userId).status()).isEqualTo(200);
    }

    @Test
    void aUserWithoutAnEmailIsKeptAndBecomesAMemberWhenTheDirectoryAddsOne() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        ScimTestClient.Response created = scim.post("/Users", userBody("no-mail-" + UUID.randomUUID(), null));
        assertThat(created.status()).isEqualTo(201);
        String email = TestData.uniqueEmail("late");
        scim.patch("/Users/" + created.id(), patch(op("Replace", "emails[type eq \"work\"].value", email)));
        var account = accounts.findByEmail(email).orElseThrow();
        assertThat(members.findByAccount(scim.org.id(), account.id()).orElseThrow().isActive()).isTrue();
    }

    private UUID invite(UUID organizationId, String email, UUID teamId) {
        UUID id = UUID.randomUUID();
        SecretToken.Issued token = SecretToken.issue("inv_");
        Instant now = Instant.now();
        jdbc.sql("""
                INSERT INTO invitation (id, organization_id, email, email_normalized, pending_email, admin, status,
                                        token_lookup, token_hash, created_at, sent_at, expires_at)
                VALUES (?, ?, ?, ?, ?, FALSE, 'PENDING', ?, ?, ?, ?, ?)""")
                .params(id, organizationId, email, email.toLowerCase(), email.toLowerCase(), token.lookup(),
                        token.hash(), Timestamp.from(now), Timestamp.from(now),
                        Timestamp.from(now.plus(Duration.ofDays(7))))
                .update();
        jdbc.sql("INSERT INTO invitation_team (invitation_id, organization_id, team_id) VALUES (?, ?, ?)")
                .params(id, organizationId, teamId).update();
        return id;
    }

    private void mapGroup(ScimTestClient scim, String by, String value, List<String> teamNames, boolean admin) {
        TestApi.Response mapped = api.post(scim.org.admin().token(),
                scim.org.api("/scim-directories/" + scim.directoryId + "/group-mappings"),
                Map.of("group", Map.of("by", by, "value", value), "teams", teamNames, "admin", admin));
        assertThat(mapped.status()).as(mapped.body()).isEqualTo(201);
    }

    private Set<GrantSource> teamSources(UUID organizationId, UUID membershipId, UUID teamId) {
        return members.teams(organizationId, membershipId).stream().filter(g -> g.teamId().equals(teamId))
                .findFirst().map(TeamGrant::sources).orElse(Set.of());
    }
}
