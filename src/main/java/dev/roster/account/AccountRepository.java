package dev.roster.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.roster.shared.database.TableStatistics;
import dev.roster.shared.EmailAddress;

@Repository
class AccountRepository {

    private final JdbcClient jdbc;

    private final TableStatistics statistics;

    AccountRepository(JdbcClient jdbc, TableStatistics statistics) {
        this.jdbc = jdbc;
        this.statistics = statistics;
    }

    void lock(UUID id) {
        jdbc.sql("SELECT id FROM account WHERE id = ? FOR UPDATE").param(id).query(UUID.class).single();
    }

    Optional<Account> findById(UUID id) {
        return jdbc.sql("SELECT * FROM account WHERE id = ?").param(id).query(AccountRepository::map).optional();
    }

    Optional<Account> findByEmail(String email) {
        return jdbc.sql("SELECT * FROM account WHERE email_normalized = ?").param(EmailAddress.normalize(email))
                .query(AccountRepository::map).optional();
    }

    /** Accounts with a password whose address is at one of the domains (lower case, as verified domains are kept). */
    long countWithPasswordAt(java.util.Collection<String> domains) {
        if (domains.isEmpty()) {
            return 0;
        }
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM account WHERE password_hash IS NOT NULL AND (");
        java.util.List<Object> params = new java.util.ArrayList<>();
        for (String domain : domains) {
            sql.append(params.isEmpty() ? "" : " OR ").append("email_normalized LIKE ? ESCAPE '!'");
            params.add("%@" + domain.replace("!", "!!").replace("%", "!%").replace("_", "!_"));
        }
        return jdbc.sql(sql.append(')').toString()).params(params).query(Long.class).single();
    }

    Optional<String> passwordHash(UUID id) {
        return jdbc.sql("SELECT password_hash FROM account WHERE id = ?").param(id).query(String.class).optional();
    }

    /**
     * Inserts unless an account with the address exists; false then. The unique key is the check (no look-up first),
     * and a conflict leaves the caller's transaction usable, so it can read the account that won a race.
     */
    boolean insert(Account account, String passwordHash) {
        int inserted = jdbc.sql("""
                INSERT INTO account (id, email, email_normalized, display_name, password_hash, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""")
                .params(account.id(), account.email(), EmailAddress.normalize(account.email()), account.displayName(),
                        passwordHash, Timestamp.from(account.createdAt()), Timestamp.from(account.updatedAt()))
                .update();
        statistics.inserted("account", inserted);
        return inserted == 1;
    }

    void updateDisplayName(UUID id, String displayName, Instant now) {
        jdbc.sql("UPDATE account SET display_name = ?, updated_at = ? WHERE id = ?")
                .params(displayName, Timestamp.from(now), id).update();
    }

    void updatePassword(UUID id, String passwordHash, Instant now) {
        jdbc.sql("UPDATE account SET password_hash = ?, updated_at = ? WHERE id = ?")
                .params(passwordHash, Timestamp.from(now), id).update();
    }

    static Account map(ResultSet rs, int row) throws SQLException {
        return new Account(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("display_name"),
                rs.getString("password_hash") != null, rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
