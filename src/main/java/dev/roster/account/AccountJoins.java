package dev.roster.account;

/**
 * The account table as other modules' statements may join it, where a read through {@link AccountService} would cost
 * a round trip per row or per request (a member list sorted and searched by address, the owner of an API token on
 * every request, the address copied into a new membership on the SCIM create path). The table belongs to this module:
 * other modules name it only through these fragments, and read only the columns listed here, so a change to the
 * table means reading this class and its callers (docs/architecture.md#who-owns-which-table).
 *
 * <p>Columns others read: {@code id}, {@code email}, {@code email_normalized}, {@code display_name}.
 */
public final class AccountJoins {

    private AccountJoins() {
    }

    /** {@code account <alias>}, for a FROM clause. */
    public static String table(String alias) {
        return "account " + alias;
    }

    /** {@code JOIN account <alias> ON <alias>.id = <accountId>}. */
    public static String join(String alias, String accountId) {
        return " JOIN account " + alias + " ON " + alias + ".id = " + accountId + "\n";
    }

    /**
     * {@code EXISTS (…)}: whether an account has the normalized address {@code emailNormalized} (a parameter or
     * expression), as the statement's snapshot sees it. For a statement that writes a row already linked to the
     * account it expects to create; the account's own insert still decides.
     */
    public static String addressTaken(String emailNormalized) {
        return "EXISTS (SELECT 1 FROM account taken WHERE taken.email_normalized = " + emailNormalized + ")";
    }

    /** {@code LEFT JOIN account <alias> ON <alias>.id = <accountId>}. */
    public static String leftJoin(String alias, String accountId) {
        return " LEFT JOIN account " + alias + " ON " + alias + ".id = " + accountId + "\n";
    }
}
