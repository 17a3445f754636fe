package dev.roster.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.roster.linking.AccountLinking;
import dev.roster.test.LockRace;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * A new SCIM user is written already linked to the account and membership its create is about to make, when the
 * statement that claims the address sees no account with it (decision 0023). The link is checked at the commit, so a
 * create that ends another way must write it again: here another transaction creates an account with the address
 * after that statement and before this create's own account insert, which then finds the address taken. The user must
 * end as the account-linking policy says for someone else's existing account (held until its owner accepts), linked
 * to nothing: not to the account that was never made (the commit would refuse it) and not to the other account.
 */
@RosterIntegrationTest
class ScimUserLinkedUpFrontTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aNewPersonIsLinkedToTheAccountAndMembershipTheCreateMade() {
        assumeTrue(System.getenv("ROSTER_TEST_DATABASE_URL") != null, "PostgreSQL only: H2 links afterwards");
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        String email = TestData.uniqueEmail("up.front");
        ScimTestClient.Response created = scim.post("/Users", ScimTestClient.userBody(email, email));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Map<String, Object> row = jdbc.sql("""
                SELECT u.account_id, u.membership_id, m.account_id AS member_account, m.organization_id,
                       a.email_normalized
                FROM scim_user u JOIN membership m ON m.id = u.membership_id JOIN account a ON a.id = u.account_id
                WHERE u.id = ?""").param(UUID.fromString(created.json().get("id").asText())).query().singleRow();
        assertThat(row.get("member_account")).isEqualTo(row.get("account_id"));
        assertThat(row.get("organization_id")).isEqualTo(scim.org.id());
        assertThat(row.get("email_normalized")).isEqualTo(email.toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void anAccountMadeByAnotherTransactionMeanwhileLeavesTheUserHeldAndLinkedToNothing() throws Exception {
        assumeTrue(System.getenv("ROSTER_TEST_DATABASE_URL") != null, "PostgreSQL only: H2 links afterwards");
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        String email = TestData.uniqueEmail("raced");
        UUID elsewhere = UUID.randomUUID();
        CompletableFuture<ScimTestClient.Response> created;
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            // Someone signs up with the address in another transaction, not yet committed: invisible to the create's
            // first statement, in the way of its account insert.
            try (PreparedStatement insert = other.prepareStatement("""
                    INSERT INTO account (id, email, email_normalized, display_name, password_hash, created_at,
                                         updated_at)
                    VALUES (?, ?, ?, 'Someone else', NULL, ?, ?)""")) {
                Timestamp now = Timestamp.from(Instant.now());
                insert.setObject(1, elsewhere);
                insert.setString(2, email);
                insert.setString(3, email.toLowerCase(java.util.Locale.ROOT));
                insert.setTimestamp(4, now);
                insert.setTimestamp(5, now);
                insert.executeUpdate();
            }
            long xid = LockRace.currentTransaction(other);
            created = CompletableFuture.supplyAsync(() -> scim.post("/Users", ScimTestClient.userBody(email, email)));
            LockRace.awaitWaiterOn(dataSource, xid, "the create's account insert");
            other.commit();
        }
        ScimTestClient.Response answer = created.get();
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        Map<String, Object> row = jdbc.sql("""
                SELECT account_id, membership_id, held_reason FROM scim_user WHERE id = ?""")
                .param(UUID.fromString(answer.json().get("id").asText())).query().singleRow();
        assertThat(row.get("account_id")).isNull();
        assertThat(row.get("membership_id")).isNull();
        assertThat(row.get("held_reason")).isEqualTo(AccountLinking.AWAITING_OWNER);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM membership WHERE organization_id = ? AND account_id = ?")
                .params(scim.org.id(), elsewhere).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM account WHERE email_normalized = ?")
                .param(email.toLowerCase(java.util.Locale.ROOT)).query(Long.class).single()).isEqualTo(1);
    }
}
