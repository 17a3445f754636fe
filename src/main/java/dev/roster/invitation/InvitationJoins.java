package dev.roster.invitation;

/**
 * The invitation table as other modules' statements may join it: the resource module lists the places waiting for
 * open invitations with the invitees' addresses in one statement. The table belongs to this module; others name it
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
}
