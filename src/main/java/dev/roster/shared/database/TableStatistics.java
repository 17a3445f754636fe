package dev.roster.shared.database;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Gives PostgreSQL statistics for a table that a bulk load is filling, without waiting for autovacuum (decision
 * 0016). Until a table has been analyzed, the planner knows nothing of its columns; the generic plans it keeps for
 * Roster's prepared statements are made while the table is nearly empty, when every index costs the same, and are
 * not made again until something analyzes it. A look-up by userName then walks the whole directory by another index,
 * and a directory's initial cycle slows down as it grows (docs/benchmarks.md, "Plans without statistics").
 * <p>
 * The write paths that fill tables in bulk (SCIM's creates, the accounts and memberships they make) say what they
 * inserted; when this instance has inserted 1,000 rows into a table, and again at 10,000, 100,000 and 1,000,000, the
 * table is analyzed on a thread of its own (never in a request's transaction). That is a handful of {@code ANALYZE}s
 * in the life of an installation, each reading a sample of at most 30,000 rows. On H2 (the demo) nothing is done.
 */
@Component
public class TableStatistics {

    private static final Logger log = LoggerFactory.getLogger(TableStatistics.class);

    private static final long FIRST = 1_000;
    private static final long LAST = 1_000_000;

    private final JdbcTemplate jdbc;
    private final boolean postgres;
    private final Map<String, AtomicLong> inserted = new ConcurrentHashMap<>();
    private final ExecutorService analyzer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "table-statistics");
        thread.setDaemon(true);
        return thread;
    });

    @Autowired
    TableStatistics(JdbcTemplate jdbc, DataSourceProperties dataSource) {
        this(jdbc, DatabaseUrls.postgres(dataSource));
    }

    TableStatistics(JdbcTemplate jdbc, boolean postgres) {
        this.jdbc = jdbc;
        this.postgres = postgres;
    }

    /** {@code rows} rows were inserted into {@code table} (a constant of the caller's, never user input). */
    public void inserted(String table, int rows) {
        if (!postgres || rows <= 0) {
            return;
        }
        long after = inserted.computeIfAbsent(table, t -> new AtomicLong()).addAndGet(rows);
        long before = after - rows;
        for (long threshold = FIRST; threshold <= LAST; threshold *= 10) {
            if (before < threshold && after >= threshold) {
                analyzer.execute(() -> analyze(table));
                return;
            }
        }
    }

    private void analyze(String table) {
        if (!table.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        try {
            long start = System.nanoTime();
            jdbc.execute("ANALYZE " + table);
            log.info("Analyzed {} after {} rows inserted by this instance ({} ms)", table,
                    inserted.get(table).get(), (System.nanoTime() - start) / 1_000_000);
        }
        catch (RuntimeException ex) {
            log.warn("Could not analyze {}: {}", table, ex.getMessage());
        }
    }
}
