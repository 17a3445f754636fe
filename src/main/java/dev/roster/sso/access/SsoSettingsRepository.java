package dev.roster.sso.access;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** An organization's SSO settings row (the admins' break-glass); an organization without one has the defaults. */
@Repository
class SsoSettingsRepository {

    private final JdbcClient jdbc;

    SsoSettingsRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The stored break-glass setting, if the organization has a settings row. */
    Optional<Boolean> adminBreakGlass(UUID organizationId) {
        return jdbc.sql("SELECT admin_break_glass FROM sso_settings WHERE organization_id = ?")
                .param(organizationId).query(Boolean.class).optional();
    }

    /**
     * Insert-if-missing, then update: H2 (the database of ./mvnw spring-boot:run) refuses ON CONFLICT … DO UPDATE,
     * and DO NOTHING settles two first writes racing on the key without an error that would spoil the transaction.
     */
    void saveAdminBreakGlass(UUID organizationId, boolean allowed, Instant now) {
        Timestamp at = Timestamp.from(now);
        jdbc.sql("""
                INSERT INTO sso_settings (organization_id, admin_break_glass, updated_at) VALUES (?, ?, ?)
                ON CONFLICT DO NOTHING""")
                .params(organizationId, allowed, at).update();
        jdbc.sql("UPDATE sso_settings SET admin_break_glass = ?, updated_at = ? WHERE organization_id = ?")
                .params(allowed, at, organizationId).update();
    }
}
