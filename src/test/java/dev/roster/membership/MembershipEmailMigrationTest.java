package dev.roster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.roster.test.PrivateDatabase;

/**
 * V70 gives every membership a copy of its account's address, the member list's order: rows written before it get
 * theirs from the migration, and the column is required from then on.
 */
class MembershipEmailMigrationTest {

    @Test
    void membershipsMadeBeforeTheMigrationGetTheirAccountsAddress() {
        try (PrivateDatabase database = PrivateDatabase.create("v70").migrateTo("60")) {
            JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
            Timestamp now = Timestamp.from(Instant.now());
            UUID org = UUID.randomUUID();
            UUID account = UUID.randomUUID();
            UUID membership = UUID.randomUUID();
            jdbc.update("INSERT INTO organization (id, slug, name, require_two_factor, created_at, updated_at) "
                    + "VALUES (?, 'older', 'Older', FALSE, ?, ?)", org, now, now);
            jdbc.update("INSERT INTO account (id, email, email_normalized, display_name, created_at, updated_at) "
                    + "VALUES (?, 'Ada@Example.test', 'ada@example.test', 'Ada', ?, ?)", account, now, now);
            jdbc.update("INSERT INTO membership (id, organization_id, account_id, admin, status, source, "
                    + "status_changed_by, created_at, updated_at) VALUES (?, ?, ?, FALSE, 'ACTIVE', 'INVITATION', "
                    + "'API', ?, ?)", membership, org, account, now, now);

            database.migrate();

            assertThat(jdbc.queryForObject("SELECT email_normalized FROM membership WHERE id = ?", String.class,
                    membership)).isEqualTo("ada@example.test");
            assertThat(jdbc.queryForObject("SELECT is_nullable FROM information_schema.columns "
                    + "WHERE LOWER(table_name) = 'membership' AND LOWER(column_name) = 'email_normalized' "
                    + "AND LOWER(table_schema) = LOWER(CURRENT_SCHEMA)", String.class)).isEqualTo("NO");
        }
    }
}
