package dev.roster.scim.directory;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** An organization's SCIM settings row; an organization without one has the defaults. */
@Repository
class ScimSettingsRepository {

    private final JdbcClient jdbc;

    ScimSettingsRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The stored {@code on_deactivate} name, if the organization has a settings row. */
    Optional<String> onDeactivate(UUID organizationId) {
        return jdbc.sql("SELECT on_deactivate FROM scim_settings WHERE organization_id = ?").param(organizationId)
                .query(String.class).optional();
    }

    /** Updates the row, or inserts it when the organization has none yet. */
    void saveOnDeactivate(UUID organizationId, String onDeactivate, Instant now) {
        Timestamp at = Timestamp.from(now);
        int updated = jdbc.sql("UPDATE scim_settings SET on_deactivate = ?, updated_at = ? WHERE organization_id = ?")
                .params(onDeactivate, at, organizationId).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO scim_settings (organization_id, on_deactivate, updated_at) VALUES (?, ?, ?)")
                    .params(organizationId, onDeactivate, at).update();
        }
    }
}
