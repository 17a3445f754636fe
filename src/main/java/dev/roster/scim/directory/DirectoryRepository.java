package dev.roster.scim.directory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.roster.organization.OrganizationJoins;
import dev.roster.shared.SecretToken;

/** Directories and their tokens. Every statement names the organization, except the token look-up that finds it. */
@Repository
class DirectoryRepository {

    private final JdbcClient jdbc;

    DirectoryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ScimDirectory directory) {
        jdbc.sql("""
                INSERT INTO scim_directory (id, organization_id, name, kind, requests_per_second, created_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(directory.id(), directory.organizationId(), directory.name(), directory.kind().name(),
                        directory.requestsPerSecond(), Timestamp.from(directory.createdAt()))
                .update();
    }

    Optional<ScimDirectory> find(UUID organizationId, UUID directoryId) {
        return jdbc.sql("SELECT * FROM scim_directory WHERE organization_id = ? AND id = ?")
                .params(organizationId, directoryId).query(DirectoryRepository::map).optional();
    }

    List<ScimDirectory> list(UUID organizationId, int limit, long offset) {
        return jdbc.sql("SELECT * FROM scim_directory WHERE organization_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?")
                .params(organizationId, limit, offset).query(DirectoryRepository::map).list();
    }

    long count(UUID organizationId) {
        return jdbc.sql("SELECT COUNT(*) FROM scim_directory WHERE organization_id = ?").param(organizationId)
                .query(Long.class).single();
    }

    /**
     * Deletes the directory's group mappings, as part of deleting the directory. Here rather than in
     * {@code provisioning.GroupMappingRepository}, which holds every other statement on {@code group_mapping}:
     * provisioning depends on this package, not the other way round, and a mapping's {@code source_id} names its
     * directory without a foreign key (a mapping's source is polymorphic), so nothing deletes them on cascade.
     */
    void deleteMappings(UUID organizationId, UUID directoryId) {
        jdbc.sql("DELETE FROM group_mapping WHERE organization_id = ? AND source = 'SCIM' AND source_id = ?")
                .params(organizationId, directoryId).update();
    }

    void delete(UUID organizationId, UUID directoryId) {
        jdbc.sql("DELETE FROM scim_directory WHERE organization_id = ? AND id = ?").params(organizationId, directoryId)
                .update();
    }

    void insertToken(UUID id, UUID organizationId, UUID directoryId, SecretToken.Issued secret, Instant now) {
        jdbc.sql("""
                INSERT INTO scim_token (id, organization_id, directory_id, token_lookup, token_hash, created_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(id, organizationId, directoryId, secret.lookup(), secret.hash(), Timestamp.from(now)).update();
    }

    List<ScimToken> tokens(UUID organizationId, UUID directoryId) {
        return jdbc.sql("SELECT * FROM scim_token WHERE organization_id = ? AND directory_id = ? ORDER BY created_at, id")
                .params(organizationId, directoryId).query(DirectoryRepository::mapToken).list();
    }

    int activeTokens(UUID organizationId, UUID directoryId) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM scim_token WHERE organization_id = ? AND directory_id = ? AND revoked_at IS NULL""")
                .params(organizationId, directoryId).query(Integer.class).single();
    }

    /** Locks the directory row so two admins issuing tokens at once cannot exceed the two live tokens. */
    void lock(UUID organizationId, UUID directoryId) {
        jdbc.sql("SELECT id FROM scim_directory WHERE organization_id = ? AND id = ? FOR UPDATE")
                .params(organizationId, directoryId).query(UUID.class).optional();
    }

    boolean revokeToken(UUID organizationId, UUID directoryId, UUID tokenId, Instant now) {
        return jdbc.sql("""
                UPDATE scim_token SET revoked_at = ?
                WHERE organization_id = ? AND directory_id = ? AND id = ? AND revoked_at IS NULL""")
                .params(Timestamp.from(now), organizationId, directoryId, tokenId).update() > 0;
    }

    Optional<ScimToken> token(UUID organizationId, UUID directoryId, UUID tokenId) {
        return jdbc.sql("SELECT * FROM scim_token WHERE organization_id = ? AND directory_id = ? AND id = ?")
                .params(organizationId, directoryId, tokenId).query(DirectoryRepository::mapToken).optional();
    }

    /**
     * Live tokens whose look-up key matches, with their directory and stored hash, for authentication. A deleted
     * organization's tokens match nothing, from the request after its deletion on.
     */
    List<Map.Entry<TokenCandidate, String>> candidates(String lookup) {
        return jdbc.sql("""
                SELECT t.id AS token_id, t.token_hash, t.last_used_at, d.*
                FROM scim_token t JOIN scim_directory d ON d.id = t.directory_id AND d.organization_id = t.organization_id
                """ + OrganizationJoins.joinLive("o", "t.organization_id") + """
                WHERE t.token_lookup = ? AND t.revoked_at IS NULL""")
                .param(lookup)
                .query((rs, row) -> Map.entry(new TokenCandidate(rs.getObject("token_id", UUID.class), map(rs, row),
                        instant(rs, "last_used_at")), rs.getString("token_hash")))
                .list();
    }

    /** The hashes of live tokens whose look-up key matches and whose organization is deleted (not yet purged). */
    List<String> deletedOrganizationTokenHashes(String lookup) {
        return jdbc.sql("""
                SELECT t.token_hash FROM scim_token t""" + OrganizationJoins.joinDeleted("o", "t.organization_id") + """
                WHERE t.token_lookup = ? AND t.revoked_at IS NULL""")
                .param(lookup).query(String.class).list();
    }

    void touchToken(UUID tokenId, Instant now) {
        jdbc.sql("UPDATE scim_token SET last_used_at = ? WHERE id = ?").params(Timestamp.from(now), tokenId).update();
    }

    record TokenCandidate(UUID tokenId, ScimDirectory directory, Instant lastUsedAt) {
    }

    static ScimDirectory map(ResultSet rs, int row) throws SQLException {
        int value = rs.getInt("requests_per_second");
        Integer rate = rs.wasNull() ? null : value;
        return new ScimDirectory(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getString("name"), DirectoryKind.valueOf(rs.getString("kind")), rate,
                rs.getTimestamp("created_at").toInstant());
    }

    private static ScimToken mapToken(ResultSet rs, int row) throws SQLException {
        return new ScimToken(rs.getObject("id", UUID.class), rs.getObject("directory_id", UUID.class),
                rs.getTimestamp("created_at").toInstant(), instant(rs, "last_used_at"), instant(rs, "revoked_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
