package dev.roster.membership;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.roster.account.AccountJoins;
import dev.roster.shared.database.DeferredWrite;
import dev.roster.shared.database.DeferredWrites;
import dev.roster.shared.database.TableStatistics;
import dev.roster.shared.Channel;

/** Memberships and team grants. Every statement names the organization, so no id from a client crosses tenants. */
@Repository
class MembershipRepository {

    private final JdbcClient jdbc;

    private final TableStatistics statistics;

    private final DeferredWrites deferred;

    MembershipRepository(JdbcClient jdbc, TableStatistics statistics, DeferredWrites deferred) {
        this.jdbc = jdbc;
        this.statistics = statistics;
        this.deferred = deferred;
    }

    Optional<Membership> find(UUID organizationId, UUID membershipId) {
        return jdbc.sql("SELECT * FROM membership WHERE organization_id = ? AND id = ?")
                .params(organizationId, membershipId).query(MembershipRepository::map).optional();
    }

    Optional<Membership> findByAccount(UUID organizationId, UUID accountId) {
        return jdbc.sql("SELECT * FROM membership WHERE organization_id = ? AND account_id = ?")
                .params(organizationId, accountId).query(MembershipRepository::map).optional();
    }

    Optional<Membership> lock(UUID organizationId, UUID membershipId) {
        return jdbc.sql("SELECT * FROM membership WHERE organization_id = ? AND id = ? FOR UPDATE")
                .params(organizationId, membershipId).query(MembershipRepository::map).optional();
    }

    Optional<Membership> lockByAccount(UUID organizationId, UUID accountId) {
        return jdbc.sql("SELECT * FROM membership WHERE organization_id = ? AND account_id = ? FOR UPDATE")
                .params(organizationId, accountId).query(MembershipRepository::map).optional();
    }

    /**
     * Locks the account's membership and, when it is an active admin whose admin flag {@code source} grants, the
     * organization's active admins with it, all in id order: the order of {@link #lockActiveAdmins} followed by the
     * member, which every demotion keeps, so a withdrawal of the source's grant that follows waits on a demotion (or
     * makes it wait) rather than deadlocking with it. Answers the account's row.
     */
    Optional<Membership> lockByAccountWithAdminsIfGrantedBy(UUID organizationId, UUID accountId, GrantSource source) {
        return jdbc.sql("""
                SELECT * FROM membership
                WHERE organization_id = :org AND (account_id = :account OR (admin = TRUE AND status = 'ACTIVE'
                    AND EXISTS (SELECT 1 FROM membership me JOIN membership_admin_grant g
                                    ON g.organization_id = me.organization_id AND g.membership_id = me.id
                                       AND g.source = :source
                                WHERE me.organization_id = :org AND me.account_id = :account AND me.admin = TRUE
                                  AND me.status = 'ACTIVE')))
                ORDER BY id FOR UPDATE""")
                .param("org", organizationId).param("account", accountId).param("source", source.name())
                .query(MembershipRepository::map).list().stream()
                .filter(m -> m.accountId().equals(accountId)).findFirst();
    }

    /**
     * Locks the organization's active admins, always in id order, and counts them. Two admins demoting each other at
     * once are serialized here: the second sees the first's change once it commits and is refused.
     */
    int lockActiveAdmins(UUID organizationId) {
        return jdbc.sql("""
                SELECT id FROM membership WHERE organization_id = ? AND admin = TRUE AND status = 'ACTIVE'
                ORDER BY id FOR UPDATE""")
                .param(organizationId).query(UUID.class).list().size();
    }

