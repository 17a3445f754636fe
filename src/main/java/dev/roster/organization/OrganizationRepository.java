package dev.roster.organization;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class OrganizationRepository {

    private final JdbcClient jdbc;

    OrganizationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Organization> findById(UUID id) {
        return jdbc.sql("SELECT * FROM organization WHERE id = ?").param(id).query(OrganizationRepository::map).optional();
    }

    Optional<Organization> findBySlug(String slug) {
        return jdbc.sql("SELECT * FROM organization WHERE slug = ?").param(slug).query(OrganizationRepository::map)
                .optional();
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
        jdbc.sql("UPDATE organization SET name = ?, require_two_factor = ?, updated_at = ? WHERE id = ?")
                .params(org.name(), org.requireTwoFactor(), Timestamp.from(org.updatedAt()), org.id())
                .update();
    }

    static Organization map(ResultSet rs, int row) throws SQLException {
        return new Organization(rs.getObject("id", UUID.class), rs.getString("slug"), rs.getString("name"),
                rs.getBoolean("require_two_factor"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
