package dev.roster.twofactor;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * An account's second factor: its (encrypted) TOTP secret with the counters that stop replays and guessing, and its
 * recovery codes, stored as hashes. Encryption, hashing and every rule about codes are {@link TwoFactorService}'s.
 */
@Repository
class TwoFactorRepository {

    private final JdbcClient jdbc;

    TwoFactorRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The account's two-factor row: the encrypted secret, whether it is confirmed, and the lock-out counters. */
    record State(String secret, boolean confirmed, long lastUsedStep, int failedAttempts, Instant lockedUntil) {
    }

    /** The account's two-factor row; {@code lock} holds it until the transaction ends. */
    Optional<State> state(UUID accountId, boolean lock) {
        return jdbc.sql("SELECT * FROM two_factor WHERE account_id = ?" + (lock ? " FOR UPDATE" : "")).param(accountId)
                .query((rs, row) -> new State(rs.getString("secret"), rs.getTimestamp("confirmed_at") != null,
                        rs.getLong("last_used_step"), rs.getInt("failed_attempts"),
                        rs.getTimestamp("locked_until") == null ? null : rs.getTimestamp("locked_until").toInstant()))
                .optional();
    }

    boolean isConfirmed(UUID accountId) {
        return jdbc.sql("SELECT COUNT(*) FROM two_factor WHERE account_id = ? AND confirmed_at IS NOT NULL")
                .param(accountId).query(Integer.class).single() > 0;
    }

    /** Replaces any enrolment of the account with a fresh, unconfirmed one. */
    void restart(UUID accountId, String encryptedSecret, Instant now) {
        jdbc.sql("DELETE FROM two_factor WHERE account_id = ?").param(accountId).update();
        jdbc.sql("INSERT INTO two_factor (account_id, secret, created_at) VALUES (?, ?, ?)")
                .params(accountId, encryptedSecret, Timestamp.from(now)).update();
    }

    void confirm(UUID accountId, Instant now) {
        jdbc.sql("UPDATE two_factor SET confirmed_at = ? WHERE account_id = ?")
                .params(Timestamp.from(now), accountId).update();
    }

    /** Removes the second factor and its recovery codes. */
    void delete(UUID accountId) {
        jdbc.sql("DELETE FROM recovery_code WHERE account_id = ?").param(accountId).update();
        jdbc.sql("DELETE FROM two_factor WHERE account_id = ?").param(accountId).update();
    }

    /** Records the step of a code just accepted (so it cannot be used again) and clears the failures. */
    void spendStep(UUID accountId, long step) {
        jdbc.sql("UPDATE two_factor SET last_used_step = ?, failed_attempts = 0, locked_until = NULL WHERE account_id = ?")
                .params(step, accountId).update();
    }

    void recordFailures(UUID accountId, int failedAttempts, Instant lockedUntil) {
        jdbc.sql("UPDATE two_factor SET failed_attempts = ?, locked_until = ? WHERE account_id = ?")
                .params(failedAttempts, lockedUntil == null ? null : Timestamp.from(lockedUntil), accountId)
                .update();
    }

    void resetFailures(UUID accountId) {
        jdbc.sql("UPDATE two_factor SET failed_attempts = 0, locked_until = NULL WHERE account_id = ?")
                .param(accountId).update();
    }

    int remainingRecoveryCodes(UUID accountId) {
        return jdbc.sql("SELECT COUNT(*) FROM recovery_code WHERE account_id = ? AND used_at IS NULL")
                .param(accountId).query(Integer.class).single();
    }

    /** Spends the unused recovery code with this hash; false when there is none. */
    boolean useRecoveryCode(UUID accountId, String codeHash, Instant now) {
        return jdbc.sql("UPDATE recovery_code SET used_at = ? WHERE account_id = ? AND code_hash = ? AND used_at IS NULL")
                .params(Timestamp.from(now), accountId, codeHash).update() > 0;
    }

    /** Deletes every recovery code of the account and stores these hashes instead, one insert each. */
    void replaceRecoveryCodes(UUID accountId, List<String> codeHashes) {
        jdbc.sql("DELETE FROM recovery_code WHERE account_id = ?").param(accountId).update();
        for (String hash : codeHashes) {
            jdbc.sql("INSERT INTO recovery_code (account_id, code_hash) VALUES (?, ?)")
                    .params(accountId, hash).update();
        }
    }
}
