package dev.roster.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time spent by Roster's JVM, by the PostgreSQL backends serving the benchmark database, and by the harness
 * itself, from /proc/&lt;pid&gt;/stat. On a shared machine throughput depends on what else runs; CPU per operation
 * hardly does, so it is what tells a fix from noise. PostgreSQL's shared background processes (WAL writer,
 * checkpointer, autovacuum) serve every database on the server and are not counted.
 */
final class CpuMeter {

    private static final double TICK_MS = 10.0; // USER_HZ is 100 on Linux

    private final long rosterPid;
    private final String jdbcUrl;
    private final BenchConfig config;

    CpuMeter(long rosterPid, String jdbcUrl, BenchConfig config) {
        this.rosterPid = rosterPid;
        this.jdbcUrl = jdbcUrl;
        this.config = config;
    }

    /** CPU milliseconds so far; the database's per backend, since backends come and go. */
    record Sample(double roster, Map<Long, Double> database, double harness) {
    }

    /** CPU milliseconds between two samples. */
    record Used(double roster, double database, double harness) {
    }

    Sample sample() {
        Map<Long, Double> database = new HashMap<>();
        for (long pid : backendPids()) {
            database.put(pid, cpuMs(pid));
        }
        return new Sample(cpuMs(rosterPid), database, cpuMs(ProcessHandle.current().pid()));
    }

    static Used between(Sample before, Sample after) {
        double database = 0;
        for (var backend : after.database().entrySet()) {
            database += backend.getValue() - before.database().getOrDefault(backend.getKey(), 0.0);
        }
        return new Used(after.roster() - before.roster(), database, after.harness() - before.harness());
    }

    private List<Long> backendPids() {
        List<Long> pids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, config.dbUser(), config.dbPassword());
             var statement = c.createStatement()) {
            var rs = statement.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND pid <> pg_backend_pid()");
            while (rs.next()) {
                pids.add(rs.getLong(1));
            }
        }
        catch (SQLException ex) {
            return List.of();
        }
        return pids;
    }

    private static double cpuMs(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return (utime + stime) * TICK_MS;
        }
        catch (IOException | RuntimeException ex) {
            return 0;
        }
    }
}
