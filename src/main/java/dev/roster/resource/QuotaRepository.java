package dev.roster.resource;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.roster.membership.MembershipJoins;

import dev.roster.account.AccountJoins;

/** Team quotas, environment defaults and leases. Every statement names the organization. */
@Repository
class QuotaRepository {

    private static final String SELECT_LEASE = """
            SELECT l.id, l.organization_id, l.environment_id, l.team_id, t.name AS team_name, l.membership_id,
                   l.account_id, a.email, l.acquired_at, l.expires_at
            FROM lease l
            """ + MembershipJoins.joinTeam("t", "l.organization_id", "l.team_id")
            + AccountJoins.join("a", "l.account_id");

    private final JdbcClient jdbc;

    QuotaRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // --- quotas

    Optional<Integer> quota(UUID organizationId, UUID teamId, UUID environmentId) {
        return jdbc.sql("""
                SELECT max_concurrent FROM team_quota
                WHERE organization_id = ? AND team_id = ? AND environment_id = ?""")
                .params(organizationId, teamId, environmentId).query(Integer.class).optional();
    }

    /** Team id → its own quota on the environment, for the teams that have one (all of them when teams is null). */
    Map<UUID, Integer> quotas(UUID organizationId, UUID environmentId, Collection<UUID> teamIds) {
        Map<UUID, Integer> result = new HashMap<>();
        if (teamIds != null && teamIds.isEmpty()) {
            return result;
        }
        String sql = "SELECT team_id, max_concurrent FROM team_quota WHERE organization_id = :org"
                + " AND environment_id = :env" + (teamIds == null ? "" : " AND team_id IN (:teams)");
        var statement = jdbc.sql(sql).param("org", organizationId).param("env", environmentId);
        if (teamIds != null) {
            statement = statement.param("teams", teamIds);
        }
        statement.query(rs -> {
            result.put(rs.getObject("team_id", UUID.class), rs.getInt("max_concurrent"));
        });
        return result;
    }

    /** Environment id → the team's own quota there. */
    Map<UUID, Integer> quotasOfTeam(UUID organizationId, UUID teamId) {
        Map<UUID, Integer> result = new HashMap<>();
        jdbc.sql("SELECT environment_id, max_concurrent FROM team_quota WHERE organization_id = ? AND team_id = ?")
                .params(organizationId, teamId)
                .query(rs -> {
                    result.put(rs.getObject("environment_id", UUID.class), rs.getInt("max_concurrent"));
                });
        return result;
    }

    boolean updateQuota(UUID organizationId, UUID teamId, UUID environmentId, int maxConcurrent, Instant now) {
        return jdbc.sql("""
                UPDATE team_quota SET max_concurrent = ?, updated_at = ?
                WHERE organization_id = ? AND team_id = ? AND environment_id = ?""")
                .params(maxConcurrent, Timestamp.from(now), organizationId, teamId, environmentId).update() > 0;
    }

