package dev.roster.sso;

/**
 * The verified domains as other modules' statements may read them: SCIM's create of a user asks, in the statement
 * that writes the user, which organization verified the address's domain, and takes the directory's claim on the
 * address only when no other organization did (issue 15: one round trip less than reading it first). The table
 * belongs to this module; others name it only through these fragments (docs/architecture.md#who-owns-which-table).
 * The question is the one {@link dev.roster.linking.DomainClaims#verifiedOwner} answers, in the same words.
 *
 * <p>Columns others read: {@code organization_id} of the domain's verified row.
 */
public final class SsoDomainJoins {

    private SsoDomainJoins() {
    }

    /**
     * {@code (SELECT organization_id …)}: a scalar subquery, the organization that holds the domain {@code domain} (an
     * SQL expression or parameter: lower case, no trailing dot) verified, or {@code NULL} when none does. A domain is
     * verified by one organization at most (the unique key on {@code verified_domain}), so it is one row or none.
     */
    public static String verifiedOwner(String domain) {
        return "(SELECT verified_owner.organization_id FROM sso_domain verified_owner"
                + " WHERE verified_owner.verified_domain = " + domain + ")";
    }
}
