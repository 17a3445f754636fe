package dev.roster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.roster.test.PrivateDatabase;

/**
 * V220 moves the admin flag's sources into the membership module: what scim_user.admin_granted and
 * sso_identity.admin_granted remembered becomes a SCIM or SSO grant, every other admin holds a manual grant, and the
 * two columns are gone.
 */
class AdminGrantsMigrationTest {

    @Test
    void theDirectoriesAdminFlagsBecomeGrantsAndEveryOtherAdminAManualOne() {
        try (PrivateDatabase database = PrivateDatabase.create("v220").migrateTo("192")) {
            JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
            Timestamp now = Timestamp.from(Instant.now());
            UUID org = UUID.randomUUID();
            jdbc.update("INSERT INTO organization (id, slug, name, require_two_factor, created_at, updated_at) "
                    + "VALUES (?, 'older', 'Older', FALSE, ?, ?)", org, now, now);
            UUID directory = UUID.randomUUID();
            jdbc.update("INSERT INTO scim_directory (id, organization_id, name, kind, created_at) "
                    + "VALUES (?, ?, 'Entra', 'ENTRA', ?)", directory, org, now);
            UUID connection = UUID.randomUUID();
            jdbc.update("INSERT INTO sso_connection (id, organization_id, kind, name, enabled, idp_entity_id, "
                    + "idp_metadata_xml, sp_private_key, sp_certificate, idp_initiated, enforce_sso, scim_policy, "
                    + "created_at, updated_at) VALUES (?, ?, 'OKTA', 'Okta', TRUE, 'idp', '<x/>', 'k', 'c', FALSE, "
                    + "FALSE, 'ANY', ?, ?)", connection, org, now, now);

            UUID byScim = member(jdbc, org, "scim", true, now);
            scimUser(jdbc, org, directory, byScim, true, now);
            UUID bySso = member(jdbc, org, "sso", true, now);
            ssoIdentity(jdbc, org, connection, bySso, true, now);
            UUID byHand = member(jdbc, org, "hand", true, now);
            scimUser(jdbc, org, directory, byHand, false, now);
            UUID notAdmin = member(jdbc, org, "none", false, now);
            scimUser(jdbc, org, directory, notAdmin, true, now);

            database.migrate();

            assertThat(sources(jdbc, byScim)).containsExactly("SCIM");
            assertThat(sources(jdbc, bySso)).containsExactly("SSO");
            assertThat(sources(jdbc, byHand)).containsExactly("MANUAL");
            assertThat(sources(jdbc, notAdmin)).isEmpty();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM information_schema.columns "
                    + "WHERE LOWER(column_name) = 'admin_granted' AND LOWER(table_schema) = LOWER(CURRENT_SCHEMA)",
                    Integer.class)).isZero();
        }
    }

    private static UUID member(JdbcTemplate jdbc, UUID org, String name, boolean admin, Timestamp now) {
        UUID account = UUID.randomUUID();
        jdbc.update("INSERT INTO account (id, email, email_normalized, display_name, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)", account, name + "@example.test", name + "@example.test", name, now, now);
        UUID membership = UUID.randomUUID();
        jdbc.update("INSERT INTO membership (id, organization_id, account_id, admin, status, source, status_changed_by, "
                + "created_at, updated_at, email_normalized) VALUES (?, ?, ?, ?, 'ACTIVE', 'SCIM', 'SCIM', ?, ?, ?)",
                membership, org, account, admin, now, now, name + "@example.test");
        return membership;
    }

    private static void scimUser(JdbcTemplate jdbc, UUID org, UUID directory, UUID membership, boolean granted,
                                 Timestamp now) {
        UUID account = jdbc.queryForObject("SELECT account_id FROM membership WHERE id = ?", UUID.class, membership);
        jdbc.update("INSERT INTO scim_user (id, organization_id, directory_id, user_name, user_name_normalized, active, "
                + "account_id, membership_id, admin_granted, resource, version, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, TRUE, ?, ?, ?, '{}', 1, ?, ?)", UUID.randomUUID(), org, directory,
                membership.toString(), membership.toString(), account, membership, granted, now, now);
    }

    private static void ssoIdentity(JdbcTemplate jdbc, UUID org, UUID connection, UUID membership, boolean granted,
                                    Timestamp now) {
        UUID account = jdbc.queryForObject("SELECT account_id FROM membership WHERE id = ?", UUID.class, membership);
        jdbc.update("INSERT INTO sso_identity (organization_id, connection_id, subject, account_id, admin_granted, "
                + "first_login_at, last_login_at) VALUES (?, ?, ?, ?, ?, ?, ?)", org, connection,
                membership.toString(), account, granted, now, now);
    }

    private static List<String> sources(JdbcTemplate jdbc, UUID membership) {
        return jdbc.queryForList("SELECT source FROM membership_admin_grant WHERE membership_id = ? ORDER BY source",
                String.class, membership);
    }
}
