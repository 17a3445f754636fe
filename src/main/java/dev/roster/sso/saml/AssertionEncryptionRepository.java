package dev.roster.sso.saml;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.roster.sso.connection.SsoConnectionRepository;

/**
 * The encryption columns of {@code sso_connection}, kept apart from {@link SsoConnectionRepository} so that the
 * settings change on their own. Every write moves {@code updated_at}, which is what makes each instance rebuild its
 * cached relying-party registration ({@link DatabaseRelyingPartyRegistrations}).
 */
@Repository
class AssertionEncryptionRepository {

    private final JdbcClient jdbc;

    AssertionEncryptionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<AssertionEncryption> find(UUID connectionId) {
        return jdbc.sql("""
                SELECT require_encrypted_assertions, allow_rsa15_key_transport, sp_next_private_key, sp_next_certificate
                FROM sso_connection WHERE id = ?""").param(connectionId)
                .query((rs, row) -> new AssertionEncryption(rs.getBoolean(1), rs.getBoolean(2), rs.getString(3),
                        rs.getString(4))).optional();
    }

    void update(UUID organizationId, UUID connectionId, AssertionEncryption settings, Instant now) {
        jdbc.sql("""
                UPDATE sso_connection SET require_encrypted_assertions = ?, allow_rsa15_key_transport = ?,
                    sp_next_private_key = ?, sp_next_certificate = ?, updated_at = ?
                WHERE organization_id = ? AND id = ?""")
                .params(settings.required(), settings.allowRsa15(), settings.nextPrivateKey(),
                        settings.nextCertificate(), Timestamp.from(now), organizationId, connectionId)
                .update();
    }

    /** Completes a rollover: the next key pair becomes the current one, in one statement. */
    void promoteNextKey(UUID organizationId, UUID connectionId, Instant now) {
        jdbc.sql("""
                UPDATE sso_connection SET sp_private_key = sp_next_private_key, sp_certificate = sp_next_certificate,
                    sp_next_private_key = NULL, sp_next_certificate = NULL, updated_at = ?
                WHERE organization_id = ? AND id = ? AND sp_next_certificate IS NOT NULL""")
                .params(Timestamp.from(now), organizationId, connectionId).update();
    }
}
