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

    /** {@code JOIN organization <alias> ON <alias>.id = <organizationId> AND <alias>.deleted_at IS NULL}. */
    public static String joinLive(String alias, String organizationId) {
        return " JOIN organization " + alias + " ON " + alias + ".id = " + organizationId + " AND " + alias
                + ".deleted_at IS NULL\n";
    }
}
