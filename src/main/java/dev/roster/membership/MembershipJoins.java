package dev.roster.membership;

/**
 * The membership tables ({@code membership}, {@code team}, {@code team_membership}) as other modules' statements may
 * join them, where a read through {@link MemberReads} would cost a round trip per row or turn one statement into
 * a chain of look-ups: the access decision (one statement against the current state, benchmarked), what a member
 * reaches, the owner labels of resource lists, the team names of SSO and SCIM group mappings, and leases. Writes stay
 * in {@link MembershipService}. The tables belong to this module; others name them only through these fragments, so a
 * change to them means reading this class and its callers (docs/architecture.md#who-owns-which-table).
 *
 * <p>Columns others read: {@code membership.id}, {@code account_id}, {@code status}, {@code admin};
 * {@code team.name}, {@code team.name_normalized}; {@code team_membership.team_id}, {@code source}.
 */
public final class MembershipJoins {

    private MembershipJoins() {
    }

    /** {@code JOIN team <alias>}: the organization's team with id {@code teamId}. */
    public static String joinTeam(String alias, String organizationId, String teamId) {
        return " JOIN team " + teamOn(alias, organizationId, teamId);
    }

    /** {@code LEFT JOIN team <alias>}: as {@link #joinTeam}, or nulls. */
    public static String leftJoinTeam(String alias, String organizationId, String teamId) {
        return " LEFT JOIN team " + teamOn(alias, organizationId, teamId);
    }

    private static String teamOn(String alias, String organizationId, String teamId) {
        return alias + " ON " + alias + ".organization_id = " + organizationId + " AND " + alias + ".id = " + teamId
                + "\n";
    }

    /** {@code JOIN membership <alias>}: the organization's membership with id {@code membershipId}. */
    public static String joinMembership(String alias, String organizationId, String membershipId) {
        return " JOIN membership " + membershipOn(alias, organizationId, membershipId);
    }

    /** {@code LEFT JOIN membership <alias>}: as {@link #joinMembership}, or nulls. */
    public static String leftJoinMembership(String alias, String organizationId, String membershipId) {
        return " LEFT JOIN membership " + membershipOn(alias, organizationId, membershipId);
    }

    private static String membershipOn(String alias, String organizationId, String membershipId) {
        return alias + " ON " + alias + ".organization_id = " + organizationId + " AND " + alias + ".id = "
                + membershipId + "\n";
    }

    /** {@code LEFT JOIN membership <alias>}: the account's membership of the organization (any status), or nulls. */
    public static String leftJoinMembershipOfAccount(String alias, String organizationId, String accountId) {
        return " LEFT JOIN membership " + alias + " ON " + alias + ".organization_id = " + organizationId + " AND "
                + alias + ".account_id = " + accountId + "\n";
    }

    /**
     * {@code LEFT JOIN team_membership <alias>}: the membership's grants of the team, one row per source (the primary
     * key), or nulls.
     */
    public static String leftJoinTeamGrants(String alias, String teamId, String membershipId, String organizationId) {
        return " LEFT JOIN team_membership " + alias + " ON " + alias + ".team_id = " + teamId + " AND " + alias
                + ".membership_id = " + membershipId + "\n" + "  AND " + alias + ".organization_id = "
                + organizationId + "\n";
    }

    /** {@code SELECT tm.team_id FROM team_membership tm …}: the teams the membership is in (index on the member). */
    public static String teamIdsOf(String organizationId, String membershipId) {
        return "SELECT tm.team_id FROM team_membership tm WHERE tm.organization_id = " + organizationId
                + " AND tm.membership_id = " + membershipId;
    }
}
