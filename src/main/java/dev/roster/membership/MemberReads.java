package dev.roster.membership;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.account.AccountJoins;
import dev.roster.shared.EmailAddress;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;

/** Reads members: the lists admins page through, the access check of every request, and look-ups by account. */
@Service
@Transactional(readOnly = true)
public class MemberReads {

    private static final int SLICE = 1000;

    private final JdbcClient jdbc;
    private final MembershipRepository memberships;

    MemberReads(JdbcClient jdbc, MembershipRepository memberships) {
        this.jdbc = jdbc;
        this.memberships = memberships;
    }

    /** Filters for the member list; null means "any". {@code search} matches email or name. */
    public record MemberFilter(String search, MembershipStatus status, Boolean admin, UUID teamId) {

        public static MemberFilter none() {
            return new MemberFilter(null, null, null, null);
        }
    }

    /**
     * The caller's membership, read on every organization request. One statement needs no transaction of its own, and
     * without one the request is spared a BEGIN and a COMMIT round trip to the database.
     */
    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public Optional<OrgAccess> access(String slug, UUID accountId) {
        return memberships.access(slug, accountId);
    }

    /** One statement, read at every sign-in (password or SSO): no transaction of its own, like {@link #access}. */
    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public List<OrgAccess> activeOrganizations(UUID accountId) {
        return memberships.activeOrganizations(accountId);
    }

    public Optional<Membership> find(UUID organizationId, UUID membershipId) {
        return memberships.find(organizationId, membershipId);
    }

    public Optional<Membership> findByAccount(UUID organizationId, UUID accountId) {
        return memberships.findByAccount(organizationId, accountId);
    }

    public List<TeamGrant> teams(UUID organizationId, UUID membershipId) {
        return memberships.grants(organizationId, membershipId);
    }

    /** Team grants of many members at once; members without a grant are absent from the map. */
    public Map<UUID, List<TeamGrant>> teams(UUID organizationId, Collection<UUID> membershipIds) {
        return memberships.grants(organizationId, membershipIds);
    }

    /**
     * The teams one source grants each of the members, with the role of that source's grant (not the member's role,
     * which is the highest of every source's): what a directory compares its mappings with.
     */
    public Map<UUID, Map<UUID, TeamRole>> teamRolesFrom(UUID organizationId, GrantSource source,
                                                        Collection<UUID> membershipIds) {
        Map<UUID, Map<UUID, TeamRole>> result = new HashMap<>();
        List<UUID> all = List.copyOf(new LinkedHashSet<>(membershipIds));
        for (int from = 0; from < all.size(); from += SLICE) {
            result.putAll(memberships.grantRoles(organizationId, source, all.subList(from, Math.min(all.size(),
                    from + SLICE))));
        }
        return result;
    }

    /** The memberships among {@code membershipIds} that exist in the organization, in any status. */
    public List<Membership> findAll(UUID organizationId, Collection<UUID> membershipIds) {
        return memberships.findAll(organizationId, membershipIds);
    }

    public Optional<Member> member(UUID organizationId, UUID membershipId) {
        List<Member> found = query(organizationId, " AND m.id = :id", Map.of("id", membershipId), 1, 0);
        return found.stream().findFirst();
    }

    /**
     * The members among {@code membershipIds} that are not removed, with their teams, in email order. For previews
     * of a change to many members at once; read in slices so any number of ids works.
     */
    public List<Member> members(UUID organizationId, Collection<UUID> membershipIds) {
        return inSlices(organizationId, " AND m.id IN (:ids)", membershipIds);
    }

    /** The live (not removed) member with this account address (normalized), for adding collaborators by address. */
    public Optional<Membership> liveByAddress(UUID organizationId, String emailNormalized) {
        return memberships.liveByAddress(organizationId, emailNormalized);
    }

    /** Whether the member holds the maintainer role in the team (through any grant). */
    public boolean isMaintainer(UUID organizationId, UUID teamId, UUID membershipId) {
        return memberships.isMaintainer(organizationId, teamId, membershipId);
    }

    /** The members among {@code membershipIds} whose admin flag the source grants. */
    public Set<UUID> adminGrantedBy(UUID organizationId, GrantSource source, Collection<UUID> membershipIds) {
        return memberships.adminGrantedBy(organizationId, source, membershipIds);
    }

