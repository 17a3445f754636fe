package dev.roster.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The benchmark harness (docs/benchmarks.md): creates a fresh PostgreSQL database, starts the packaged Roster on it
 * in a JVM of its own, drives it over loopback HTTP through the scenarios of issue 6, prints a table and writes
 * {@code target/bench/results.json}, then stops Roster and drops the database.
 * <p>
 * Run with {@code ./mvnw -Pbench verify} (quick sizes) or {@code ./mvnw -Pbench verify -Dbench.full=true}.
 */
public final class Benchmark {

    static final String ORG = "bench";
    static final String ADMIN_EMAIL = "admin@bench.test";

    /** What every scenario needs. */
    record Context(BenchConfig config, Http http, Admin admin, Report report, String jdbcUrl, RosterProcess roster,
                   CpuMeter cpu) {

        /** Runs a phase, measures the CPU it cost, and reports it. */
        Load.Phase run(String scenario, String name, int clients, int tasks, Load.Task task) {
            return measured(scenario, () -> Load.run(name, clients, tasks, task));
        }

        /** {@link #run} in an open loop: tasks due at a fixed rate (see {@link Load#runAtRate}). */
        Load.Phase runAtRate(String scenario, String name, double perSecond, int maxInFlight, int tasks,
                             Load.Task task) {
            return measured(scenario, () -> Load.runAtRate(name, perSecond, maxInFlight, tasks, task));
        }

        private Load.Phase measured(String scenario, java.util.function.Supplier<Load.Phase> phase) {
            CpuMeter.Sample before = cpu.sample();
            Load.Phase done = phase.get();
            return report.phase(scenario, done.withCpu(CpuMeter.between(before, cpu.sample())));
        }
    }

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchConfig config = BenchConfig.fromSystemProperties();
        Path output = Path.of(config.output());
        Files.createDirectories(output);
        Report report = new Report();
        LoadMonitor load = LoadMonitor.start();
        describeMachine(report, config);
        String database = "roster_bench_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"));
        String server = "jdbc:postgresql://" + config.dbHost() + ":" + config.dbPort() + "/";
        String jdbcUrl = server + database;
        execute(config, server + "postgres", "CREATE DATABASE " + database);
        for (var setting : config.dbSettings().entrySet()) {
            // For profiling: settings of this database only, e.g. log_min_duration_statement=0
            execute(config, server + "postgres", "ALTER DATABASE " + database + " SET " + setting.getKey() + " = '"
                    + setting.getValue().replace("'", "''") + "'");
        }
        report.environment("database", database);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String adminToken = HexFormat.of().formatHex(secret);
        RosterProcess.Launch launch;
        try {
            launch = prepareLaunch(config, server, database, adminToken, output, report);
        }
        catch (RuntimeException ex) {
            report.failure("roster", ex);
            launch = RosterProcess.Launch.plain(config);
        }
        report.environment("launch", launch.description());
        System.out.println("Starting Roster (" + config.heap() + " heap, " + launch.description() + ") on database "
                + database + " ...");
        try (Analyzer analyzer = Analyzer.start(config, jdbcUrl, report);
             RosterProcess roster = RosterProcess.start(config, jdbcUrl, adminToken, output, launch, "roster.log")) {
            System.out.printf(Locale.ROOT, "Roster is UP after %.2f s (pid %d, %s)%n", roster.startupSeconds(),
                    roster.pid(), roster.baseUrl());
            report.figure("roster", "start-up (process start to health UP), " + launch.description(),
                    roster.startupSeconds(), "s", Report.Target.below(8));
            Http http = new Http(roster.baseUrl());
            Context context = new Context(config, http, new Admin(http, adminToken), report, jdbcUrl, roster,
                    new CpuMeter(roster.pid(), jdbcUrl, config));
            runScenarios(context);
            roster.peakRssMib().ifPresent(rss -> report.figure("roster", "peak RSS (VmHWM) at the end", rss, "MiB",
                    null));
            report.environment("Roster log", roster.log().toAbsolutePath());
        }
        catch (RuntimeException ex) {
            report.failure("roster", ex);
        }
        finally {
            load.stop();
            report.environment("load average", load.describe());
            if (!config.keepDatabase()) {
                try {
                    execute(config, server + "postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                }
                catch (SQLException ex) {
                    System.err.println("Could not drop " + database + ": " + ex.getMessage());
                }
            }
        }
        report.environment("config", config.json());
        report.print(System.out);
        Path json = output.resolve("results.json");
        report.writeJson(json);
        System.out.println();
        System.out.println("Results written to " + json.toAbsolutePath());
        if (report.failed()) {
            throw new IllegalStateException("The benchmark failed; see FAILED above.");
        }
    }

    /**
     * With {@code bench.cds} (the default): writes the class data sharing archive in a training run and measures the
     * plain jar's start-up for comparison on a database of its own, dropped afterwards; the measured run then starts
     * from the archive. Without it, the plain jar.
     */
    private static RosterProcess.Launch prepareLaunch(BenchConfig config, String server, String database,
                                                      String adminToken, Path output, Report report)
            throws Exception {
        RosterProcess.Launch plain = RosterProcess.Launch.plain(config);
        if (!config.cds()) {
            return plain;
        }
        System.out.println("Writing the CDS archive in a training run ...");
        RosterProcess.Launch cds = RosterProcess.Launch.withClassDataSharing(config, output);
        String plainDatabase = database + "_plain";
        execute(config, server + "postgres", "CREATE DATABASE " + plainDatabase);
        try (RosterProcess roster = RosterProcess.start(config, server + plainDatabase, adminToken, output, plain,
                "roster-plain.log")) {
            report.figure("roster", "start-up (process start to health UP), plain jar", roster.startupSeconds(), "s",
                    null);
        }
        finally {
            execute(config, server + "postgres", "DROP DATABASE IF EXISTS " + plainDatabase + " WITH (FORCE)");
        }
        return cds;
    }

    private static void runScenarios(Context context) {
        BenchConfig config = context.config();
        if (config.runs("nostats")) {
            // First, while the tables are fresh and have never been analyzed.
            scenario(context, "nostats", () -> {
                NoStats.run(context);
                return null;
            });
        }
        EntraCycle.Result cycle = null;
        if (config.runs("entra") || config.runs("okta") || config.runs("large-group") || config.runs("ceiling")) {
            cycle = scenario(context, "entra", () -> entra(context));
        }
        if (cycle != null && config.runs("ceiling")) {
            EntraCycle.Result done = cycle;
            scenario(context, "ceiling", () -> ceiling(context, done));
        }
        if (cycle != null && config.runs("okta")) {
            EntraCycle.Result done = cycle;
            scenario(context, "okta", () -> {
                OktaRead.run(context, done);
                return null;
            });
        }
        if (cycle != null && config.runs("large-group")) {
            EntraCycle.Result done = cycle;
            scenario(context, "large-group", () -> {
                LargeGroup.run(context, done);
                return null;
            });
        }
        if (config.runs("saml")) {
            scenario(context, "saml", () -> {
                SamlScenario.run(context);
                return null;
            });
        }
        if (config.runs("decisions")) {
            scenario(context, "decisions", () -> {
                Decisions.run(context);
                return null;
            });
        }
        if (config.runs("webhooks")) {
            scenario(context, "webhooks", () -> {
                WebhookScenario.run(context);
                return null;
            });
        }
        if (config.runs("polis")) {
            scenario(context, "polis", () -> {
                PolisScenario.run(context);
                return null;
            });
        }
        if (config.runs("million")) {
            scenario(context, "million", () -> {
                MillionMembers.run(context);
                return null;
            });
        }
    }

    @FunctionalInterface
    private interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T scenario(Context context, String name, Step<T> step) {
        System.out.println();
        System.out.println("== " + name);
        long start = System.nanoTime();
        try {
            return step.run();
        }
        catch (Exception ex) {
            System.out.println("  FAILED: " + ex);
            context.report().failure(name, ex);
            return null;
        }
        finally {
            context.report().note(name, "scenario seconds", Latencies.round((System.nanoTime() - start) / 1e9));
            context.roster().currentRssMib().ifPresent(rss -> context.report().note(name, "RSS after (MiB)",
                    Latencies.round(rss)));
        }
    }

    /** The client count of the latency target ({@code POST /Users} p99 below 25 ms). */
    private static final int LATENCY_CLIENTS = 8;

    /**
     * The lower client counts run a sweep of {@code sweepUsers} users (and groups and memberships in the same
     * proportion); the highest runs the whole cycle at the configured sizes, which is the cycle the target is about.
     */
    private static EntraCycle.Result entra(Context context) throws SQLException {
        BenchConfig config = context.config();
        EntraCycle.Result full = null;
        for (int clients : config.clients().stream().sorted().toList()) {
            boolean main = clients == config.maxClients();
            int users = main ? config.users() : Math.min(config.users(), config.sweepUsers());
            double share = (double) users / config.users();
            int groups = Math.max(1, (int) Math.round(config.groups() * share));
            int memberships = (int) Math.round(config.memberships() * share);
            Map<String, Long> before = main ? rowCounts(context) : Map.of();
            EntraCycle.Result result = EntraCycle.run(context, "c" + clients, users, groups, memberships, clients);
            Report report = context.report();
            String at = " at " + clients + " clients";
            report.figure("entra", "users created/s (look-up + create)" + at, result.users().rate(), "users/s",
                    main ? Report.Target.atLeast(1500) : null);
            report.figure("entra", "POST /Users p99" + at, result.users().latency("POST /Users").p99(), "ms", null);
            report.figure("entra", "GET /Users?filter p99" + at, result.users().latency("GET filter").p99(), "ms",
                    null);
            report.figure("entra", "memberships added/s" + at, memberships / result.memberships().seconds(),
                    "memberships/s", null);
            report.figure("entra", "PATCH /Groups p99" + at, result.memberships().latency("PATCH /Groups").p99(),
                    "ms", null);
            if (main) {
                report.figure("entra", "cycle " + users + " users / " + groups + " groups / " + memberships
                        + " memberships" + at, result.seconds(), "s", users >= 100_000 ? Report.Target.below(180) : null);
                Map<String, Long> after = rowCounts(context);
                Map<String, Object> written = new LinkedHashMap<>();
                after.forEach((table, count) -> {
                    long delta = count - before.getOrDefault(table, 0L);
                    if (delta != 0) {
                        written.put(table, delta);
                    }
                });
                report.note("entra", "rows written by the main cycle", written);
                full = result;
            }
        }
        if (full != null && config.clients().contains(LATENCY_CLIENTS)) {
            // The 8-client sweep runs early, while the JIT still compiles the path (its CPU per user is well above the
            // 32-client cycle's); the latency target is measured again here, on the warm JVM and the full tables.
            Load.Phase warm = EntraCycle.usersOnly(context, "c" + LATENCY_CLIENTS + " warm", config.sweepUsers(),
                    LATENCY_CLIENTS);
            String at = " at " + LATENCY_CLIENTS + " clients, warm (after the cycle)";
            context.report().figure("entra", "users created/s (look-up + create)" + at, warm.rate(), "users/s", null);
            context.report().figure("entra", "POST /Users p99" + at, warm.latency("POST /Users").p99(), "ms",
                    Report.Target.below(25));
        }
        return full;
    }

    private static Void ceiling(Context context, EntraCycle.Result cycle) throws Exception {
        BenchConfig config = context.config();
        int users = cycle.userIds().length;
        int groups = cycle.groupIds().length;
        int memberships = config.memberships();
        Ceiling.Result ceiling = Ceiling.run(context, users, groups, memberships);
        Report report = context.report();
        double rosterUsers = cycle.users().rate();
        double rosterMemberships = memberships / cycle.memberships().seconds();
        report.figure("ceiling", "JDBC batches: users/s (same rows)", ceiling.usersPerSecond(), "users/s", null);
        report.figure("ceiling", "JDBC batches: memberships/s (same rows)", ceiling.membershipsPerSecond(),
                "memberships/s", null);
        report.figure("ceiling", "JDBC batches: the whole cycle", ceiling.seconds(), "s", null);
        report.figure("ceiling", "Roster / database, users", 100 * rosterUsers / ceiling.usersPerSecond(), "%", null);
        report.figure("ceiling", "Roster / database, memberships",
                100 * rosterMemberships / ceiling.membershipsPerSecond(), "%", null);
        report.figure("ceiling", "Roster / database, whole cycle (time ratio)", 100 * ceiling.seconds()
                / cycle.seconds(), "%", null);
        return null;
    }

    private static final List<String> TABLES = List.of("account", "membership", "team_membership", "audit_event",
            "scim_user", "scim_user_email", "scim_group", "scim_group_member", "scim_request_log", "spring_session",
            "sso_identity", "sso_assertion_replay");

    private static Map<String, Long> rowCounts(Context context) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(context.jdbcUrl(), context.config().dbUser(),
                context.config().dbPassword()); var statement = c.createStatement()) {
            for (String table : TABLES) {
                var rs = statement.executeQuery("SELECT COUNT(*) FROM " + table);
                rs.next();
                counts.put(table, rs.getLong(1));
            }
        }
        return counts;
    }

    static void execute(BenchConfig config, String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, config.dbUser(), config.dbPassword());
             var statement = c.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void describeMachine(Report report, BenchConfig config) {
        report.environment("started", LocalDateTime.now().toString());
        report.environment("cpus (nproc)", Runtime.getRuntime().availableProcessors());
        report.environment("cpu model", firstLine(Path.of("/proc/cpuinfo"), "model name").orElse("?"));
        report.environment("memory", firstLine(Path.of("/proc/meminfo"), "MemTotal").orElse("?"));
        report.environment("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        report.environment("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + config.dbHost() + ":" + config.dbPort()
                + "/postgres", config.dbUser(), config.dbPassword()); var statement = c.createStatement()) {
            var rs = statement.executeQuery("SELECT version(), current_setting('shared_buffers'), "
                    + "current_setting('synchronous_commit'), current_setting('max_connections')");
            rs.next();
            report.environment("postgresql", rs.getString(1));
            report.environment("postgresql settings", "shared_buffers=" + rs.getString(2) + ", synchronous_commit="
                    + rs.getString(3) + ", max_connections=" + rs.getString(4));
        }
        catch (SQLException ex) {
            throw new BenchFailure("PostgreSQL is not reachable at " + config.dbHost() + ":" + config.dbPort() + ": "
                    + ex.getMessage(), ex);
        }
    }

    private static java.util.Optional<String> firstLine(Path file, String prefix) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(prefix)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim());
        }
        catch (Exception ex) {
            return java.util.Optional.empty();
        }
    }
}
