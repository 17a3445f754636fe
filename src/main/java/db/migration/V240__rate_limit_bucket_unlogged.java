package db.migration;

import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Makes {@code rate_limit_bucket} (V160) an unlogged table on PostgreSQL: its rows skip the write-ahead log, so the
 * short transaction in which a request takes from its directory's bucket commits without waiting for a WAL flush,
 * while it holds the bucket's row lock that every request of the directory queues for (issue 15, docs/benchmarks.md).
 * What that gives up is the bucket's state after a crash of the database server (the table is emptied) and on a
 * standby (it has none): buckets then start full, which a limiter of requests per second can afford.
 * <p>
 * A Java migration because H2 (the demo, whose buckets are in memory and never in this table) has no unlogged tables.
 */
public class V240__rate_limit_bucket_unlogged extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        if (!"PostgreSQL".equals(context.getConnection().getMetaData().getDatabaseProductName())) {
            return;
        }
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("ALTER TABLE rate_limit_bucket SET UNLOGGED");
        }
    }
}