    /** The members among {@code membershipIds} whose admin flag only the source grants (its withdrawal demotes). */
    public Set<UUID> adminOnlyFrom(UUID organizationId, GrantSource source, Collection<UUID> membershipIds) {
        return memberships.adminOnlyFrom(organizationId, source, membershipIds);
    }

    /** The accounts whose admin flag in the organization only the source grants. */
    public Set<UUID> accountsAdminOnlyFrom(UUID organizationId, GrantSource source) {
        return memberships.accountsAdminOnlyFrom(organizationId, source);
    }

    /** As {@link #members}, found by their accounts. */
    public List<Member> membersOfAccounts(UUID organizationId, Collection<UUID> accountIds) {
        return inSlices(organizationId, " AND m.account_id IN (:ids)", accountIds);
    }

    /**
     * Members in any status (removed ones too) with their teams, read in slices: what events carry as the member after
     * a change, inside the change's transaction.
     */
    List<Member> membersInAnyStatus(UUID organizationId, Collection<UUID> membershipIds) {
        List<UUID> all = List.copyOf(new LinkedHashSet<>(membershipIds));
        List<Member> result = new ArrayList<>(all.size());
        for (int from = 0; from < all.size(); from += SLICE) {
            List<UUID> slice = all.subList(from, Math.min(all.size(), from + SLICE));
            result.addAll(read(organizationId, """
                    SELECT m.id, m.account_id, a.email, a.display_name, m.admin, m.status, m.source, m.created_at
                    FROM membership m""" + AccountJoins.join("a", "m.account_id") + """
                    WHERE m.organization_id = :org AND m.id IN (:ids)
                    ORDER BY m.email_normalized, m.id LIMIT :limit OFFSET :offset""", Map.of("ids", slice),
                    slice.size(), 0));
        }
        return result;
    }

    private List<Member> inSlices(UUID organizationId, String where, Collection<UUID> ids) {
        List<UUID> all = List.copyOf(new LinkedHashSet<>(ids));
        List<Member> result = new ArrayList<>(all.size());
        for (int from = 0; from < all.size(); from += SLICE) {
            List<UUID> slice = all.subList(from, Math.min(all.size(), from + SLICE));
            result.addAll(query(organizationId, where, Map.of("ids", slice), slice.size(), 0));
        }
        return result;
    }

