package dev.roster.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Stands in for autovacuum where the server runs without it (this workplace's CI server sets {@code autovacuum = off}
 * to keep test databases cheap). Without statistics, PostgreSQL keeps the generic plans it made for Roster's
 * statements while the tables were empty; a look-up by userName planned on an empty {@code scim_user} then picks an
 * index on the organization alone and reads the whole directory on every request, halving the create rate, which no
 * production server (autovacuum is on by default) would show after its first minute. Without vacuum, no page is
 * marked all-visible, so every index-only scan (the COUNT behind each page's totalResults, say) visits the table
 * too. Every {@code bench.analyzeSeconds} (default 30, half autovacuum's default naptime) the whole benchmark
 * database gets {@code VACUUM (ANALYZE)}, throttled as autovacuum is; with autovacuum on, nothing is done.
 */
final class Analyzer implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;

    /** Does nothing: the server vacuums and analyzes by itself, or the harness was told not to. */
    private Analyzer() {
        this.thread = null;
    }

    private Analyzer(BenchConfig config, String jdbcUrl) {
        this.thread = new Thread(() -> analyzeEvery(config, jdbcUrl), "analyzer");
        this.thread.setDaemon(true);
    }

    static Analyzer start(BenchConfig config, String jdbcUrl, Report report) {
        boolean autovacuum;
        try (Connection connection = DriverManager.getConnection(jdbcUrl, config.dbUser(), config.dbPassword());
             var rs = connection.createStatement().executeQuery("SHOW autovacuum")) {
            rs.next();
            autovacuum = "on".equals(rs.getString(1));
        }
        catch (SQLException ex) {
            throw new BenchFailure("could not read the autovacuum setting: " + ex.getMessage(), ex);
        }
        if (autovacuum || config.analyzeSeconds() <= 0 || config.runs("nostats")) {
            report.environment("autovacuum", autovacuum ? "on" : "off, and the harness does not analyze"
                    + (config.runs("nostats") ? " (scenario nostats: the only ANALYZE is the scenario's own)" : ""));
            return new Analyzer();
        }
        Analyzer analyzer = new Analyzer(config, jdbcUrl);
        report.environment("autovacuum", "off on this server: the harness runs VACUUM (ANALYZE) on the benchmark "
                + "database every " + config.analyzeSeconds() + " s instead");
        analyzer.thread.start();
        return analyzer;
    }

    private void analyzeEvery(BenchConfig config, String jdbcUrl) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, config.dbUser(), config.dbPassword())) {
            // Throttled as autovacuum throttles itself (its default cost delay and limit); an unthrottled VACUUM of
            // the whole database takes a core for seconds and shows up in the latencies of whatever runs then.
            connection.createStatement().execute("SET vacuum_cost_delay = '2ms'");
            connection.createStatement().execute("SET vacuum_cost_limit = 200");
            while (running) {
                Thread.sleep(config.analyzeSeconds() * 1000L);
                if (running) {
                    connection.createStatement().execute("VACUUM (ANALYZE)");
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (SQLException ex) {
            System.err.println("VACUUM (ANALYZE) failed: " + ex.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
