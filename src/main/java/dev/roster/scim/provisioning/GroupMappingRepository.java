package dev.roster.scim.provisioning;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.roster.membership.MembershipJoins;
import dev.roster.membership.TeamRole;

/**
 * Group mappings of source SCIM, and what they make of a member's groups. The table is shared with SSO (source SSO),
 * so every statement here names the source.
 */
@Repository
class GroupMappingRepository {

    // A SCIM group matches a mapping of its directory by id, externalId or display name.
    static final String MATCHES = " " + """
            gm.organization_id = g.organization_id AND gm.source = 'SCIM' AND gm.source_id = g.directory_id
            AND ((gm.match_by = 'ID' AND gm.match_value_normalized = CAST(g.id AS VARCHAR(36)))
              OR (gm.match_by = 'EXTERNAL_ID' AND gm.match_value = g.external_id)
              OR (gm.match_by = 'DISPLAY_NAME' AND gm.match_value_normalized = g.display_name_normalized))""";

    private final JdbcClient jdbc;

    GroupMappingRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(GroupMapping mapping) {
        jdbc.sql("""
                INSERT INTO group_mapping (id, organization_id, source, source_id, match_by, match_value,
                                           match_value_normalized, admin, team_role, created_at)
                VALUES (?, ?, 'SCIM', ?, ?, ?, ?, ?, ?, ?)""")
                .params(mapping.id(), mapping.organizationId(), mapping.directoryId(), mapping.matchBy().name(),
                        mapping.matchValue(), mapping.matchBy().normalize(mapping.matchValue()), mapping.admin(),
                        mapping.role().name(), Timestamp.from(mapping.createdAt()))
                .update();
        for (GroupMapping.TeamRef team : mapping.teams()) {
            jdbc.sql("INSERT INTO group_mapping_team (mapping_id, organization_id, team_id) VALUES (?, ?, ?)")
                    .params(mapping.id(), mapping.organizationId(), team.id()).update();
        }
    }