    /**
     * Active members whose display name contains {@code query} (all named members when it is blank), by name: what
     * someone who may not read the member list (a team maintainer adding a collaborator) may search, since a match on
     * an address would tell them addresses. Members without a name are not found this way.
     */
    public PageResult<Member> namedMembers(UUID organizationId, String query, PageQuery page) {
        Map<String, Object> params = new HashMap<>();
        String where = " AND m.status = 'ACTIVE' AND a.display_name IS NOT NULL AND a.display_name <> ''";
        if (query != null && !query.isBlank()) {
            where += " AND LOWER(a.display_name) LIKE :search";
            params.put("search", "%" + query.trim().toLowerCase(Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM membership m" + AccountJoins.join("a", "m.account_id")
                        + " WHERE m.organization_id = :org" + where)
                .param("org", organizationId).params(params).query(Long.class).single();
        List<Member> items = read(organizationId, """
                SELECT m.id, m.account_id, a.email, a.display_name, m.admin, m.status, m.source, m.created_at
                FROM membership m""" + AccountJoins.join("a", "m.account_id") + """
                WHERE m.organization_id = :org""" + where
                + " ORDER BY LOWER(a.display_name), m.id LIMIT :limit OFFSET :offset", params, page.size(),
                page.offset());
        return PageResult.of(items, page, total);
    }

    /**
     * Where a page of the member list starts when it continues after a member rather than at a page number: the list's
     * order is (address, membership id), so the next page is what comes after the last member of the page before, and
     * costs the same anywhere in the list.
     */
    public record Position(String emailNormalized, UUID membershipId) {

        public static Position after(Member member) {
            return new Position(EmailAddress.normalize(member.email()), member.id());
        }
    }

    public PageResult<Member> list(UUID organizationId, MemberFilter filter, PageQuery page) {
        return list(organizationId, filter, page, null);
    }

    /** A page of the member list; with {@code after}, the page that follows that member ({@code page} must be 0). */
    public PageResult<Member> list(UUID organizationId, MemberFilter filter, PageQuery page, Position after) {
        StringBuilder where = new StringBuilder();
        Map<String, Object> params = new HashMap<>();
        if (filter.search() != null && !filter.search().isBlank()) {
            where.append(" AND (a.email_normalized LIKE :search OR LOWER(a.display_name) LIKE :search)");
            params.put("search", "%" + filter.search().trim().toLowerCase(Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (filter.status() != null) {
            where.append(" AND m.status = :status");
            params.put("status", filter.status().name());
        }
        if (filter.admin() != null) {
            where.append(" AND m.admin = :admin");
            params.put("admin", filter.admin());
        }
        if (filter.teamId() != null) {
            where.append(" AND EXISTS (SELECT 1 FROM team_membership tm WHERE tm.membership_id = m.id AND tm.team_id = :team)");
            params.put("team", filter.teamId());
        }
        boolean byAccount = params.containsKey("search");
        long total = jdbc.sql("SELECT COUNT(*) FROM membership m" + (byAccount ? AccountJoins.join("a", "m.account_id")
                        : "") + " WHERE m.organization_id = :org AND m.status <> 'REMOVED'" + where)
                .param("org", organizationId).params(params).query(Long.class).single();
        if (after != null) {
            where.append(" AND (m.email_normalized > :afterEmail OR (m.email_normalized = :afterEmail AND m.id > :afterId))");
            params.put("afterEmail", after.emailNormalized());
            params.put("afterId", after.membershipId());
        }
        List<Member> items = byAccount
                ? searched(organizationId, where.toString(), params, page.size(), page.offset())
                : query(organizationId, where.toString(), params, page.size(), page.offset());
        return PageResult.of(items, page, total);
    }

    /**
     * A page of members whose conditions are on the membership: the page is cut from the organization's memberships
     * alone, in the order of their index, and only its rows are joined to their accounts (joining first made every row
     * that OFFSET skips cost an account look-up).
     */
    private List<Member> query(UUID organizationId, String where, Map<String, Object> params, int limit, long offset) {
        return read(organizationId, """
                SELECT m.id, m.account_id, a.email, a.display_name, m.admin, m.status, m.source, m.created_at
                FROM (SELECT m.* FROM membership m
                      WHERE m.organization_id = :org AND m.status <> 'REMOVED'""" + where
                + " ORDER BY m.email_normalized, m.id LIMIT :limit OFFSET :offset) m"
                + AccountJoins.join("a", "m.account_id") + " ORDER BY m.email_normalized, m.id", params, limit, offset);
    }

    /** A page of members whose conditions are on their accounts too (a search by name or address). */
    private List<Member> searched(UUID organizationId, String where, Map<String, Object> params, int limit,
                                  long offset) {
        return read(organizationId, """
                SELECT m.id, m.account_id, a.email, a.display_name, m.admin, m.status, m.source, m.created_at
                FROM membership m""" + AccountJoins.join("a", "m.account_id") + """
                WHERE m.organization_id = :org AND m.status <> 'REMOVED'""" + where
                + " ORDER BY m.email_normalized, m.id LIMIT :limit OFFSET :offset", params, limit, offset);
    }

    /**
     * The page's members, then their team grants and the sources of their admin flags, one statement each for the
     * whole page. Admin sources are asked for only for the page's admins, and not at all for a page without one (most
     * pages of a large organization): a member who is no admin has none to show.
     */
    private List<Member> read(UUID organizationId, String sql, Map<String, Object> params, int limit, long offset) {
        List<Member> rows = jdbc.sql(sql)
                .param("org", organizationId).params(params).param("limit", limit).param("offset", offset)
                .query((rs, row) -> new Member(rs.getObject("id", UUID.class), rs.getObject("account_id", UUID.class),
                        rs.getString("email"), rs.getString("display_name"), rs.getBoolean("admin"), Set.of(),
                        MembershipStatus.valueOf(rs.getString("status")),
                        MembershipSource.valueOf(rs.getString("source")), List.of(),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
        Map<UUID, List<TeamGrant>> grants = memberships.grants(organizationId, rows.stream().map(Member::id).toList());
        Map<UUID, Set<GrantSource>> adminSources = memberships.adminSources(organizationId,
                rows.stream().filter(Member::admin).map(Member::id).toList());
        List<Member> result = new ArrayList<>(rows.size());
        for (Member m : rows) {
            result.add(new Member(m.id(), m.accountId(), m.email(), m.displayName(), m.admin(),
                    adminSources.getOrDefault(m.id(), Set.of()), m.status(), m.source(),
                    grants.getOrDefault(m.id(), List.of()), m.joinedAt()));
        }
        return result;
    }
}
