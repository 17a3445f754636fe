package db.migration;

import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Four indexes that only ever find rows whose column is set now index only those rows, on PostgreSQL (issue 15: every
 * index of a table is written for every row inserted, and a SCIM create inserts a SCIM user and two audit entries):
 * <ul>
 * <li>{@code scim_user_held_ix}: held users are looked up by reason ({@code held_reason = ?}, {@code IS NOT NULL});
 * a linked user is held for nothing.</li>
 * <li>{@code scim_user_invitation_ix}: users waiting on an invitation are found by it ({@code invitation_id = ?});
 * a linked user waits on none.</li>
 * <li>{@code audit_event_subject_ix}: an account's own log ({@code subject_account_id = ?}); an organization's entries
 * have no subject.</li>
 * <li>{@code audit_event_actor_ix}: entries by an account ({@code actor_account_id = ?}); a directory, an IdP or Roster
 * itself acts without one.</li>
 * </ul>
 * Every query of these columns compares them with {@code =} or {@code IS NOT NULL}, which PostgreSQL proves implies the
 * index's condition, so each keeps its index. A Java migration because H2 (the demo) has no partial indexes.
 */
public class V281__indexes_only_of_rows_they_find extends BaseJavaMigration {

    /**
     * Outside a transaction, so each index is built {@code CONCURRENTLY} beside the one it replaces: an instance
     * upgraded with a large audit log keeps taking writes while it builds. Each step can be run again.
     */
    @Override
    public boolean canExecuteInTransaction() {
        return false;
    }

    @Override
    public void migrate(Context context) throws Exception {
        if (!"PostgreSQL".equals(context.getConnection().getMetaData().getDatabaseProductName())) {
            return;
        }
        try (Statement statement = context.getConnection().createStatement()) {
            replace(statement, "scim_user_held_ix", "scim_user (directory_id, held_reason)", "held_reason");
            replace(statement, "scim_user_invitation_ix", "scim_user (organization_id, invitation_id)",
                    "invitation_id");
            replace(statement, "audit_event_subject_ix", "audit_event (subject_account_id, occurred_at DESC)",
                    "subject_account_id");
            replace(statement, "audit_event_actor_ix",
                    "audit_event (organization_id, actor_account_id, occurred_at DESC)", "actor_account_id");
        }
    }

    private static void replace(Statement statement, String index, String on, String setColumn) throws Exception {
        String partial = index + "_set";
        statement.execute("CREATE INDEX CONCURRENTLY IF NOT EXISTS " + partial + " ON " + on + " WHERE " + setColumn
                + " IS NOT NULL");
        statement.execute("DROP INDEX CONCURRENTLY IF EXISTS " + index);
        statement.execute("ALTER INDEX " + partial + " RENAME TO " + index);
    }
}
