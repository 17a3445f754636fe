package dev.roster.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Scenario {@code nostats}: Entra's creates (look-up + {@code POST}) on a database that has never been analyzed, then
 * the same right after an {@code ANALYZE}, in one run. On a server with autovacuum off (this workplace's, and any
 * database during a bulk load before autovacuum's ANALYZE catches up) PostgreSQL plans Roster's statements without
 * statistics, and keeps the generic plans it made while the tables were empty. The harness's own periodic
 * {@code VACUUM (ANALYZE)} ({@link Analyzer}) is off in a run with this scenario, which runs first, on fresh tables.
 * <p>
 * {@code bench.nostatsUsers} users are created at {@code bench.nostatsClients} clients before the ANALYZE, the last
 * {@code bench.nostatsMeasured} of them measured; then {@code ANALYZE} of the whole database; then
 * {@code bench.nostatsMeasured} more users, measured. Target: the rate before within 15 % of the rate after.
 */
final class NoStats {

    private NoStats() {
    }

    static void run(Benchmark.Context context) throws SQLException {
        BenchConfig config = context.config();
        Report report = context.report();
        int total = config.nostatsUsers();
        int measured = Math.min(config.nostatsMeasured(), total);
        int clients = config.nostatsClients();
        report.note("nostats", "tables analyzed before the run", analyzedTables(context));
        Admin.Directory directory = context.admin().createDirectory("No statistics bench");
        Http http = context.http();
        String prefix = "ns-" + UUID.randomUUID().toString().substring(0, 8);
        String[] userNames = new String[total + measured];
        String[] userIds = new String[userNames.length];
        for (int i = 0; i < userNames.length; i++) {
            userNames[i] = "user" + i + "." + prefix + "@" + EntraCycle.USER_DOMAIN;
        }
        int filled = total - measured;
        context.run("nostats", "users before ANALYZE (fill)", clients, filled,
                EntraCycle.createUsers(http, directory, userNames, userIds, 0));
        Load.Phase before = context.run("nostats", "users before ANALYZE (measured)", clients, measured,
                EntraCycle.createUsers(http, directory, userNames, userIds, filled));
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection(context.jdbcUrl(), config.dbUser(), config.dbPassword());
             var statement = c.createStatement()) {
            statement.execute("ANALYZE");
        }
        double analyzeSeconds = (System.nanoTime() - start) / 1e9;
        Load.Phase after = context.run("nostats", "users after ANALYZE (measured)", clients, measured,
                EntraCycle.createUsers(http, directory, userNames, userIds, total));
        String at = " at " + clients + " clients";
        report.figure("nostats", "users created/s before ANALYZE (" + total + " users in)" + at, before.rate(),
                "users/s", null);
        report.figure("nostats", "users created/s right after ANALYZE" + at, after.rate(), "users/s", null);
        report.figure("nostats", "before / after ANALYZE", 100 * before.rate() / after.rate(), "%",
                Report.Target.atLeast(85));
        report.figure("nostats", "POST /Users p99 before ANALYZE" + at,
                before.latency("POST /Users").p99(), "ms", null);
        report.figure("nostats", "POST /Users p99 after ANALYZE" + at, after.latency("POST /Users").p99(), "ms",
                null);
        report.note("nostats", "ANALYZE seconds", Latencies.round(analyzeSeconds));
    }

    /** The tables of the benchmark database that have statistics (analyzed by anyone), with when. */
    private static Map<String, Object> analyzedTables(Benchmark.Context context) throws SQLException {
        Map<String, Object> analyzed = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(context.jdbcUrl(), context.config().dbUser(),
                context.config().dbPassword()); var statement = c.createStatement()) {
            var rs = statement.executeQuery("""
                    SELECT relname, greatest(last_analyze, last_autoanalyze)::text FROM pg_stat_user_tables
                    WHERE coalesce(last_analyze, last_autoanalyze) IS NOT NULL ORDER BY relname""");
            while (rs.next()) {
                analyzed.put(rs.getString(1), rs.getString(2));
            }
        }
        return analyzed;
    }
}