    /** Inserts the membership with a copy of its account's address, the member list's order (V70). */
    void insert(Membership m) {
        // Handed over rather than run: it goes with the transaction's next statement or its commit, so a SCIM
        // create's membership travels with the rest of the create (DeferredWrites). A read that follows sees it;
        // the account's row is this transaction's or committed, so the one row is written unless a caller got the
        // account wrong, which still fails the transaction.
        deferred.beforeNextStatement(DeferredWrite.of("membership", """
                INSERT INTO membership (id, organization_id, account_id, admin, status, source, status_changed_by,
                                        created_at, updated_at, email_normalized)
                SELECT ?, ?, a.id, ?, ?, ?, ?, ?, ?, a.email_normalized FROM\s""" + AccountJoins.table("a")
                + " WHERE a.id = ?", 9, DeferredWrite.values(m.id(), m.organizationId(), m.admin(), m.status().name(),
                        m.source().name(), m.statusChangedBy().name(), Timestamp.from(m.createdAt()),
                        Timestamp.from(m.updatedAt()), m.accountId()), 1));
        statistics.inserted("membership", 1);
    }

    void update(Membership m) {
        jdbc.sql("""
                UPDATE membership SET admin = ?, status = ?, source = ?, status_changed_by = ?, updated_at = ?
                WHERE organization_id = ? AND id = ?""")
                .params(m.admin(), m.status().name(), m.source().name(), m.statusChangedBy().name(),
                        Timestamp.from(m.updatedAt()), m.organizationId(), m.id())
                .update();
    }

    Optional<OrgAccess> access(String slug, UUID accountId) {
        return jdbc.sql("""
                SELECT o.id AS org_id, o.slug, o.name, o.require_two_factor, m.id AS membership_id, m.admin, m.status
                FROM organization o
                LEFT JOIN membership m ON m.organization_id = o.id AND m.account_id = ?
                WHERE o.slug = ? AND o.deleted_at IS NULL""")
                .params(accountId, slug)
                .query((rs, row) -> new OrgAccess(rs.getObject("org_id", UUID.class), rs.getString("slug"),
                        rs.getString("name"), rs.getBoolean("require_two_factor"),
                        rs.getObject("membership_id", UUID.class), rs.getBoolean("admin"),
                        rs.getString("status") == null ? null : MembershipStatus.valueOf(rs.getString("status"))))
                .optional();
    }

    /** The organizations an account is an active member of, for the organization switcher and sign-in. */
    List<OrgAccess> activeOrganizations(UUID accountId) {
        return jdbc.sql("""
                SELECT o.id AS org_id, o.slug, o.name, o.require_two_factor, m.id AS membership_id, m.admin, m.status
                FROM membership m JOIN organization o ON o.id = m.organization_id
                WHERE m.account_id = ? AND m.status = 'ACTIVE' AND o.deleted_at IS NULL
                ORDER BY o.name, o.slug""")
                .param(accountId)
                .query((rs, row) -> new OrgAccess(rs.getObject("org_id", UUID.class), rs.getString("slug"),
                        rs.getString("name"), rs.getBoolean("require_two_factor"),
                        rs.getObject("membership_id", UUID.class), rs.getBoolean("admin"),
                        MembershipStatus.valueOf(rs.getString("status"))))
                .list();
    }

    /**
     * Locks the live (not removed) memberships among {@code membershipIds}, in id order so that two batches over
     * overlapping members never deadlock.
     */
    List<Membership> lockLive(UUID organizationId, Collection<UUID> membershipIds) {
        if (membershipIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT * FROM membership
                WHERE organization_id = :org AND id IN (:ids) AND status <> 'REMOVED'
                ORDER BY id FOR UPDATE""")
                .param("org", organizationId).param("ids", membershipIds).query(MembershipRepository::map).list();
    }

    List<Membership> findAll(UUID organizationId, Collection<UUID> membershipIds) {
        if (membershipIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT * FROM membership WHERE organization_id = :org AND id IN (:ids)")
                .param("org", organizationId).param("ids", membershipIds).query(MembershipRepository::map).list();
    }

    Optional<Membership> liveByAddress(UUID organizationId, String emailNormalized) {
        return jdbc.sql("SELECT m.* FROM membership m" + AccountJoins.join("a", "m.account_id") + """
                WHERE m.organization_id = ? AND a.email_normalized = ? AND m.status <> 'REMOVED'""")
                .params(organizationId, emailNormalized).query(MembershipRepository::map).optional();
    }

    boolean isMaintainer(UUID organizationId, UUID teamId, UUID membershipId) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM team_membership
                WHERE organization_id = ? AND team_id = ? AND membership_id = ? AND role = 'MAINTAINER'""")
                .params(organizationId, teamId, membershipId).query(Long.class).single() > 0;
    }

