package dev.roster.scim;

import static dev.roster.scim.ScimTestClient.members;
import static dev.roster.scim.ScimTestClient.op;
import static dev.roster.scim.ScimTestClient.patch;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.account.AccountService;
import dev.roster.membership.GrantSource;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.Ids;
import dev.roster.test.LockRace;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * SCIM's team sync takes the locks of a withdrawal in the order of every demotion: the organization's active admins in
 * id order, then the members. A group PATCH that removes an admin the directory made one from a group mapped to a team
 * and to the admin flag withdraws the team grant (a batch that locks its members) and the admin grant (which locks the
 * admins): had it locked the member first and the admins after, it and a demotion could wait for each other, and
 * PostgreSQL would end one of them ("deadlock detected"; the last-admin rule held either way).
 * <p>
 * The two orders are made to meet for certain, as in {@code SsoAdminWithdrawalsRaceTest}: another transaction holds the
 * lowest admin's row (as a demotion does, locking the admins in id order) while the PATCH runs; once the PATCH waits
 * for it, that transaction locks the leaving member's row, as the demotion would next.
 */
@RosterIntegrationTest
class ScimAdminWithdrawalLockOrderTest {

    private static final Actor SETUP = Actor.system("test setup");

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    MemberReads directory;
    @Autowired
    AccountService accounts;
    @Autowired
    TeamService teams;
    @Autowired
    DataSource dataSource;

    @Test
    void aGroupPatchWithdrawingATeamAndTheAdminFlagLocksTheAdminsBeforeTheMember() throws Exception {
        LockRace.assumePostgres();
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        Team ops = teams.create(scim.org.id(), TestData.unique("Ops"), null, SETUP);
        String email = TestData.uniqueEmail("ops-lead");
        String userId = scim.createUser(email);
        String groupId = scim.createGroup(TestData.unique("Roster admins"), userId);
        TestApi.Response mapped = api.post(scim.org.admin().token(),
                scim.org.api("/scim-directories/" + scim.directoryId + "/group-mappings"),
                Map.of("group", Map.of("by", "id", "value", groupId), "teams", List.of(ops.name()), "admin", true));
        assertThat(mapped.status()).as(mapped.body()).isEqualTo(201);
        UUID leaving = membership(scim.org.id(), email);
        assertThat(admin(scim.org.id(), leaving)).isTrue();
        // Another admin whose id comes first in PostgreSQL's order: the demotion's first lock.
        UUID lowest = scim.org.adminMembership().id();
        while (Ids.DATABASE_ORDER.compare(lowest, leaving) > 0) {
            lowest = data.join(scim.org, data.person("admin"), true).id();
        }

        CompletableFuture<ScimTestClient.Response> removed;
        try (Connection demotion = dataSource.getConnection()) {
            demotion.setAutoCommit(false);
            LockRace.lock(demotion, "SELECT id FROM membership WHERE id = ? FOR UPDATE", lowest);
            long xid = LockRace.currentTransaction(demotion);
            removed = CompletableFuture.supplyAsync(() -> scim.patch("/Groups/" + groupId,
                    patch(op("Remove", "members", members(userId)))));
            LockRace.awaitWaiterOn(dataSource, xid, "the PATCH");
            // What the demotion locks next: the PATCH must not be holding it.
            LockRace.lock(demotion, "SELECT id FROM membership WHERE id = ? FOR UPDATE", leaving);
            demotion.rollback();
        }
        ScimTestClient.Response answered = removed.get();
        assertThat(answered.status()).as(answered.body()).isBetween(200, 204);
        assertThat(admin(scim.org.id(), leaving)).isFalse();
        assertThat(directory.teamRolesFrom(scim.org.id(), GrantSource.SCIM, List.of(leaving))
                .getOrDefault(leaving, Map.of())).isEmpty();
    }

    private boolean admin(UUID organizationId, UUID membership) {
        return directory.find(organizationId, membership).orElseThrow().admin();
    }

    private UUID membership(UUID organizationId, String email) {
        UUID accountId = accounts.findByEmail(email).orElseThrow().id();
        return directory.findByAccount(organizationId, accountId).map(Membership::id).orElseThrow();
    }
}
