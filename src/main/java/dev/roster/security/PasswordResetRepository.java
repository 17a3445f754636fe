package dev.roster.security;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.roster.shared.SecretToken;

/**
 * Password-reset links: only the link's look-up key and hash are stored. Whether a link still works, and how many an
 * account may ask for, are {@link PasswordResets}' rules.
 */
@Repository
class PasswordResetRepository {

    private final JdbcClient jdbc;

    PasswordResetRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored link as found by its look-up key, before its hash is compared. */
    record Candidate(UUID id, UUID accountId, String hash, Instant expiresAt, boolean used) {
    }

    /** Links the account asked for after {@code since}. */
    long countSince(UUID accountId, Instant since) {
        return jdbc.sql("SELECT COUNT(*) FROM password_reset WHERE account_id = ? AND created_at > ?")
                .params(accountId, Timestamp.from(since)).query(Long.class).single();
    }

    void insert(UUID id, UUID accountId, SecretToken.Issued token, Instant createdAt, Instant expiresAt) {
        jdbc.sql("""
                        INSERT INTO password_reset (id, account_id, token_lookup, token_hash, created_at, expires_at)
                        VALUES (?, ?, ?, ?, ?, ?)""")
                .params(id, accountId, token.lookup(), token.hash(), Timestamp.from(createdAt),
                        Timestamp.from(expiresAt))
                .update();
    }

    Optional<Candidate> findByLookup(String lookup) {
        return jdbc.sql("""
                        SELECT id, account_id, token_hash, expires_at, used_at FROM password_reset
                        WHERE token_lookup = ?""")
                .param(lookup)
                .query((rs, row) -> new Candidate(rs.getObject("id", UUID.class), rs.getObject("account_id", UUID.class),
                        rs.getString("token_hash"), rs.getTimestamp("expires_at").toInstant(),
                        rs.getTimestamp("used_at") != null))
                .optional();
    }

    /** Spends one link; false when it was spent already (a second use racing this one). */
    boolean spend(UUID resetId, Instant now) {
        return jdbc.sql("UPDATE password_reset SET used_at = ? WHERE id = ? AND used_at IS NULL")
                .params(Timestamp.from(now), resetId).update() > 0;
    }

    /** Spends every link of the account not spent yet. */
    void spendAll(UUID accountId, Instant now) {
        jdbc.sql("UPDATE password_reset SET used_at = ? WHERE account_id = ? AND used_at IS NULL")
                .params(Timestamp.from(now), accountId).update();
    }
}