    /** The email of each membership's account, for audit entries that name many members. */
    Map<UUID, String> emails(UUID organizationId, Collection<UUID> membershipIds) {
        if (membershipIds.isEmpty()) {
            return Map.of();
        }
        Map<UUID, String> result = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT m.id, a.email FROM membership m""" + AccountJoins.join("a", "m.account_id") + """
                WHERE m.organization_id = :org AND m.id IN (:ids) ORDER BY a.email_normalized""")
                .param("org", organizationId).param("ids", membershipIds)
                .query(rs -> {
                    result.put(rs.getObject("id", UUID.class), rs.getString("email"));
                });
        return result;
    }

    // --- admin grants (membership.admin is true while any exists)

    /** Adds the source's admin grant; true when it is new. */
    boolean insertAdminGrant(UUID organizationId, UUID membershipId, GrantSource source, Instant now) {
        if (adminSources(organizationId, membershipId).contains(source)) {
            return false;
        }
        insertNewAdminGrant(organizationId, membershipId, source, now);
        return true;
    }

    /**
     * Adds the source's admin grant for a caller that has just read the member's sources ({@link #adminSources}),
     * the member's row locked, and found none from it: {@link #insertAdminGrant} would read them a second time.
     */
    void insertNewAdminGrant(UUID organizationId, UUID membershipId, GrantSource source, Instant now) {
        jdbc.sql("""
                INSERT INTO membership_admin_grant (organization_id, membership_id, source, created_at)
                VALUES (?, ?, ?, ?)""")
                .params(organizationId, membershipId, source.name(), Timestamp.from(now)).update();
    }

    boolean deleteAdminGrant(UUID organizationId, UUID membershipId, GrantSource source) {
        return jdbc.sql("""
                DELETE FROM membership_admin_grant WHERE organization_id = ? AND membership_id = ? AND source = ?""")
                .params(organizationId, membershipId, source.name()).update() > 0;
    }

    void deleteAdminGrants(UUID organizationId, UUID membershipId) {
        jdbc.sql("DELETE FROM membership_admin_grant WHERE organization_id = ? AND membership_id = ?")
                .params(organizationId, membershipId).update();
    }

    Set<GrantSource> adminSources(UUID organizationId, UUID membershipId) {
        Set<GrantSource> sources = EnumSet.noneOf(GrantSource.class);
        jdbc.sql("SELECT source FROM membership_admin_grant WHERE organization_id = ? AND membership_id = ?")
                .params(organizationId, membershipId).query(String.class).list()
                .forEach(source -> sources.add(GrantSource.valueOf(source)));
        return sources;
    }

    /**
     * The sources of each member's admin flag, for a page of members read at once; members without a grant are absent.
     * One statement for the page, found by the grant table's primary key (membership, source); a generic plan also
     * reads the organization's index, whose size is its admin grants, not its members (docs/benchmarks.md).
     */
    Map<UUID, Set<GrantSource>> adminSources(UUID organizationId, Collection<UUID> membershipIds) {
        if (membershipIds.isEmpty()) {
            return Map.of();
        }
        Map<UUID, Set<GrantSource>> result = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT membership_id, source FROM membership_admin_grant
                WHERE organization_id = :org AND membership_id IN (:ids)""")
                .param("org", organizationId).param("ids", membershipIds)
                .query(rs -> {
                    result.computeIfAbsent(rs.getObject("membership_id", UUID.class),
                            k -> EnumSet.noneOf(GrantSource.class)).add(GrantSource.valueOf(rs.getString("source")));
                });
        return result;
    }

    /** The members among {@code membershipIds} the source has made admins. */
    Set<UUID> adminGrantedBy(UUID organizationId, GrantSource source, Collection<UUID> membershipIds) {
        if (membershipIds.isEmpty()) {
            return Set.of();
        }
        Set<UUID> result = new java.util.HashSet<>();
        for (List<UUID> slice : slices(membershipIds)) {
            result.addAll(jdbc.sql("""
                    SELECT membership_id FROM membership_admin_grant
                    WHERE organization_id = :org AND source = :source AND membership_id IN (:ids)""")
                    .param("org", organizationId).param("source", source.name()).param("ids", slice)
                    .query(UUID.class).list());
        }
        return result;
    }

    /**
     * The members among {@code membershipIds} whose admin flag only the source grants: those the source's withdrawal
     * would demote.
     */
    Set<UUID> adminOnlyFrom(UUID organizationId, GrantSource source, Collection<UUID> membershipIds) {
        if (membershipIds.isEmpty()) {
            return Set.of();
        }
        Set<UUID> result = new java.util.HashSet<>();
        for (List<UUID> slice : slices(membershipIds)) {
            result.addAll(jdbc.sql(ONLY_FROM + " AND g.membership_id IN (:ids)")
                    .param("org", organizationId).param("source", source.name()).param("ids", slice)
                    .query(UUID.class).list());
        }
        return result;
    }

    /** The accounts whose admin flag in the organization only the source grants. */
    Set<UUID> accountsAdminOnlyFrom(UUID organizationId, GrantSource source) {
        return Set.copyOf(jdbc.sql("SELECT m.account_id FROM membership m WHERE m.organization_id = :org"
                        + " AND m.id IN (" + ONLY_FROM + ")")
                .param("org", organizationId).param("source", source.name()).query(UUID.class).list());
    }

    private static final String ONLY_FROM = """
            SELECT g.membership_id FROM membership_admin_grant g
            WHERE g.organization_id = :org AND g.source = :source
              AND NOT EXISTS (SELECT 1 FROM membership_admin_grant o
                              WHERE o.organization_id = g.organization_id AND o.membership_id = g.membership_id
                                AND o.source <> g.source)""";

    private static List<List<UUID>> slices(Collection<UUID> ids) {
        List<UUID> all = List.copyOf(ids);
        List<List<UUID>> slices = new ArrayList<>();
        for (int from = 0; from < all.size(); from += 1000) {
            slices.add(all.subList(from, Math.min(all.size(), from + 1000)));
        }
        return slices;
    }

    // --- team grants

    boolean insertGrant(UUID organizationId, UUID teamId, UUID membershipId, GrantSource source, Instant now) {
        return insertGrant(organizationId, teamId, membershipId, source, TeamRole.MEMBER, now);
    }

    boolean insertGrant(UUID organizationId, UUID teamId, UUID membershipId, GrantSource source, TeamRole role,
                        Instant now) {
        int exists = jdbc.sql("""
                SELECT COUNT(*) FROM team_membership
                WHERE organization_id = ? AND team_id = ? AND membership_id = ? AND source = ?""")
                .params(organizationId, teamId, membershipId, source.name()).query(Integer.class).single();
        if (exists > 0) {
            return false;
        }
        jdbc.sql("""
                INSERT INTO team_membership (organization_id, team_id, membership_id, source, role, created_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(organizationId, teamId, membershipId, source.name(), role.name(), Timestamp.from(now)).update();
        return true;
    }

    boolean deleteGrant(UUID organizationId, UUID teamId, UUID membershipId, GrantSource source) {
        return jdbc.sql("""
                DELETE FROM team_membership
                WHERE organization_id = ? AND team_id = ? AND membership_id = ? AND source = ?""")
                .params(organizationId, teamId, membershipId, source.name()).update() > 0;
    }

    /** Which of {@code membershipIds} hold a grant of the team from the source. */
    Set<UUID> holdingGrant(UUID organizationId, UUID teamId, GrantSource source, Collection<UUID> membershipIds) {
        if (membershipIds.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("""
                SELECT membership_id FROM team_membership
                WHERE organization_id = :org AND team_id = :team AND source = :source AND membership_id IN (:ids)""")
                .param("org", organizationId).param("team", teamId).param("source", source.name())
                .param("ids", membershipIds).query(UUID.class).list());
    }

    void insertGrants(UUID organizationId, UUID teamId, Collection<UUID> membershipIds, GrantSource source,
                      TeamRole role, Instant now) {
        if (membershipIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                INSERT INTO team_membership (organization_id, team_id, membership_id, source, role, created_at)
                SELECT m.organization_id, :team, m.id, :source, :role, :now FROM membership m
                WHERE m.organization_id = :org AND m.id IN (:ids)""")
                .param("org", organizationId).param("team", teamId).param("source", source.name())
                .param("role", role.name()).param("now", Timestamp.from(now)).param("ids", membershipIds).update();
    }

    /** Sets the role of one source's grant of a team for many members; those without the grant are left alone. */
    void setGrantRoles(UUID organizationId, UUID teamId, Collection<UUID> membershipIds, GrantSource source,
                       TeamRole role) {
        if (membershipIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                UPDATE team_membership SET role = :role
                WHERE organization_id = :org AND team_id = :team AND source = :source AND membership_id IN (:ids)""")
                .param("role", role.name()).param("org", organizationId).param("team", teamId)
                .param("source", source.name()).param("ids", membershipIds).update();
    }

    /** The teams one source grants each member, with the role of that source's grant. */
    Map<UUID, Map<UUID, TeamRole>> grantRoles(UUID organizationId, GrantSource source, Collection<UUID> membershipIds) {
        Map<UUID, Map<UUID, TeamRole>> result = new LinkedHashMap<>();
        if (membershipIds.isEmpty()) {
            return result;
        }
        jdbc.sql("""
                SELECT membership_id, team_id, role FROM team_membership
                WHERE organization_id = :org AND source = :source AND membership_id IN (:ids)""")
                .param("org", organizationId).param("source", source.name()).param("ids", membershipIds)
                .query(rs -> {
                    result.computeIfAbsent(rs.getObject("membership_id", UUID.class), k -> new LinkedHashMap<>())
                            .put(rs.getObject("team_id", UUID.class), TeamRole.valueOf(rs.getString("role")));
                });
        return result;
    }

    /**
     * Each member's role in the given teams, the highest of their grants from every source; a team the member is
     * not in is absent. What a change is compared with to tell whether a member's role in a team changed.
     */
    Map<UUID, Map<UUID, TeamRole>> effectiveRoles(UUID organizationId, Collection<UUID> teamIds,
                                                  Collection<UUID> membershipIds) {
        Map<UUID, Map<UUID, TeamRole>> result = new LinkedHashMap<>();
        if (teamIds.isEmpty() || membershipIds.isEmpty()) {
            return result;
        }
        jdbc.sql("""
                SELECT membership_id, team_id, role FROM team_membership
                WHERE organization_id = :org AND team_id IN (:teams) AND membership_id IN (:ids)""")
                .param("org", organizationId).param("teams", teamIds).param("ids", membershipIds)
                .query(rs -> {
                    TeamRole role = TeamRole.valueOf(rs.getString("role"));
                    result.computeIfAbsent(rs.getObject("membership_id", UUID.class), k -> new LinkedHashMap<>())
                            .merge(rs.getObject("team_id", UUID.class), role, TeamRole::higher);
                });
        return result;
    }

    void deleteGrants(UUID organizationId, UUID teamId, Collection<UUID> membershipIds, GrantSource source) {
        if (membershipIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                DELETE FROM team_membership
                WHERE organization_id = :org AND team_id = :team AND source = :source AND membership_id IN (:ids)""")
                .param("org", organizationId).param("team", teamId).param("source", source.name())
                .param("ids", membershipIds).update();
    }

    /** Sets the role of one source's grant; false when the member holds no such grant. */
    boolean setGrantRole(UUID organizationId, UUID teamId, UUID membershipId, GrantSource source, TeamRole role) {
        return jdbc.sql("""
                UPDATE team_membership SET role = ?
                WHERE organization_id = ? AND team_id = ? AND membership_id = ? AND source = ?""")
                .params(role.name(), organizationId, teamId, membershipId, source.name()).update() > 0;
    }

    /** The role of one source's grant, if the member holds it. */
    Optional<TeamRole> grantRole(UUID organizationId, UUID teamId, UUID membershipId, GrantSource source) {
        return jdbc.sql("""
                SELECT role FROM team_membership
                WHERE organization_id = ? AND team_id = ? AND membership_id = ? AND source = ?""")
                .params(organizationId, teamId, membershipId, source.name()).query(String.class).optional()
                .map(TeamRole::valueOf);
    }

    /** Who holds the team, through which sources (any status: a suspended member keeps their grants). */
    Map<UUID, Set<GrantSource>> holdersOfTeam(UUID organizationId, UUID teamId) {
        Map<UUID, Set<GrantSource>> holders = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT membership_id, source FROM team_membership WHERE organization_id = ? AND team_id = ?
                ORDER BY membership_id, source""")
                .params(organizationId, teamId)
                .query(rs -> {
                    holders.computeIfAbsent(rs.getObject("membership_id", UUID.class),
                            k -> EnumSet.noneOf(GrantSource.class)).add(GrantSource.valueOf(rs.getString("source")));
                });
        return holders;
    }

    void deleteGrantsOfTeam(UUID organizationId, UUID teamId) {
        jdbc.sql("DELETE FROM team_membership WHERE organization_id = ? AND team_id = ?")
                .params(organizationId, teamId).update();
    }

    int deleteAllGrants(UUID organizationId, UUID membershipId) {
        return jdbc.sql("DELETE FROM team_membership WHERE organization_id = ? AND membership_id = ?")
                .params(organizationId, membershipId).update();
    }

    List<TeamGrant> grants(UUID organizationId, UUID membershipId) {
        return grants(organizationId, List.of(membershipId)).getOrDefault(membershipId, List.of());
    }

    Map<UUID, List<TeamGrant>> grants(UUID organizationId, Collection<UUID> membershipIds) {
        if (membershipIds.isEmpty()) {
            return Map.of();
        }
        Map<UUID, Map<UUID, TeamGrant>> byMember = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT tm.membership_id, tm.team_id, t.name, tm.source, tm.role
                FROM team_membership tm JOIN team t ON t.id = tm.team_id
                WHERE tm.organization_id = :org AND tm.membership_id IN (:ids)
                ORDER BY t.name_normalized, tm.source""")
                .param("org", organizationId).param("ids", membershipIds)
                .query(rs -> {
                    UUID memberId = rs.getObject("membership_id", UUID.class);
                    UUID teamId = rs.getObject("team_id", UUID.class);
                    GrantSource source = GrantSource.valueOf(rs.getString("source"));
                    String teamName = rs.getString("name");
                    TeamRole role = TeamRole.valueOf(rs.getString("role"));
                    byMember.computeIfAbsent(memberId, k -> new LinkedHashMap<>())
                            .compute(teamId, (k, grant) -> {
                                Set<GrantSource> sources = grant == null ? EnumSet.noneOf(GrantSource.class)
                                        : EnumSet.copyOf(grant.sources());
                                sources.add(source);
                                TeamRole highest = grant == null || role.compareTo(grant.role()) > 0 ? role
                                        : grant.role();
                                return new TeamGrant(teamId, teamName, Set.copyOf(sources), highest);
                            });
                });
        Map<UUID, List<TeamGrant>> result = new LinkedHashMap<>();
        byMember.forEach((id, grants) -> result.put(id, new ArrayList<>(grants.values())));
        return result;
    }

    static Membership map(ResultSet rs, int row) throws SQLException {
        return new Membership(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getObject("account_id", UUID.class), rs.getBoolean("admin"),
                MembershipStatus.valueOf(rs.getString("status")), MembershipSource.valueOf(rs.getString("source")),
                Channel.valueOf(rs.getString("status_changed_by")), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
