package dev.roster.membership;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class TeamRepository {

    private final JdbcClient jdbc;

    TeamRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    static String normalize(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    Optional<Team> find(UUID organizationId, UUID teamId) {
        return jdbc.sql("SELECT * FROM team WHERE organization_id = ? AND id = ?").params(organizationId, teamId)
                .query(TeamRepository::map).optional();
    }

    Optional<Team> findByName(UUID organizationId, String name) {
        return jdbc.sql("SELECT * FROM team WHERE organization_id = ? AND name_normalized = ?")
                .params(organizationId, normalize(name)).query(TeamRepository::map).optional();
    }

    List<Team> findAll(UUID organizationId, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT * FROM team WHERE organization_id = :org AND id IN (:ids) ORDER BY name_normalized")
                .param("org", organizationId).param("ids", ids).query(TeamRepository::map).list();
    }

    List<Team> findAllByName(UUID organizationId, Collection<String> names) {
        if (names.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT * FROM team WHERE organization_id = :org AND name_normalized IN (:names)")
                .param("org", organizationId).param("names", names.stream().map(TeamRepository::normalize).toList())
                .query(TeamRepository::map).list();
    }

    List<Team> byName(UUID organizationId, int limit) {
        return jdbc.sql("SELECT * FROM team WHERE organization_id = ? ORDER BY name_normalized LIMIT ?")
                .params(organizationId, limit).query(TeamRepository::map).list();
    }

    List<Team> searchByName(UUID organizationId, String search, int limit) {
        String pattern = like(search);
        if (pattern == null) {
            return byName(organizationId, limit);
        }
        return jdbc.sql("""
                        SELECT * FROM team WHERE organization_id = ? AND name_normalized LIKE ?
                        ORDER BY name_normalized LIMIT ?""")
                .params(organizationId, pattern, limit).query(TeamRepository::map).list();
    }

    List<TeamSummary> page(UUID organizationId, String search, int limit, long offset) {
        String filter = like(search) == null ? "" : " AND t.name_normalized LIKE :search";
        var spec = jdbc.sql("""
                SELECT t.*, (SELECT COUNT(DISTINCT tm.membership_id) FROM team_membership tm
                             WHERE tm.team_id = t.id) AS member_count
                FROM team t
                WHERE t.organization_id = :org""" + filter + " ORDER BY t.name_normalized LIMIT :limit OFFSET :offset")
                .param("org", organizationId).param("limit", limit).param("offset", offset);
        if (!filter.isEmpty()) {
            spec = spec.param("search", like(search));
        }
        return spec.query((rs, row) -> new TeamSummary(map(rs, row), rs.getLong("member_count"))).list();
    }

    long count(UUID organizationId, String search) {
        if (like(search) == null) {
            return jdbc.sql("SELECT COUNT(*) FROM team WHERE organization_id = ?").param(organizationId)
                    .query(Long.class).single();
        }
        return jdbc.sql("SELECT COUNT(*) FROM team WHERE organization_id = ? AND name_normalized LIKE ?")
                .params(organizationId, like(search)).query(Long.class).single();
    }

    static String like(String search) {
        if (search == null || search.isBlank()) {
            return null;
        }
        return "%" + normalize(search).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    void insert(Team team) {
        jdbc.sql("""
                INSERT INTO team (id, organization_id, name, name_normalized, description, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(team.id(), team.organizationId(), team.name(), normalize(team.name()), team.description(),
                        Timestamp.from(team.createdAt()), Timestamp.from(team.updatedAt()))
                .update();
    }

    void update(Team team) {
        jdbc.sql("""
                UPDATE team SET name = ?, name_normalized = ?, description = ?, updated_at = ?
                WHERE organization_id = ? AND id = ?""")
                .params(team.name(), normalize(team.name()), team.description(), Timestamp.from(team.updatedAt()),
                        team.organizationId(), team.id())
                .update();
    }

    void delete(UUID organizationId, UUID teamId) {
        jdbc.sql("DELETE FROM team WHERE organization_id = ? AND id = ?").params(organizationId, teamId).update();
    }

    long memberCount(UUID organizationId, UUID teamId) {
        return jdbc.sql("SELECT COUNT(DISTINCT membership_id) FROM team_membership WHERE organization_id = ? AND team_id = ?")
                .params(organizationId, teamId).query(Long.class).single();
    }

    static Team map(ResultSet rs, int row) throws SQLException {
        return new Team(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getString("name"), rs.getString("description"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
