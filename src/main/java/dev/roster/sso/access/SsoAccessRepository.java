package dev.roster.sso.access;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.roster.membership.MembershipJoins;
import dev.roster.linking.LinkBasis;
import dev.roster.membership.TeamRole;

/** Access grants, group mappings and linked identities. Every statement names the organization. */
@Repository
public class SsoAccessRepository {

    private final JdbcClient jdbc;

    SsoAccessRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<AccessGrant> grants(UUID organizationId, UUID connectionId) {
        return jdbc.sql("""
                SELECT * FROM sso_access_grant WHERE organization_id = ? AND connection_id = ?
                ORDER BY kind, grant_value""")
                .params(organizationId, connectionId)
                .query((rs, row) -> new AccessGrant(rs.getObject("id", UUID.class),
                        rs.getObject("connection_id", UUID.class), AccessGrant.Kind.valueOf(rs.getString("kind")),
                        rs.getString("grant_value"), rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    public boolean grantExists(UUID organizationId, UUID connectionId, AccessGrant.Kind kind, String value) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM sso_access_grant
                WHERE organization_id = ? AND connection_id = ? AND kind = ? AND grant_value = ?""")
                .params(organizationId, connectionId, kind.name(), value).query(Integer.class).single() > 0;
    }

    void insertGrant(UUID organizationId, AccessGrant grant) {
        jdbc.sql("""
                INSERT INTO sso_access_grant (id, organization_id, connection_id, kind, grant_value, created_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(grant.id(), organizationId, grant.connectionId(), grant.kind().name(), grant.value(),
                        Timestamp.from(grant.createdAt()))
                .update();
    }

    Optional<AccessGrant> deleteGrant(UUID organizationId, UUID connectionId, UUID grantId) {
        Optional<AccessGrant> grant = grants(organizationId, connectionId).stream()
                .filter(g -> g.id().equals(grantId)).findFirst();
        grant.ifPresent(g -> jdbc.sql("DELETE FROM sso_access_grant WHERE organization_id = ? AND id = ?")
                .params(organizationId, grantId).update());
        return grant;
    }

    public List<GroupMapping> mappings(UUID organizationId, UUID connectionId) {
        return jdbc.sql("""
                SELECT g.*, t.name AS team_name FROM sso_group_mapping g
                """ + MembershipJoins.leftJoinTeam("t", "g.organization_id", "g.team_id") + """
                WHERE g.organization_id = ? AND g.connection_id = ?
                ORDER BY g.group_value, t.name_normalized""")
                .params(organizationId, connectionId).query(this::mapping).list();
    }

    public List<GroupMapping> mappingsFor(UUID organizationId, UUID connectionId, Collection<String> groupValues) {
        if (groupValues.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT g.*, t.name AS team_name FROM sso_group_mapping g
                """ + MembershipJoins.leftJoinTeam("t", "g.organization_id", "g.team_id") + """
                WHERE g.organization_id = :org AND g.connection_id = :connection AND g.group_value IN (:groups)""")
                .param("org", organizationId).param("connection", connectionId).param("groups", groupValues)
                .query(this::mapping).list();
    }

    List<GroupMapping> mappingsForTeam(UUID organizationId, UUID teamId) {
        return jdbc.sql("""
                SELECT g.*, t.name AS team_name FROM sso_group_mapping g
                """ + MembershipJoins.joinTeam("t", "g.organization_id", "g.team_id") + """
                WHERE g.organization_id = ? AND g.team_id = ?""")
                .params(organizationId, teamId).query(this::mapping).list();
    }

    void insertMapping(UUID organizationId, GroupMapping m) {
        jdbc.sql("""
                INSERT INTO sso_group_mapping (id, organization_id, connection_id, group_value, group_display_name,
                                               team_id, team_role, admin, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(m.id(), organizationId, m.connectionId(), m.groupValue(), m.groupDisplayName(), m.teamId(),
                        m.role().name(), m.admin(), Timestamp.from(m.createdAt()))
                .update();
    }

    void updateMappingName(UUID organizationId, UUID mappingId, String displayName) {
        jdbc.sql("UPDATE sso_group_mapping SET group_display_name = ? WHERE organization_id = ? AND id = ?")
                .params(displayName, organizationId, mappingId).update();
    }

    void updateMappingRole(UUID organizationId, UUID mappingId, TeamRole role) {
        jdbc.sql("UPDATE sso_group_mapping SET team_role = ? WHERE organization_id = ? AND id = ?")
                .params(role.name(), organizationId, mappingId).update();
    }

    void deleteMapping(UUID organizationId, UUID mappingId) {
        jdbc.sql("DELETE FROM sso_group_mapping WHERE organization_id = ? AND id = ?")
                .params(organizationId, mappingId).update();
    }

    // --- identities

    /** A linked identity: its account, and why it was linked (null: not recorded). */
    public record Identity(UUID accountId, LinkBasis basis) {
    }

    public Optional<Identity> identity(UUID organizationId, UUID connectionId, String subject) {
        return jdbc.sql("""
                SELECT account_id, link_basis FROM sso_identity
                WHERE organization_id = ? AND connection_id = ? AND subject = ?""")
                .params(organizationId, connectionId, subject)
                .query((rs, row) -> new Identity(rs.getObject("account_id", UUID.class),
                        rs.getString("link_basis") == null ? null : LinkBasis.valueOf(rs.getString("link_basis"))))
                .optional();
    }

    public void saveIdentity(UUID organizationId, UUID connectionId, String subject, UUID accountId, String groups,
                             LinkBasis basis, Instant now) {
        int updated = jdbc.sql("""
                UPDATE sso_identity SET account_id = ?, groups_seen = ?, link_basis = ?,
                       last_login_at = ?
                WHERE organization_id = ? AND connection_id = ? AND subject = ?""")
                .params(accountId, groups, basis.name(), Timestamp.from(now), organizationId,
                        connectionId, subject)
                .update();
        if (updated == 0) {
            jdbc.sql("""
                    INSERT INTO sso_identity (organization_id, connection_id, subject, account_id,
                                              groups_seen, link_basis, first_login_at, last_login_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(organizationId, connectionId, subject, accountId, groups, basis.name(),
                            Timestamp.from(now), Timestamp.from(now))
                    .update();
        }
    }

    /**
     * Links that an IdP made by creating the account, for an address no organization verified, are not the owner's
     * word: once the owner proves the mailbox, such links must be confirmed again like any link to an existing
     * account. Answers the organizations whose links changed.
     */
    List<UUID> unconfirmNewAccountLinks(UUID accountId) {
        List<UUID> organizations = jdbc.sql("""
                SELECT DISTINCT organization_id FROM sso_identity WHERE account_id = ? AND link_basis = ?""")
                .params(accountId, LinkBasis.NEW_ACCOUNT.name()).query(UUID.class).list();
        jdbc.sql("UPDATE sso_identity SET link_basis = NULL WHERE account_id = ? AND link_basis = ?")
                .params(accountId, LinkBasis.NEW_ACCOUNT.name()).update();
        return organizations;
    }

    /** The connections through which the account has signed in to the organization. */
    List<UUID> identityConnections(UUID organizationId, UUID accountId) {
        return jdbc.sql("SELECT connection_id FROM sso_identity WHERE organization_id = ? AND account_id = ?")
                .params(organizationId, accountId).query(UUID.class).list();
    }

    /** An identity as a preview needs it: whose it is and which groups the IdP sent at the last sign-in. */
    public record KnownIdentity(UUID accountId, String groupsSeen, Instant lastLoginAt) {

        /** The groups of the last sign-in; empty when the IdP's answer left them unknown. */
        public Optional<Set<String>> groups() {
            return groupsSeen == null ? Optional.empty()
                    : Optional.of(Set.copyOf(groupsSeen.isEmpty() ? List.of() : List.of(groupsSeen.split("\n"))));
        }
    }

    /** Every identity that signed in through the connection, one per account (its latest sign-in). */
    public List<KnownIdentity> identities(UUID organizationId, UUID connectionId) {
        Map<UUID, KnownIdentity> byAccount = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT account_id, groups_seen, last_login_at FROM sso_identity
                WHERE organization_id = ? AND connection_id = ? ORDER BY last_login_at DESC""")
                .params(organizationId, connectionId)
                .query((rs, row) -> new KnownIdentity(rs.getObject("account_id", UUID.class), rs.getString("groups_seen"),
                        rs.getTimestamp("last_login_at").toInstant()))
                .list().forEach(identity -> byAccount.putIfAbsent(identity.accountId(), identity));
        return List.copyOf(byAccount.values());
    }

    private GroupMapping mapping(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new GroupMapping(rs.getObject("id", UUID.class), rs.getObject("connection_id", UUID.class),
                rs.getString("group_value"), rs.getString("group_display_name"), rs.getObject("team_id", UUID.class),
                rs.getString("team_name"), TeamRole.valueOf(rs.getString("team_role")), rs.getBoolean("admin"),
                rs.getTimestamp("created_at").toInstant());
    }
}