    boolean exists(UUID organizationId, UUID directoryId, GroupMapping.MatchBy by, String value) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM group_mapping WHERE organization_id = ? AND source = 'SCIM' AND source_id = ?
                AND match_by = ? AND match_value_normalized = ?""")
                .params(organizationId, directoryId, by.name(), by.normalize(value)).query(Integer.class).single() > 0;
    }

    Optional<GroupMapping> find(UUID organizationId, UUID directoryId, UUID id) {
        return list(organizationId, directoryId, " AND gm.id = :id", Map.of("id", id), 1, 0).stream().findFirst();
    }

    List<GroupMapping> list(UUID organizationId, UUID directoryId, int limit, long offset) {
        return list(organizationId, directoryId, "", Map.of(), limit, offset);
    }

    long count(UUID organizationId, UUID directoryId) {
        return jdbc.sql("SELECT COUNT(*) FROM group_mapping WHERE organization_id = ? AND source = 'SCIM' AND source_id = ?")
                .params(organizationId, directoryId).query(Long.class).single();
    }

    /** Whether any SCIM directory of the organization maps groups at all. */
    boolean anyInOrganization(UUID organizationId) {
        return jdbc.sql("SELECT COUNT(*) FROM group_mapping WHERE organization_id = ? AND source = 'SCIM'")
                .param(organizationId).query(Long.class).single() > 0;
    }

    boolean any(UUID organizationId, UUID directoryId) {
        return count(organizationId, directoryId) > 0;
    }

    void updateRole(UUID organizationId, UUID id, TeamRole role) {
        jdbc.sql("UPDATE group_mapping SET team_role = ? WHERE organization_id = ? AND source = 'SCIM' AND id = ?")
                .params(role.name(), organizationId, id).update();
    }

    void delete(UUID organizationId, UUID id) {
        jdbc.sql("DELETE FROM group_mapping WHERE organization_id = ? AND source = 'SCIM' AND id = ?")
                .params(organizationId, id).update();
    }

    private List<GroupMapping> list(UUID organizationId, UUID directoryId, String extra, Map<String, Object> params,
                                    int limit, long offset) {
        List<GroupMapping> mappings = jdbc.sql("""
                SELECT gm.* FROM group_mapping gm
                WHERE gm.organization_id = :org AND gm.source = 'SCIM' AND gm.source_id = :dir""" + extra
                        + " ORDER BY gm.created_at, gm.id LIMIT :limit OFFSET :offset")
                .param("org", organizationId).param("dir", directoryId).params(params).param("limit", limit)
                .param("offset", offset).query(GroupMappingRepository::map).list();
        if (mappings.isEmpty()) {
            return mappings;
        }
        Map<UUID, List<GroupMapping.TeamRef>> teams = new HashMap<>();
        jdbc.sql("""
                SELECT gmt.mapping_id, t.id, t.name FROM group_mapping_team gmt
                """ + MembershipJoins.joinTeam("t", "gmt.organization_id", "gmt.team_id") + """
                WHERE gmt.organization_id = :org AND gmt.mapping_id IN (:ids) ORDER BY t.name_normalized""")
                .param("org", organizationId).param("ids", mappings.stream().map(GroupMapping::id).toList())
                .query(rs -> {
                    teams.computeIfAbsent(rs.getObject("mapping_id", UUID.class), k -> new ArrayList<>())
                            .add(new GroupMapping.TeamRef(rs.getObject("id", UUID.class), rs.getString("name")));
                });
        return mappings.stream().map(m -> new GroupMapping(m.id(), m.organizationId(), m.directoryId(), m.matchBy(),
                m.matchValue(), m.admin(), teams.getOrDefault(m.id(), List.of()), m.role(), m.createdAt())).toList();
    }

    /** The groups of the directory a mapping matches right now. */
    List<UUID> matchingGroups(UUID organizationId, UUID mappingId) {
        return jdbc.sql("SELECT g.id FROM scim_group g JOIN group_mapping gm ON " + MATCHES
                        + " WHERE gm.organization_id = ? AND gm.id = ?")
                .params(organizationId, mappingId).query(UUID.class).list();
    }

    /** What the mapped groups of each member grant, over every SCIM directory of the organization. */
    Desired desired(UUID organizationId, Collection<UUID> membershipIds) {
        return desired(organizationId, membershipIds, null);
    }

    /** As {@link #desired(UUID, Collection)}, as if the mapping {@code without} (if not null) did not exist. */
    Desired desired(UUID organizationId, Collection<UUID> membershipIds, UUID without) {
        Map<UUID, Map<UUID, TeamRole>> teams = new LinkedHashMap<>();
        Set<UUID> admins = new HashSet<>();
        for (List<UUID> chunk : ScimUserRepository.chunks(membershipIds)) {
            jdbc.sql("""
                    SELECT u.membership_id, gmt.team_id, gm.admin, gm.team_role
                    FROM scim_user u
                    JOIN scim_group_member mem ON mem.user_id = u.id
                    JOIN scim_group g ON g.id = mem.group_id
                    JOIN group_mapping gm ON """ + MATCHES + """

                    LEFT JOIN group_mapping_team gmt ON gmt.mapping_id = gm.id
                    WHERE u.organization_id = :org AND u.membership_id IN (:ids)"""
                            + (without == null ? "" : " AND gm.id <> :without"))
                    .param("org", organizationId).param("ids", chunk)
                    .params(without == null ? Map.of() : Map.of("without", without))
                    .query(rs -> {
                        UUID membership = rs.getObject("membership_id", UUID.class);
                        UUID team = rs.getObject("team_id", UUID.class);
                        Map<UUID, TeamRole> granted = teams.computeIfAbsent(membership, k -> new HashMap<>());
                        if (team != null) {
                            // Several mapped groups may grant one team: the highest role wins.
                            granted.merge(team, TeamRole.valueOf(rs.getString("team_role")), TeamRole::higher);
                        }
                        if (rs.getBoolean("admin")) {
                            admins.add(membership);
                        }
                    });
        }
        return new Desired(teams, admins);
    }

    /** Per member, each team their mapped groups grant with the highest role of those mappings; and who is admin. */
    record Desired(Map<UUID, Map<UUID, TeamRole>> teams, Set<UUID> admins) {

        Set<UUID> teamIds(UUID membershipId) {
            return teams.getOrDefault(membershipId, Map.of()).keySet();
        }
    }

    /**
     * What the organization's SCIM mappings grant to the IdP groups named by a sign-in's group claim: a claim value
     * names a SCIM group by its externalId (Entra sends group object ids, which Entra provisions as externalId) or
     * by its display name (Okta sends group names).
     */
    ClaimGrants forGroupClaims(UUID organizationId, Collection<String> claimValues) {
        Map<UUID, TeamRole> teams = new HashMap<>();
        boolean[] admin = {false};
        List<String> exact = claimValues.stream().filter(v -> v != null && !v.isBlank()).distinct().limit(1000).toList();
        if (exact.isEmpty()) {
            return new ClaimGrants(Map.of(), false);
        }
        List<String> names = exact.stream().map(v -> v.trim().toLowerCase(Locale.ROOT)).distinct().toList();
        jdbc.sql("""
                SELECT gmt.team_id, gm.admin, gm.team_role
                FROM scim_group g
                JOIN group_mapping gm ON """ + MATCHES + """

