package dev.roster.resource;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.roster.account.AccountJoins;
import dev.roster.invitation.InvitationJoins;
import dev.roster.membership.MembershipJoins;
import dev.roster.membership.MembershipStatus;

/**
 * A resource's collaborators. Every statement names the organization. Like the decision query it reads the membership
 * tables (to name collaborators) through the membership module's named joins, and never writes them.
 */
@Repository
class CollaboratorRepository {

    private static final String SELECT = """
            SELECT c.resource_id, c.membership_id, m.account_id, a.email, a.display_name, m.status, c.role,
                   c.created_at, c.updated_at
            FROM resource_collaborator c
            """ + MembershipJoins.joinMembership("m", "c.organization_id", "c.membership_id")
            + AccountJoins.join("a", "m.account_id");

    private final JdbcClient jdbc;

    CollaboratorRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The resource's collaborators by address (removed members have none: removal deletes their places). */
    List<Collaborator> list(UUID organizationId, UUID resourceId) {
        return jdbc.sql(SELECT + " WHERE c.organization_id = ? AND c.resource_id = ? ORDER BY a.email_normalized")
                .params(organizationId, resourceId).query(CollaboratorRepository::map).list();
    }

    Optional<Collaborator> find(UUID organizationId, UUID resourceId, UUID membershipId) {
        return jdbc.sql(SELECT + " WHERE c.organization_id = ? AND c.resource_id = ? AND c.membership_id = ?")
                .params(organizationId, resourceId, membershipId).query(CollaboratorRepository::map).optional();
    }

    void insert(UUID organizationId, UUID resourceId, UUID membershipId, CollaboratorRole role, Instant now) {
        jdbc.sql("""
                INSERT INTO resource_collaborator (organization_id, resource_id, membership_id, role, created_at,
                                                   updated_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(organizationId, resourceId, membershipId, role.name(), Timestamp.from(now),
                        Timestamp.from(now))
                .update();
    }

    void updateRole(UUID organizationId, UUID resourceId, UUID membershipId, CollaboratorRole role, Instant now) {
        jdbc.sql("""
                UPDATE resource_collaborator SET role = ?, updated_at = ?
                WHERE organization_id = ? AND resource_id = ? AND membership_id = ?""")
                .params(role.name(), Timestamp.from(now), organizationId, resourceId, membershipId).update();
    }

    void delete(UUID organizationId, UUID resourceId, UUID membershipId) {
        jdbc.sql("DELETE FROM resource_collaborator WHERE organization_id = ? AND resource_id = ? AND membership_id = ?")
                .params(organizationId, resourceId, membershipId).update();
    }

    /** Deletes every place of the member; answers the resources they were collaborator of (id and name). */
    List<Resource> deleteAllOf(UUID organizationId, UUID membershipId) {
        List<Resource> places = jdbc.sql("""
                SELECT r.id, r.organization_id, r.kind, r.name, r.owner_type, r.owner_team_id,
                       r.owner_membership_id, r.created_at, r.updated_at,
                       CAST(NULL AS VARCHAR(100)) AS owner_team_name, CAST(NULL AS VARCHAR(320)) AS owner_member_email
                FROM resource_collaborator c JOIN resource r ON r.id = c.resource_id
                WHERE c.organization_id = ? AND c.membership_id = ? AND r.organization_id = ?
                ORDER BY r.id""")
                .params(organizationId, membershipId, organizationId).query(ResourceRepository::map).list();
        jdbc.sql("DELETE FROM resource_collaborator WHERE organization_id = ? AND membership_id = ?")
                .params(organizationId, membershipId).update();
        return places;
    }

    // --- places waiting for an invitation

    /** A collaborator place that an invitation will make when it is accepted. */
    record InvitedPlace(UUID invitationId, UUID resourceId, String email, CollaboratorRole role) {
    }

    /** Records (or changes the role of) the place the invitation will make. */
    void upsertInvited(UUID organizationId, UUID invitationId, UUID resourceId, CollaboratorRole role, Instant now) {
        int updated = jdbc.sql("""
                UPDATE resource_collaborator_invitation SET role = ?
                WHERE organization_id = ? AND invitation_id = ? AND resource_id = ?""")
                .params(role.name(), organizationId, invitationId, resourceId).update();
        if (updated == 0) {
            jdbc.sql("""
                    INSERT INTO resource_collaborator_invitation (organization_id, invitation_id, resource_id, role,
                                                                  created_at)
                    VALUES (?, ?, ?, ?, ?)""")
                    .params(organizationId, invitationId, resourceId, role.name(), Timestamp.from(now)).update();
        }
    }

    /**
     * The places waiting for pending invitations on the resource, by address. Reads the invitation module's table for
     * the invitee's address and whether the invitation is still open, through that module's named join.
     */
    List<InvitedPlace> invited(UUID organizationId, UUID resourceId, Instant now) {
        return jdbc.sql("""
                SELECT ci.invitation_id, ci.resource_id, i.email, ci.role
                FROM resource_collaborator_invitation ci
                """ + InvitationJoins.joinOpen("i", "ci.invitation_id", "ci.organization_id", ":now") + """
                WHERE ci.organization_id = :org AND ci.resource_id = :resource
                ORDER BY i.email""")
                .param("org", organizationId).param("resource", resourceId).param("now", Timestamp.from(now))
                .query((rs, row) -> new InvitedPlace(rs.getObject("invitation_id", UUID.class),
                        rs.getObject("resource_id", UUID.class), rs.getString("email"),
                        CollaboratorRole.valueOf(rs.getString("role"))))
                .list();
    }

    /** Takes (reads and deletes) the places an accepted invitation makes. */
    List<InvitedPlace> takeInvited(UUID organizationId, UUID invitationId) {
        List<InvitedPlace> places = jdbc.sql("""
                SELECT invitation_id, resource_id, role FROM resource_collaborator_invitation
                WHERE organization_id = ? AND invitation_id = ? ORDER BY resource_id""")
                .params(organizationId, invitationId)
                .query((rs, row) -> new InvitedPlace(rs.getObject("invitation_id", UUID.class),
                        rs.getObject("resource_id", UUID.class), null,
                        CollaboratorRole.valueOf(rs.getString("role"))))
                .list();
        jdbc.sql("DELETE FROM resource_collaborator_invitation WHERE organization_id = ? AND invitation_id = ?")
                .params(organizationId, invitationId).update();
        return places;
    }

    /** What decides whether a member manages a resource's collaborators, besides being an admin. */
    record Standing(CollaboratorRole role, boolean maintainer) {
    }

    /** The member's collaborator role on the resource, or null. */
    CollaboratorRole role(UUID organizationId, UUID resourceId, UUID membershipId) {
        return jdbc.sql("""
                SELECT role FROM resource_collaborator
                WHERE organization_id = ? AND resource_id = ? AND membership_id = ?""")
                .params(organizationId, resourceId, membershipId).query(String.class).optional()
                .map(CollaboratorRole::valueOf).orElse(null);
    }

    private static Collaborator map(ResultSet rs, int row) throws SQLException {
        return new Collaborator(rs.getObject("resource_id", UUID.class), rs.getObject("membership_id", UUID.class),
                rs.getObject("account_id", UUID.class), rs.getString("email"), rs.getString("display_name"),
                MembershipStatus.valueOf(rs.getString("status")), CollaboratorRole.valueOf(rs.getString("role")),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
