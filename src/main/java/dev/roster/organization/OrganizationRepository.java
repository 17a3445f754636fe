package dev.roster.organization;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The organization table. {@link #findById} and {@link #findBySlug} see only live organizations, so every feature
 * that looks an organization up stops at one that was deleted; the operator's look-ups ({@code Any}) see both.
 */
@Repository
class OrganizationRepository {

    private final JdbcClient jdbc;

    OrganizationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Organization> findById(UUID id) {
        return jdbc.sql("SELECT * FROM organization WHERE id = ? AND deleted_at IS NULL").param(id)
                .query(OrganizationRepository::map).optional();
    }

    Optional<Organization> findBySlug(String slug) {
        return jdbc.sql("SELECT * FROM organization WHERE slug = ? AND deleted_at IS NULL").param(slug)
                .query(OrganizationRepository::map).optional();
    }

    /** Live or deleted (not yet purged): the slug is taken either way. */
    Optional<Organization> findAnyBySlug(String slug) {
        return jdbc.sql("SELECT * FROM organization WHERE slug = ?").param(slug).query(OrganizationRepository::map)
                .optional();
    }

    List<Organization> page(Boolean deleted, int limit, long offset) {
        return jdbc.sql("SELECT * FROM organization" + where(deleted) + " ORDER BY slug LIMIT ? OFFSET ?")
                .params(limit, offset).query(OrganizationRepository::map).list();
    }

    long count(Boolean deleted) {
        return jdbc.sql("SELECT COUNT(*) FROM organization" + where(deleted)).query(Long.class).single();
    }

    private static String where(Boolean deleted) {
        if (deleted == null) {
            return "";
        }
        return deleted ? " WHERE deleted_at IS NOT NULL" : " WHERE deleted_at IS NULL";
    }

    void insert(Organization org) {
        jdbc.sql("""
                INSERT INTO organization (id, slug, name, require_two_factor, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(org.id(), org.slug(), org.name(), org.requireTwoFactor(), Timestamp.from(org.createdAt()),
                        Timestamp.from(org.updatedAt()))
                .update();
    }

    void update(Organization org) {
        jdbc.sql("""
                UPDATE organization SET name = ?, require_two_factor = ?, getting_started_url = ?, updated_at = ?
                WHERE id = ?""")
                .params(org.name(), org.requireTwoFactor(), org.gettingStartedUrl(), Timestamp.from(org.updatedAt()),
                        org.id())
                .update();
    }

    /** Soft-deletes a live organization; false when it was not live (deleted meanwhile). */
    boolean markDeleted(UUID id, Instant now) {
        return jdbc.sql("UPDATE organization SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL")
                .params(Timestamp.from(now), Timestamp.from(now), id).update() == 1;
    }

    /**
     * Brings a deleted organization back, only while it was deleted after {@code deletedAfter} and its purge has not
     * started: one conditional update, so a restore and a purge never both proceed.
     */
    boolean restore(UUID id, Instant deletedAfter, Instant now) {
        return jdbc.sql("""
                UPDATE organization SET deleted_at = NULL, updated_at = ?
                WHERE id = ? AND deleted_at IS NOT NULL AND deleted_at > ? AND purge_started_at IS NULL""")
                .params(Timestamp.from(now), id, Timestamp.from(deletedAfter)).update() == 1;
    }

    /** Deleted organizations whose retention ended (deleted at or before {@code deletedBefore}), or whose purge began. */
    List<UUID> due(Instant deletedBefore) {
        return jdbc.sql("""
                SELECT id FROM organization
                WHERE deleted_at IS NOT NULL AND (deleted_at <= ? OR purge_started_at IS NOT NULL)
                ORDER BY deleted_at, id""")
                .param(Timestamp.from(deletedBefore)).query(UUID.class).list();
    }

    /** Marks the purge as begun; false when the organization was restored (or purged) meanwhile. */
    boolean startPurge(UUID id, Instant deletedBefore, Instant now) {
        return jdbc.sql("""
                UPDATE organization SET purge_started_at = COALESCE(purge_started_at, ?)
                WHERE id = ? AND deleted_at IS NOT NULL AND (deleted_at <= ? OR purge_started_at IS NOT NULL)""")
                .params(Timestamp.from(now), id, Timestamp.from(deletedBefore)).update() == 1;
    }

    void deleteRow(UUID id) {
        jdbc.sql("DELETE FROM organization WHERE id = ? AND purge_started_at IS NOT NULL").param(id).update();
    }

    static Organization map(ResultSet rs, int row) throws SQLException {
        Timestamp deletedAt = rs.getTimestamp("deleted_at");
        return new Organization(rs.getObject("id", UUID.class), rs.getString("slug"), rs.getString("name"),
                rs.getBoolean("require_two_factor"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), deletedAt == null ? null : deletedAt.toInstant(),
                rs.getString("getting_started_url"));
    }
}