                LEFT JOIN group_mapping_team gmt ON gmt.mapping_id = gm.id
                WHERE g.organization_id = :org AND (g.external_id IN (:exact) OR g.display_name_normalized IN (:names))""")
                .param("org", organizationId).param("exact", exact).param("names", names)
                .query(rs -> {
                    UUID team = rs.getObject("team_id", UUID.class);
                    if (team != null) {
                        teams.merge(team, TeamRole.valueOf(rs.getString("team_role")), TeamRole::higher);
                    }
                    admin[0] |= rs.getBoolean("admin");
                });
        return new ClaimGrants(Map.copyOf(teams), admin[0]);
    }

    record ClaimGrants(Map<UUID, TeamRole> teams, boolean admin) {
    }

    /** The groups of a directory that a mapping by {@code by} = {@code value} would match right now. */
    List<UUID> groupsMatching(UUID organizationId, UUID directoryId, GroupMapping.MatchBy by, String value) {
        String condition = switch (by) {
            case ID -> "CAST(g.id AS VARCHAR(36)) = :value";
            case EXTERNAL_ID -> "g.external_id = :value";
            case DISPLAY_NAME -> "g.display_name_normalized = :value";
        };
        return jdbc.sql("SELECT g.id FROM scim_group g WHERE g.organization_id = :org AND g.directory_id = :dir AND "
                        + condition)
                .param("org", organizationId).param("dir", directoryId).param("value", by.normalize(value))
                .query(UUID.class).list();
    }

    /** The SCIM mappings of the organization that grant a team, in the order they were made. */
    List<GroupMapping> forTeam(UUID organizationId, UUID teamId) {
        List<GroupMapping> result = new ArrayList<>();
        jdbc.sql("""
                SELECT gm.id, gm.source_id FROM group_mapping gm JOIN group_mapping_team gmt ON gmt.mapping_id = gm.id
                WHERE gm.organization_id = ? AND gm.source = 'SCIM' AND gmt.team_id = ?
                ORDER BY gm.created_at, gm.id""")
                .params(organizationId, teamId)
                .query((rs, row) -> Map.entry(rs.getObject("id", UUID.class), rs.getObject("source_id", UUID.class)))
                .list()
                .forEach(ref -> find(organizationId, ref.getValue(), ref.getKey()).ifPresent(result::add));
        return result;
    }

    /** Mappings (of any source) that grant a team, described for an admin deleting it. */
    List<String> describeForTeam(UUID organizationId, UUID teamId) {
        return jdbc.sql("""
                SELECT gm.source, gm.match_by, gm.match_value FROM group_mapping gm
                JOIN group_mapping_team gmt ON gmt.mapping_id = gm.id
                WHERE gm.organization_id = ? AND gmt.team_id = ? ORDER BY gm.created_at""")
                .params(organizationId, teamId)
                .query((rs, row) -> rs.getString("source") + " group mapping of " + rs.getString("match_by")
                        .toLowerCase(Locale.ROOT) + " '" + rs.getString("match_value") + "' stops granting it")
                .list();
    }

    private static GroupMapping map(ResultSet rs, int row) throws SQLException {
        return new GroupMapping(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getObject("source_id", UUID.class), GroupMapping.MatchBy.valueOf(rs.getString("match_by")),
                rs.getString("match_value"), rs.getBoolean("admin"), List.of(),
                TeamRole.valueOf(rs.getString("team_role")), rs.getTimestamp("created_at").toInstant());
    }
}
