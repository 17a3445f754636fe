package dev.roster.apitoken;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.roster.account.AccountJoins;
import dev.roster.shared.SecretToken;

/**
 * Personal API tokens. Every statement names the account, except the look-ups by a presented secret, which find it.
 * Only the secret's look-up key and hash are stored; comparing the hash is {@link ApiTokenService}'s rule.
 */
@Repository
class ApiTokenRepository {

    private final JdbcClient jdbc;

    ApiTokenRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored token with its secret's hash, and its owner's address when the statement joined it. */
    record Candidate(ApiToken token, String hash, String ownerEmail) {
    }

    void insert(ApiToken token, SecretToken.Issued secret) {
        jdbc.sql("""
                INSERT INTO api_token (id, account_id, name, token_lookup, token_hash, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(token.id(), token.accountId(), token.name(), secret.lookup(), secret.hash(),
                        Timestamp.from(token.createdAt()),
                        token.expiresAt() == null ? null : Timestamp.from(token.expiresAt()))
                .update();
    }

    /** Tokens not revoked, expired or not: what counts towards an account's limit. */
    long countNotRevoked(UUID accountId) {
        return jdbc.sql("SELECT COUNT(*) FROM api_token WHERE account_id = ? AND revoked_at IS NULL")
                .param(accountId).query(Long.class).single();
    }

    /** Tokens whose look-up key matches, with their owner's address: one statement on every API request. */
    List<Candidate> candidatesWithOwner(String lookup) {
        return jdbc.sql("""
                        SELECT t.*, a.email AS owner_email FROM api_token t""" + AccountJoins.join("a", "t.account_id")
                        + "WHERE t.token_lookup = ?")
                .param(lookup)
                .query((rs, row) -> new Candidate(map(rs, row), rs.getString("token_hash"), rs.getString("owner_email")))
                .list();
    }

    /** Tokens whose look-up key matches, revoked ones included; no owner's address. */
    List<Candidate> candidates(String lookup) {
        return jdbc.sql("SELECT * FROM api_token WHERE token_lookup = ?")
                .param(lookup)
                .query((rs, row) -> new Candidate(map(rs, row), rs.getString("token_hash"), null)).list();
    }

    void touch(UUID tokenId, Instant now) {
        jdbc.sql("UPDATE api_token SET last_used_at = ? WHERE id = ?").params(Timestamp.from(now), tokenId).update();
    }

    long count(UUID accountId) {
        return jdbc.sql("SELECT COUNT(*) FROM api_token WHERE account_id = ?").param(accountId)
                .query(Long.class).single();
    }

    /** Newest first. */
    List<ApiToken> list(UUID accountId, int limit, long offset) {
        return jdbc.sql("""
                        SELECT * FROM api_token WHERE account_id = ? ORDER BY created_at DESC, id LIMIT ? OFFSET ?""")
                .params(accountId, limit, offset).query(ApiTokenRepository::map).list();
    }

    /** Neither revoked nor expired at {@code now}. */
    long countUsable(UUID accountId, Instant now) {
        return jdbc.sql("""
                        SELECT COUNT(*) FROM api_token
                        WHERE account_id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)""")
                .params(accountId, Timestamp.from(now)).query(Long.class).single();
    }

    Optional<ApiToken> find(UUID accountId, UUID tokenId) {
        return jdbc.sql("SELECT * FROM api_token WHERE account_id = ? AND id = ?")
                .params(accountId, tokenId).query(ApiTokenRepository::map).optional();
    }

    void revoke(UUID accountId, UUID tokenId, Instant now) {
        jdbc.sql("UPDATE api_token SET revoked_at = ? WHERE account_id = ? AND id = ?")
                .params(Timestamp.from(now), accountId, tokenId).update();
    }

    private static ApiToken map(ResultSet rs, int row) throws SQLException {
        return new ApiToken(rs.getObject("id", UUID.class), rs.getObject("account_id", UUID.class),
                rs.getString("name"), rs.getTimestamp("created_at").toInstant(), instant(rs, "expires_at"),
                instant(rs, "last_used_at"), instant(rs, "revoked_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