    void insertQuota(UUID organizationId, UUID teamId, UUID environmentId, int maxConcurrent, Instant now) {
        jdbc.sql("""
                INSERT INTO team_quota (organization_id, team_id, environment_id, max_concurrent, created_at,
                                        updated_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(organizationId, teamId, environmentId, maxConcurrent, Timestamp.from(now),
                        Timestamp.from(now))
                .update();
    }

    boolean deleteQuota(UUID organizationId, UUID teamId, UUID environmentId) {
        return jdbc.sql("DELETE FROM team_quota WHERE organization_id = ? AND team_id = ? AND environment_id = ?")
                .params(organizationId, teamId, environmentId).update() > 0;
    }

    Optional<Integer> defaultQuota(UUID organizationId, UUID environmentId) {
        return jdbc.sql("SELECT default_team_quota FROM resource WHERE organization_id = ? AND id = ?")
                .params(organizationId, environmentId).query((rs, row) -> {
                    int value = rs.getInt(1);
                    return rs.wasNull() ? null : value;
                }).optional();
    }

    void setDefaultQuota(UUID organizationId, UUID environmentId, Integer value) {
        jdbc.sql("UPDATE resource SET default_team_quota = ? WHERE organization_id = ? AND id = ?")
                .params(value, organizationId, environmentId).update();
    }

    // --- leases

    /** Team id → leases it holds on the environment at {@code now} (expired ones are not counted). */
    Map<UUID, Long> inUse(UUID organizationId, UUID environmentId, Collection<UUID> teamIds, Instant now) {
        Map<UUID, Long> result = new HashMap<>();
        if (teamIds != null && teamIds.isEmpty()) {
            return result;
        }
        String sql = "SELECT team_id, COUNT(*) AS held FROM lease WHERE organization_id = :org AND environment_id = :env"
                + " AND expires_at > :now" + (teamIds == null ? "" : " AND team_id IN (:teams)") + " GROUP BY team_id";
        var statement = jdbc.sql(sql).param("org", organizationId).param("env", environmentId)
                .param("now", Timestamp.from(now));
        if (teamIds != null) {
            statement = statement.param("teams", teamIds);
        }
        statement.query(rs -> {
            result.put(rs.getObject("team_id", UUID.class), rs.getLong("held"));
        });
        return result;
    }

    /** Environment id → leases the team holds there at {@code now}. */
    Map<UUID, Long> inUseByTeam(UUID organizationId, UUID teamId, Instant now) {
        Map<UUID, Long> result = new HashMap<>();
        jdbc.sql("""
                SELECT environment_id, COUNT(*) AS held FROM lease
                WHERE organization_id = ? AND team_id = ? AND expires_at > ? GROUP BY environment_id""")
                .params(organizationId, teamId, Timestamp.from(now))
                .query(rs -> {
                    result.put(rs.getObject("environment_id", UUID.class), rs.getLong("held"));
                });
        return result;
    }

    void insertLease(Lease lease) {
        jdbc.sql("""
                INSERT INTO lease (id, organization_id, environment_id, team_id, membership_id, account_id,
                                   acquired_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(lease.id(), lease.organizationId(), lease.environmentId(), lease.teamId(),
                        lease.membershipId(), lease.accountId(), Timestamp.from(lease.acquiredAt()),
                        Timestamp.from(lease.expiresAt()))
                .update();
    }

    Optional<Lease> lease(UUID organizationId, UUID leaseId) {
        return jdbc.sql(SELECT_LEASE + " WHERE l.organization_id = ? AND l.id = ?")
                .params(organizationId, leaseId).query(QuotaRepository::mapLease).optional();
    }

    void renew(UUID organizationId, UUID leaseId, Instant expiresAt) {
        jdbc.sql("UPDATE lease SET expires_at = ? WHERE organization_id = ? AND id = ?")
                .params(Timestamp.from(expiresAt), organizationId, leaseId).update();
    }

    boolean deleteLease(UUID organizationId, UUID leaseId) {
        return jdbc.sql("DELETE FROM lease WHERE organization_id = ? AND id = ?")
                .params(organizationId, leaseId).update() > 0;
    }

    /** Leases held at {@code now}, optionally on one environment and/or of one team, soonest to expire first. */
    List<Lease> active(UUID organizationId, UUID environmentId, UUID teamId, Instant now, int limit) {
        StringBuilder where = new StringBuilder(" WHERE l.organization_id = :org AND l.expires_at > :now");
        Map<String, Object> params = new HashMap<>();
        params.put("org", organizationId);
        params.put("now", Timestamp.from(now));
        if (environmentId != null) {
            where.append(" AND l.environment_id = :env");
            params.put("env", environmentId);
        }
        if (teamId != null) {
            where.append(" AND l.team_id = :team");
            params.put("team", teamId);
        }
        return jdbc.sql(SELECT_LEASE + where + " ORDER BY l.expires_at, l.id LIMIT :limit").params(params)
                .param("limit", limit).query(QuotaRepository::mapLease).list();
    }

    void deleteLeasesOf(UUID organizationId, UUID membershipId) {
        jdbc.sql("DELETE FROM lease WHERE organization_id = ? AND membership_id = ?")
                .params(organizationId, membershipId).update();
    }

    /** Deletes leases that expired before {@code before}; they hold no place already. */
    int purgeExpired(Instant before) {
        return jdbc.sql("DELETE FROM lease WHERE expires_at < ?").param(Timestamp.from(before)).update();
    }

    private static Lease mapLease(ResultSet rs, int row) throws SQLException {
        return new Lease(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getObject("environment_id", UUID.class), rs.getObject("team_id", UUID.class),
                rs.getString("team_name"), rs.getObject("membership_id", UUID.class),
                rs.getObject("account_id", UUID.class), rs.getString("email"),
                rs.getTimestamp("acquired_at").toInstant(), rs.getTimestamp("expires_at").toInstant());
    }
}
