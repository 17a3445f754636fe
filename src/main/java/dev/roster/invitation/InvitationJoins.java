package dev.roster.invitation;

/**
 * The invitation table as other modules' statements may join it: the resource module lists the places waiting for
 * open invitations with the invitees' addresses in one statement; SCIM's create of a user asks, in the statement that
 * writes the user, whether an open invitation waits for its address, so that a create without one skips the
 * invitation look-up (issue 15). The table belongs to this module; others name it
 * only through these fragments (docs/architecture.md#who-owns-which-table).
 *
 * <p>Columns others read: {@code email}.
 */
public final class InvitationJoins {

    private InvitationJoins() {
    }

    /**
     * {@code JOIN invitation <alias>}: the organization's invitation {@code invitationId} while it is open (pending
     * and not expired at {@code now}, a parameter).
     */
    public static String joinOpen(String alias, String invitationId, String organizationId, String now) {
        return " JOIN invitation " + alias + " ON " + alias + ".id = " + invitationId + " AND " + alias
                + ".organization_id = " + organizationId + "\n  AND " + alias + ".status = 'PENDING' AND " + alias
                + ".expires_at > " + now + "\n";
    }

    /**
     * {@code EXISTS (…)}: an open invitation of the organization {@code organizationId} waits for the normalized
     * address {@code emailNormalized} (pending and not expired at {@code now}; all three are SQL expressions or
     * parameters). The same condition as the look-up that accepts an invitation for a directory, so a {@code false}
     * means that look-up would find nothing in this statement's snapshot.
     */
    public static String openFor(String organizationId, String emailNormalized, String now) {
        return "EXISTS (SELECT 1 FROM invitation open_invitation WHERE open_invitation.organization_id = "
                + organizationId + " AND open_invitation.pending_email = " + emailNormalized
                + " AND open_invitation.status = 'PENDING' AND open_invitation.expires_at > " + now + ")";
    }
}
