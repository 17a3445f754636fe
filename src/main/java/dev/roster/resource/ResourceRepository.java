package dev.roster.resource;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.roster.account.AccountJoins;
import dev.roster.membership.GrantSource;
import dev.roster.membership.MembershipJoins;
import dev.roster.membership.MembershipStatus;

/**
 * Resources, and the two access queries. Every statement names the organization, so an id from another organization
 * finds nothing. The access queries read the membership tables (never write them: that is MembershipService's) because
 * a decision must be one query against the current state, not a chain of look-ups; they name those tables only
 * through the membership module's named joins ({@link MembershipJoins}), which own their shape.
 */
@Repository
class ResourceRepository {

    /** Columns of a resource with its owner's label (team name or member email), from {@code r}. */
    private static final String SELECT_COLUMNS = """
            SELECT r.id, r.organization_id, r.kind, r.name, r.owner_type, r.owner_team_id, r.owner_membership_id,
                   r.created_at, r.updated_at, t.name AS owner_team_name, a.email AS owner_member_email
            """;

    /** The owning team's name and the owning member's address, through the owners' named joins. */
    private static final String OWNER_LABELS =
            MembershipJoins.leftJoinTeam("t", "r.organization_id", "r.owner_team_id")
            + MembershipJoins.leftJoinMembership("om", "r.organization_id", "r.owner_membership_id")
            + AccountJoins.leftJoin("a", "om.account_id");

    private static final String SELECT_RESOURCE = SELECT_COLUMNS + "FROM resource r\n" + OWNER_LABELS;

    /**
     * The decision, in one statement of primary-key and unique-index look-ups: the resource (by id, in the
     * organization), the account's membership (unique organization + account), the owning team, and the account's
     * grants of that team (the team_membership primary key), one row per grant source. No row: no such resource here.
     * The membership tables are joined through the membership module's named joins, which own their shape.
     */
    static final String DECISION = """
            SELECT r.kind, r.owner_type, r.owner_team_id, r.owner_membership_id, t.name AS team_name,
                   m.id AS membership_id, m.status, m.admin, tm.source AS grant_source, c.role AS collaborator_role
            FROM resource r
            """
            + MembershipJoins.leftJoinMembershipOfAccount("m", "r.organization_id", ":account")
            + MembershipJoins.leftJoinTeam("t", "r.organization_id", "r.owner_team_id")
            + MembershipJoins.leftJoinTeamGrants("tm", "r.owner_team_id", "m.id", "r.organization_id")
            + """
            LEFT JOIN resource_collaborator c ON c.resource_id = r.id AND c.membership_id = m.id
                                             AND c.organization_id = r.organization_id
            WHERE r.organization_id = :org AND r.id = :resource""";

    /**
     * What an active, non-admin member reaches, as four branches that each follow one index: the organization's
     * shared resources (resource_org_owner_ix), their personal ones (resource_owner_member_ix), those of their
     * teams (team_membership_member_ix, then resource_owner_team_ix), and those they collaborate on
     * (resource_collaborator_member_ix) that no earlier branch reaches, so each resource comes once, with the first
     * reason that applies. One OR'ed condition instead would make PostgreSQL read every resource of the organization.
     * {@code %1$s} is the optional kind condition, {@code %2$s} the member's teams (the membership module's named
     * query).
     */
    private static final String MEMBER_REACH = """
            (SELECT r.*, 'ORGANIZATION_SHARED' AS reach, CAST(NULL AS VARCHAR(16)) AS collaborator_role
             FROM resource r
             WHERE r.organization_id = :org AND r.owner_type = 'ORGANIZATION'%1$s
             UNION ALL
             SELECT r.*, 'PERSONAL' AS reach, CAST(NULL AS VARCHAR(16)) AS collaborator_role FROM resource r
             WHERE r.organization_id = :org AND r.owner_type = 'MEMBER' AND r.owner_membership_id = :member%1$s
             UNION ALL
             SELECT r.*, 'TEAM' AS reach, CAST(NULL AS VARCHAR(16)) AS collaborator_role FROM resource r
             WHERE r.organization_id = :org AND r.owner_type = 'TEAM'%1$s AND r.owner_team_id IN (%2$s)
             UNION ALL
             SELECT r.*, 'COLLABORATOR' AS reach, c.role AS collaborator_role
             FROM resource_collaborator c JOIN resource r ON r.id = c.resource_id
             WHERE c.membership_id = :member AND c.organization_id = :org AND r.organization_id = :org%1$s
               AND r.owner_type <> 'ORGANIZATION'
               AND NOT (r.owner_type = 'MEMBER' AND r.owner_membership_id = :member)
               AND NOT (r.owner_type = 'TEAM' AND r.owner_team_id IN (%2$s))) r
            """;

    private final JdbcClient jdbc;

    ResourceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    static String normalize(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    /** Filters for the admin list; null means "any". */
    record Filter(ResourceKind kind, OwnerType ownerType, UUID teamId, UUID membershipId, String search) {
    }

    Optional<Resource> find(UUID organizationId, UUID id) {
        return jdbc.sql(SELECT_RESOURCE + " WHERE r.organization_id = :org AND r.id = :id")
                .param("org", organizationId).param("id", id).query(ResourceRepository::map).optional();
    }

    Optional<Resource> lock(UUID organizationId, UUID id) {
        Optional<UUID> locked = jdbc.sql("SELECT id FROM resource WHERE organization_id = ? AND id = ? FOR UPDATE")
                .params(organizationId, id).query(UUID.class).optional();
        return locked.flatMap(found -> find(organizationId, found));
    }

    boolean nameTaken(UUID organizationId, ResourceKind kind, String name, UUID except) {
        return jdbc.sql("""
                SELECT id FROM resource WHERE organization_id = ? AND kind = ? AND name_normalized = ?""")
                .params(organizationId, kind.name(), normalize(name)).query(UUID.class).list().stream()
                .anyMatch(id -> !id.equals(except));
    }

    void insert(Resource resource) {
        jdbc.sql("""
                INSERT INTO resource (id, organization_id, kind, name, name_normalized, owner_type, owner_team_id,
                                      owner_membership_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(resource.id(), resource.organizationId(), resource.kind().name(), resource.name(),
                        normalize(resource.name()), resource.owner().type().name(), resource.owner().teamId(),
                        resource.owner().membershipId(), Timestamp.from(resource.createdAt()),
                        Timestamp.from(resource.updatedAt()))
                .update();
    }

    void update(Resource resource) {
        jdbc.sql("""
                UPDATE resource SET name = ?, name_normalized = ?, owner_type = ?, owner_team_id = ?,
                                    owner_membership_id = ?, updated_at = ?
                WHERE organization_id = ? AND id = ?""")
                .params(resource.name(), normalize(resource.name()), resource.owner().type().name(),
                        resource.owner().teamId(), resource.owner().membershipId(),
                        Timestamp.from(resource.updatedAt()), resource.organizationId(), resource.id())
                .update();
    }

    void delete(UUID organizationId, UUID id) {
        jdbc.sql("DELETE FROM resource WHERE organization_id = ? AND id = ?").params(organizationId, id).update();
    }

    List<Resource> page(UUID organizationId, Filter filter, int limit, long offset) {
        Map<String, Object> params = new HashMap<>();
        String where = where(organizationId, filter, params);
        return jdbc.sql(SELECT_RESOURCE + where + " ORDER BY r.kind, r.name_normalized, r.id LIMIT :limit OFFSET :offset")
                .params(params).param("limit", limit).param("offset", offset).query(ResourceRepository::map).list();
    }

    long count(UUID organizationId, Filter filter) {
        Map<String, Object> params = new HashMap<>();
        return jdbc.sql("SELECT COUNT(*) FROM resource r" + where(organizationId, filter, params)).params(params)
                .query(Long.class).single();
    }

    private static String where(UUID organizationId, Filter filter, Map<String, Object> params) {
        StringBuilder where = new StringBuilder(" WHERE r.organization_id = :org");
        params.put("org", organizationId);
        if (filter.kind() != null) {
            where.append(" AND r.kind = :kind");
            params.put("kind", filter.kind().name());
        }
        if (filter.ownerType() != null) {
            where.append(" AND r.owner_type = :ownerType");
            params.put("ownerType", filter.ownerType().name());
        }
        if (filter.teamId() != null) {
            where.append(" AND r.owner_team_id = :team");
            params.put("team", filter.teamId());
        }
        if (filter.membershipId() != null) {
            where.append(" AND r.owner_membership_id = :ownerMember");
            params.put("ownerMember", filter.membershipId());
        }
        if (filter.search() != null && !filter.search().isBlank()) {
            where.append(" AND r.name_normalized LIKE :search");
            params.put("search", "%" + normalize(filter.search()).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%");
        }
        return where.toString();
    }

    /** The resources a team owns, for the team's deletion check. */
    List<Resource> ownedByTeam(UUID organizationId, UUID teamId, int limit) {
        return jdbc.sql(SELECT_RESOURCE + " WHERE r.organization_id = :org AND r.owner_team_id = :team"
                        + " ORDER BY r.kind, r.name_normalized LIMIT :limit")
                .param("org", organizationId).param("team", teamId).param("limit", limit)
                .query(ResourceRepository::map).list();
    }

    long countOwnedByTeam(UUID organizationId, UUID teamId) {
        return jdbc.sql("SELECT COUNT(*) FROM resource WHERE organization_id = ? AND owner_team_id = ?")
                .params(organizationId, teamId).query(Long.class).single();
    }

    // --- access

    /** One row of the decision query, per grant source of the owning team (or one row without a grant). */
    record DecisionRow(ResourceKind kind, OwnerType ownerType, UUID ownerTeamId, UUID ownerMembershipId, String teamName,
                       UUID membershipId, MembershipStatus status, boolean admin, GrantSource grantSource,
                       CollaboratorRole collaboratorRole) {
    }

    List<DecisionRow> decision(UUID organizationId, UUID accountId, UUID resourceId) {
        return jdbc.sql(DECISION).param("org", organizationId).param("account", accountId)
                .param("resource", resourceId)
                .query((rs, row) -> new DecisionRow(ResourceKind.valueOf(rs.getString("kind")),
                        OwnerType.valueOf(rs.getString("owner_type")),
                        rs.getObject("owner_team_id", UUID.class), rs.getObject("owner_membership_id", UUID.class),
                        rs.getString("team_name"), rs.getObject("membership_id", UUID.class),
                        rs.getString("status") == null ? null : MembershipStatus.valueOf(rs.getString("status")),
                        rs.getBoolean("admin"),
                        rs.getString("grant_source") == null ? null : GrantSource.valueOf(rs.getString("grant_source")),
                        rs.getString("collaborator_role") == null ? null
                                : CollaboratorRole.valueOf(rs.getString("collaborator_role"))))
                .list();
    }

    /** A resource someone reaches and the first reason that applies ({@code role} for collaborators). */
    record Reached(Resource resource, AccessReason reason, CollaboratorRole role) {
    }

    /**
     * A page of what a member reaches; {@code everything} for admins, else shared, personal, team and collaborator
     * resources.
     */
    List<Reached> reachable(UUID organizationId, UUID membershipId, boolean everything, ResourceKind kind, int limit,
                            long offset) {
        Map<String, Object> params = new HashMap<>();
        String sql = SELECT_COLUMNS + ", r.reach, r.collaborator_role FROM "
                + reachSource(organizationId, membershipId, everything, kind, params)
                + OWNER_LABELS + " ORDER BY r.kind, r.name_normalized, r.id LIMIT :limit OFFSET :offset";
        return jdbc.sql(sql).params(params).param("limit", limit).param("offset", offset)
                .query((rs, row) -> new Reached(map(rs, row), AccessReason.valueOf(rs.getString("reach")),
                        rs.getString("collaborator_role") == null ? null
                                : CollaboratorRole.valueOf(rs.getString("collaborator_role"))))
                .list();
    }

    long countReachable(UUID organizationId, UUID membershipId, boolean everything, ResourceKind kind) {
        Map<String, Object> params = new HashMap<>();
        return jdbc.sql("SELECT COUNT(*) FROM " + reachSource(organizationId, membershipId, everything, kind, params))
                .params(params).query(Long.class).single();
    }

    /** The resources someone reaches, as a table aliased {@code r}. */
    private static String reachSource(UUID organizationId, UUID membershipId, boolean everything, ResourceKind kind,
                                      Map<String, Object> params) {
        params.put("org", organizationId);
        String kindCondition = "";
        if (kind != null) {
            kindCondition = " AND r.kind = :kind";
            params.put("kind", kind.name());
        }
        if (everything) {
            return "(SELECT r.*, 'ADMIN' AS reach, CAST(NULL AS VARCHAR(16)) AS collaborator_role FROM resource r"
                    + " WHERE r.organization_id = :org" + kindCondition + ") r\n";
        }
        params.put("member", membershipId);
        return MEMBER_REACH.formatted(kindCondition, MembershipJoins.teamIdsOf(":org", ":member"));
    }

    static Resource map(ResultSet rs, int row) throws SQLException {
        OwnerType type = OwnerType.valueOf(rs.getString("owner_type"));
        ResourceOwner owner = switch (type) {
            case ORGANIZATION -> ResourceOwner.organization();
            case TEAM -> ResourceOwner.team(rs.getObject("owner_team_id", UUID.class));
            case MEMBER -> ResourceOwner.member(rs.getObject("owner_membership_id", UUID.class));
        };
        String label = switch (type) {
            case ORGANIZATION -> null;
            case TEAM -> rs.getString("owner_team_name");
            case MEMBER -> rs.getString("owner_member_email");
        };
        return new Resource(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                ResourceKind.valueOf(rs.getString("kind")), rs.getString("name"), owner, label,
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    static Set<GrantSource> sources(List<DecisionRow> rows) {
        Set<GrantSource> sources = EnumSet.noneOf(GrantSource.class);
        for (DecisionRow row : rows) {
            if (row.grantSource() != null) {
                sources.add(row.grantSource());
            }
        }
        return sources;
    }
}
