package db.migration;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Checks a SCIM user's link to its account and membership ({@code scim_user.account_id}, {@code membership_id}) when
 * the transaction commits rather than after each statement, on PostgreSQL. A SCIM create writes the user already
 * linked to the account and membership it is about to make, in the statement that claims the address, instead of
 * rewriting the row once both exist (decision 0023, issue 15). The commit still refuses a link to an account or
 * membership that does not exist; a transaction that ends without making them fails as a whole.
 * <p>
 * A Java migration because H2 (the demo) has no deferrable constraints; there the user is written unlinked and the
 * link set afterwards, as before. The constraints are found by what they join, not by their generated names.
 */
public class V280__scim_user_link_checked_at_commit extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        if (!"PostgreSQL".equals(context.getConnection().getMetaData().getDatabaseProductName())) {
            return;
        }
        List<String> constraints = new ArrayList<>();
        try (Statement statement = context.getConnection().createStatement();
             ResultSet found = statement.executeQuery("""
                     SELECT conname FROM pg_constraint
                     WHERE conrelid = 'scim_user'::regclass AND contype = 'f'
                       AND confrelid IN ('account'::regclass, 'membership'::regclass)""")) {
            while (found.next()) {
                constraints.add(found.getString(1));
            }
        }
        if (constraints.size() != 2) {
            throw new IllegalStateException("expected scim_user's two foreign keys to account and membership, found "
                    + constraints);
        }
        try (Statement statement = context.getConnection().createStatement()) {
            for (String constraint : constraints) {
                statement.execute("ALTER TABLE scim_user ALTER CONSTRAINT \"" + constraint.replace("\"", "\"\"")
                        + "\" DEFERRABLE INITIALLY DEFERRED");
            }
        }
    }
}
