package dev.roster.sso.connection;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Test logins of SSO connections. A test is found by its random id together with its connection (and, for the admin
 * reading it, its organization and account); its result is stored as the JSON {@link SsoTestLogins} writes.
 */
@Repository
class SsoTestLoginRepository {

    private final JdbcClient jdbc;

    SsoTestLoginRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored test: {@code result} is the stored JSON, null while the test waits for the identity provider. */
    record StoredTest(UUID id, UUID connectionId, Instant startedAt, String result) {
    }

    void insert(UUID id, UUID organizationId, UUID connectionId, UUID accountId, Instant now, Instant expiresAt) {
        jdbc.sql("""
                INSERT INTO sso_test_login (id, organization_id, connection_id, account_id, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(id, organizationId, connectionId, accountId, Timestamp.from(now), Timestamp.from(expiresAt))
                .update();
    }

    Optional<StoredTest> find(UUID organizationId, UUID connectionId, UUID testId, UUID accountId) {
        return jdbc.sql("""
                SELECT id, connection_id, created_at, result FROM sso_test_login
                WHERE organization_id = ? AND connection_id = ? AND id = ? AND account_id = ?""")
                .params(organizationId, connectionId, testId, accountId)
                .query((rs, row) -> new StoredTest(rs.getObject("id", UUID.class),
                        rs.getObject("connection_id", UUID.class), rs.getTimestamp("created_at").toInstant(),
                        rs.getString("result")))
                .optional();
    }

    /** Whether the test was started for this connection, is not answered and has not expired at {@code now}. */
    boolean awaiting(UUID testId, UUID connectionId, Instant now) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM sso_test_login
                WHERE id = ? AND connection_id = ? AND completed_at IS NULL AND expires_at > ?""")
                .params(testId, connectionId, Timestamp.from(now)).query(Integer.class).single() > 0;
    }

    /**
     * The organization of a test that still awaits its answer, its row locked until the transaction ends so one
     * answer alone completes it.
     */
    Optional<UUID> lockAwaiting(UUID testId, UUID connectionId, Instant now) {
        return jdbc.sql("""
                SELECT organization_id FROM sso_test_login
                WHERE id = ? AND connection_id = ? AND completed_at IS NULL AND expires_at > ? FOR UPDATE""")
                .params(testId, connectionId, Timestamp.from(now)).query(UUID.class).optional();
    }

    void complete(UUID organizationId, UUID testId, String result, Instant now) {
        jdbc.sql("UPDATE sso_test_login SET completed_at = ?, result = ? WHERE organization_id = ? AND id = ?")
                .params(Timestamp.from(now), result, organizationId, testId).update();
    }

    /** Deletes the tests that expired before {@code cutoff}. */
    void deleteExpiredBefore(Instant cutoff) {
        jdbc.sql("DELETE FROM sso_test_login WHERE expires_at < ?").param(Timestamp.from(cutoff)).update();
    }
}
