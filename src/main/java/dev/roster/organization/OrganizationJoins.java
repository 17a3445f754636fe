package dev.roster.organization;

/**
 * The organization table as other modules' statements may join it: a SCIM token or an SSO connection is found only
 * while its organization is not deleted, in the one statement that finds it (every SCIM request and SAML message
 * pays for it, so it is not a second look-up). The table belongs to this module; others name it only through these
 * fragments (docs/architecture.md#who-owns-which-table).
 */
public final class OrganizationJoins {

    private OrganizationJoins() {
    }

    /**
     * {@code JOIN organization <alias> ON <alias>.id = <organizationId> AND <alias>.deleted_at IS NOT NULL}: what
     * belongs to a soft-deleted organization, to say why a request is refused.
     */
    public static String joinDeleted(String alias, String organizationId) {
        return " JOIN organization " + alias + " ON " + alias + ".id = " + organizationId + " AND " + alias
                + ".deleted_at IS NOT NULL\n";
    }

    /**
     * {@code <organizationId> IN (live organizations)}, for a WHERE clause (an UPDATE cannot join): background jobs
     * skip a soft-deleted organization's rows.
     */
    public static String isLive(String organizationId) {
        return " " + organizationId + " IN (SELECT id FROM organization WHERE deleted_at IS NULL) ";
    }

    /** {@code JOIN organization <alias> ON <alias>.id = <organizationId> AND <alias>.deleted_at IS NULL}. */
    public static String joinLive(String alias, String organizationId) {
        return " JOIN organization " + alias + " ON " + alias + ".id = " + organizationId + " AND " + alias
                + ".deleted_at IS NULL\n";
    }
}
