package dev.roster.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 15's side-by-side (run by name only, {@code -Dbench.scenarios=polis}): Roster's {@code POST /scim/v2/Users}
 * against Ory Polis's {@code POST /api/scim/v2.0/<directory>/Users} on the same PostgreSQL, each on a database of its
 * own, with the same load from the same client: Entra's Create User body ({@link EntraCycle#userBody}, the body of
 * src/bench/wrk/entra-create.lua), a new userName per request, creates only (no look-up), in closed loops of 8 and 32
 * connections ({@code bench.polisClients}) for a fixed time.
 * <p>
 * Polis is src/bench/polis/server.mjs: the @boxyhq/saml-jackson library Polis is built on, behind a plain Node HTTP
 * server that does what Polis's Next.js API route does (see its header). It is installed with npm into
 * {@code target/bench/polis} (again only when package.json or the lock changed) and started as one Node process on a
 * fresh database, which the library fills with its schema; it creates one Entra ID directory and prints its id and
 * bearer secret.
 * <p>
 * At each connection count: a warm-up of each server ({@code bench.polisWarmup} seconds, 30), then measured runs
 * ({@code bench.polisSeconds}, 20) in the order Roster, Polis, Polis, Roster, so a drift linear in time cancels.
 * Only 201 answers count as creates; other answers and failed requests are counted and reported. CPU per create is
 * the server process's (the JVM, or the Node process), the PostgreSQL backends of its database, and the harness's.
 * With {@code -Dbench.polisWrk=true} and wrk on the PATH, each connection count ends with wrk and
 * src/bench/wrk/entra-create.lua against each server for {@code bench.polisSeconds}, the issue's own measurement, as
 * a cross-check of the harness's client.
 */
final class PolisScenario {

    static final String SCENARIO = "polis";

    private PolisScenario() {
    }

    static void run(Benchmark.Context context) throws Exception {
        Report report = context.report();
        BenchConfig config = context.config();
        String missing = missingTools();
        if (missing != null) {
            System.out.println("  skipped: " + missing);
            report.note(SCENARIO, "skipped", missing);
            return;
        }
        int warmup = Integer.getInteger("bench.polisWarmup", 30);
        int seconds = Integer.getInteger("bench.polisSeconds", 20);
        List<Integer> clientCounts = Arrays.stream(System.getProperty("bench.polisClients", "8,32").split("[,\\s]+"))
                .filter(s -> !s.isBlank()).map(s -> Integer.parseInt(s.trim())).toList();
        Path output = Path.of(config.output());
        Path installed = install(Path.of("src", "bench", "polis"), Path.of("target", "bench", "polis"),
                output.resolve("polis-npm.log"), report);

        String database = "polis_bench_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"));
        String server = "jdbc:postgresql://" + config.dbHost() + ":" + config.dbPort() + "/";
        Benchmark.execute(config, server + "postgres", "CREATE DATABASE " + database);
        report.note(SCENARIO, "Polis database", database);
        try (PolisProcess polis = PolisProcess.start(config, installed, database, output.resolve("polis.log"))) {
            System.out.printf(Locale.ROOT, "  Polis stand-in is up after %.2f s (pid %d, port %d, directory %s)%n",
                    polis.startupSeconds, polis.pid(), polis.port, polis.directoryId);
            report.figure(SCENARIO, "Polis stand-in start-up (process start to listening)", polis.startupSeconds,
                    "s", null);
            report.note(SCENARIO, "Polis", "@boxyhq/saml-jackson " + polis.libraryVersion + " on Node "
                    + polis.nodeVersion + " (src/bench/polis/server.mjs), log " + polis.log.toAbsolutePath());

            Admin.Directory directory = context.admin().createDirectory("Polis side by side");
            Target roster = new Target("Roster", context.http(), "/scim/v2/Users", directory.token(),
                    context.cpu());
            Target peer = new Target("Polis", new Http("http://127.0.0.1:" + polis.port),
                    "/api/scim/v2.0/" + polis.directoryId + "/Users", polis.secret,
                    new CpuMeter(polis.pid(), server + database, config));

            for (int clients : clientCounts) {
                String at = " at " + clients + " connections";
                run(context, roster, clients, warmup, "warm-up");
                run(context, peer, clients, warmup, "warm-up");
                Load.Phase r1 = run(context, roster, clients, seconds, "run 1");
                Load.Phase p1 = run(context, peer, clients, seconds, "run 1");
                Load.Phase p2 = run(context, peer, clients, seconds, "run 2");
                Load.Phase r2 = run(context, roster, clients, seconds, "run 2");
                double rosterRate = (r1.rate() + r2.rate()) / 2;
                double polisRate = (p1.rate() + p2.rate()) / 2;
                report.figure(SCENARIO, "Roster creates/s" + at + " (mean of 2 runs)", rosterRate, "creates/s", null);
                report.figure(SCENARIO, "Polis creates/s" + at + " (mean of 2 runs)", polisRate, "creates/s", null);
                report.figure(SCENARIO, "Roster / Polis creates/s" + at, polisRate == 0 ? Double.POSITIVE_INFINITY
                        : rosterRate / polisRate, "x", clients == 32 ? Report.Target.atLeast(3) : null);
                latencyFigures(report, "Roster", at, r1, r2);
                latencyFigures(report, "Polis", at, p1, p2);
                cpuFigures(report, "Roster", "JVM", at, r1, r2);
                cpuFigures(report, "Polis", "Node", at, p1, p2);
                int polisFailures = p1.errors() + p2.errors();
                int rosterFailures = r1.errors() + r2.errors();
                report.note(SCENARIO, "requests not answered 201" + at + " (Roster, Polis; measured runs)",
                        rosterFailures + ", " + polisFailures);
                if (Boolean.getBoolean("bench.polisWrk")) {
                    // The issue's own tool as a cross-check of the harness's client, on the servers as they are now
                    // (warm): src/bench/wrk/entra-create.lua, Roster then Polis.
                    double rosterWrk = wrk(context, roster, clients, seconds, output);
                    double polisWrk = wrk(context, peer, clients, seconds, output);
                    if (rosterWrk > 0 && polisWrk > 0) {
                        report.figure(SCENARIO, "wrk: Roster / Polis creates/s" + at, rosterWrk / polisWrk, "x",
                                null);
                    }
                }
            }
            report.note(SCENARIO, "Polis users in its database", polis.countUsers(config, server + database));
        }
        finally {
            if (!config.keepDatabase()) {
                try {
                    Benchmark.execute(config, server + "postgres", "DROP DATABASE IF EXISTS " + database
                            + " WITH (FORCE)");
                }
                catch (SQLException ex) {
                    System.err.println("Could not drop " + database + ": " + ex.getMessage());
                }
            }
        }
    }

    /** One server under test: where it is, how to authenticate, and what measures its CPU. */
    private record Target(String name, Http http, String usersPath, String bearer, CpuMeter cpu) {
    }

    /**
     * A closed loop of {@code clients} connections for {@code seconds}: each sends the next create as soon as it has
     * its answer. The phase's tasks are the creates answered 201; any other answer or failed request is an error.
     */
    private static Load.Phase run(Benchmark.Context context, Target target, int clients, int seconds, String label) {
        String name = target.name() + " c" + clients + " " + label;
        String prefix = target.name().toLowerCase(Locale.ROOT) + "-c" + clients + "-" + label.replace(' ', '-') + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        Latencies created = new Latencies();
        LongAdder ok = new LongAdder();
        Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        List<String> firstErrors = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        CpuMeter.Sample before = target.cpu().sample();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        Load.inClients("polis-" + name, clients, () -> {
            while (System.nanoTime() < end) {
                int i = next.getAndIncrement();
                String userName = "user" + i + "." + prefix + "@" + EntraCycle.USER_DOMAIN;
                String body = EntraCycle.userBody(userName, i);
                long sent = System.nanoTime();
                String failure;
                try {
                    Http.Response response = target.http().post(target.usersPath(), target.bearer(),
                            Http.SCIM_JSON, body);
                    if (response.status() == 201) {
                        created.add(System.nanoTime() - sent);
                        ok.increment();
                        continue;
                    }
                    failure = "HTTP " + response.status() + ": " + Http.abbreviate(response.body());
                    failures.computeIfAbsent("HTTP " + response.status(), k -> new LongAdder()).increment();
                }
                catch (RuntimeException ex) {
                    failure = String.valueOf(ex.getMessage());
                    failures.computeIfAbsent("no answer", k -> new LongAdder()).increment();
                    // A server that is down fails at once: do not spin on it.
                    sleepQuietly(10);
                }
                synchronized (firstErrors) {
                    if (firstErrors.size() < 5) {
                        firstErrors.add(failure);
                    }
                }
            }
        });
        double elapsed = (System.nanoTime() - start) / 1e9;
        CpuMeter.Used used = CpuMeter.between(before, target.cpu().sample());
        int creates = (int) ok.sum();
        int errors = failures.values().stream().mapToInt(a -> (int) a.sum()).sum();
        Map<String, Latencies.Summary> latencies = new LinkedHashMap<>();
        latencies.put("POST /Users 201", created.summary());
        Load.Phase phase = new Load.Phase(name, clients, creates, elapsed, creates / elapsed, latencies, errors,
                List.copyOf(firstErrors), used);
        if (!failures.isEmpty()) {
            Map<String, Long> counts = new TreeMap<>();
            failures.forEach((k, v) -> counts.put(k, v.sum()));
            context.report().note(SCENARIO, name + ": requests not answered 201", counts);
        }
        return context.report().phase(SCENARIO, phase);
    }

    /**
     * {@code wrk -t2 -c<clients> -d<seconds>s --latency -s src/bench/wrk/entra-create.lua} against the server's
     * {@code /Users}; the 2xx answers per second (wrk's requests/s counts every answer; the others are reported), or
     * 0 when wrk is not there or failed.
     */
    private static double wrk(Benchmark.Context context, Target target, int clients, int seconds, Path output) {
        Report report = context.report();
        String name = "wrk: " + target.name() + " at " + clients + " connections";
        Path script = Path.of("src", "bench", "wrk", "entra-create.lua").toAbsolutePath();
        Path log = output.resolve("wrk-" + target.name().toLowerCase(Locale.ROOT) + "-c" + clients + ".log");
        List<String> command = List.of("wrk", "-t2", "-c" + clients, "-d" + seconds + "s", "--latency", "-s",
                script.toString(), "-H", "Authorization: Bearer " + target.bearer(),
                target.http().baseUrl() + target.usersPath());
        try {
            CpuMeter.Sample before = target.cpu().sample();
            Process wrk = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!wrk.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
                wrk.destroyForcibly();
                report.note(SCENARIO, name, "did not finish; see " + log);
                return 0;
            }
            CpuMeter.Used used = CpuMeter.between(before, target.cpu().sample());
            String out = Files.readString(log);
            Matcher rate = Pattern.compile("Requests/sec:\\s+([\\d.]+)").matcher(out);
            Matcher total = Pattern.compile("(\\d+) requests in").matcher(out);
            if (wrk.exitValue() != 0 || !rate.find()) {
                report.note(SCENARIO, name, "failed (exit " + wrk.exitValue() + "); see " + log);
                return 0;
            }
            double perSecond = Double.parseDouble(rate.group(1));
            Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
            long failed = non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0;
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("requests/s", perSecond);
            summary.put("non-2xx answers", failed);
            for (String percentile : List.of("50%", "99%")) {
                Matcher latency = Pattern.compile("\\s" + percentile + "\\s+([\\d.]+\\w+)").matcher(out);
                if (latency.find()) {
                    summary.put("p" + percentile.replace("%", ""), latency.group(1));
                }
            }
            double created = perSecond;
            if (total.find()) {
                long requests = Long.parseLong(total.group(1));
                created = requests == 0 ? 0 : perSecond * (requests - failed) / requests;
                summary.put("server CPU ms/request", Latencies.round(used.roster() / requests));
                summary.put("PostgreSQL CPU ms/request", Latencies.round(used.database() / requests));
            }
            report.note(SCENARIO, name, summary);
            // Only 2xx answers are creates: wrk counts every answer in its requests/s.
            report.figure(SCENARIO, name + " (wrk, 2xx answers/s)", created, "creates/s", null);
            System.out.println("  " + name + ": " + summary);
            return created;
        }
        catch (IOException ex) {
            report.note(SCENARIO, name, "not run: " + ex.getMessage());
            return 0;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static void latencyFigures(Report report, String server, String at, Load.Phase first,
                                       Load.Phase second) {
        Latencies.Summary a = first.latency("POST /Users 201");
        Latencies.Summary b = second.latency("POST /Users 201");
        report.figure(SCENARIO, server + " POST /Users p50" + at + " (runs 1, 2: mean)", (a.p50() + b.p50()) / 2,
                "ms", null);
        report.figure(SCENARIO, server + " POST /Users p99" + at + " (runs 1, 2: mean)", (a.p99() + b.p99()) / 2,
                "ms", null);
    }

    private static void cpuFigures(Report report, String server, String process, String at, Load.Phase first,
                                   Load.Phase second) {
        int creates = first.tasks() + second.tasks();
        if (creates == 0 || first.cpu() == null || second.cpu() == null) {
            return;
        }
        report.figure(SCENARIO, server + " CPU ms per create, " + process + at,
                (first.cpu().roster() + second.cpu().roster()) / creates, "ms", null);
        report.figure(SCENARIO, server + " CPU ms per create, PostgreSQL backends" + at,
                (first.cpu().database() + second.cpu().database()) / creates, "ms", null);
        report.figure(SCENARIO, server + " CPU ms per create, harness" + at,
                (first.cpu().harness() + second.cpu().harness()) / creates, "ms", null);
    }

    /** Null when node and npm both answer {@code --version}; otherwise why the scenario cannot run. */
    private static String missingTools() {
        for (String tool : List.of("node", "npm")) {
            try {
                Process process = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
                process.getInputStream().readAllBytes();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return tool + " --version did not answer within 60 s; the Polis peer needs Node.js and npm";
                }
                if (process.exitValue() != 0) {
                    return tool + " --version exited with " + process.exitValue()
                            + "; the Polis peer needs Node.js and npm";
                }
            }
            catch (IOException ex) {
                return tool + " is not on the PATH (" + ex.getMessage() + "); the Polis peer needs Node.js and npm";
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return null;
    }

    /**
     * Copies package.json, package-lock.json and server.mjs into {@code target} and installs the packages there
     * ({@code npm ci} with the lock), unless the same package.json and lock are installed already. Install scripts
     * are not run: the only dependency that has one is better-sqlite3 (the library's SQLite engine, which builds a
     * native module and is not loaded for PostgreSQL).
     */
    private static Path install(Path source, Path target, Path log, Report report) throws IOException,
            InterruptedException {
        if (!Files.isRegularFile(source.resolve("package.json"))
                || !Files.isRegularFile(source.resolve("server.mjs"))) {
            throw new BenchFailure("no " + source.resolve("package.json") + " or server.mjs: run from the project "
                    + "directory");
        }
        Files.createDirectories(target);
        boolean lock = Files.isRegularFile(source.resolve("package-lock.json"));
        boolean cached = Files.isDirectory(target.resolve("node_modules").resolve("@boxyhq").resolve("saml-jackson"))
                && sameFile(source.resolve("package.json"), target.resolve("package.json"))
                && (!lock || sameFile(source.resolve("package-lock.json"), target.resolve(".installed-lock.json")));
        Files.copy(source.resolve("server.mjs"), target.resolve("server.mjs"), StandardCopyOption.REPLACE_EXISTING);
        if (cached) {
            report.note(SCENARIO, "npm install", "cached in " + target.toAbsolutePath());
            return target;
        }
        Files.copy(source.resolve("package.json"), target.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
        if (lock) {
            Files.copy(source.resolve("package-lock.json"), target.resolve("package-lock.json"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>(List.of("npm", lock ? "ci" : "install", "--no-audit", "--no-fund",
                "--ignore-scripts"));
        System.out.println("  " + String.join(" ", command) + " in " + target + " ...");
        long start = System.nanoTime();
        Process npm = new ProcessBuilder(command).directory(target.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!npm.waitFor(900, TimeUnit.SECONDS)) {
            npm.descendants().forEach(ProcessHandle::destroyForcibly);
            npm.destroyForcibly();
            throw new BenchFailure("npm did not finish within 900 s; see " + log);
        }
        if (npm.exitValue() != 0) {
            throw new BenchFailure("npm exited with " + npm.exitValue() + "; see " + log);
        }
        if (lock) {
            Files.copy(source.resolve("package-lock.json"), target.resolve(".installed-lock.json"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        report.note(SCENARIO, "npm install", String.format(Locale.ROOT, "%s in %.0f s (log %s)",
                String.join(" ", command), (System.nanoTime() - start) / 1e9, log.toAbsolutePath()));
        return target;
    }

    private static boolean sameFile(Path a, Path b) throws IOException {
        return Files.isRegularFile(b) && Files.mismatch(a, b) == -1;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The Node process of server.mjs. It is stopped when closed, by a shutdown hook if the harness's JVM exits first,
     * and, since it is started with {@code EXIT_WITH_STDIN=1}, by itself when its stdin (a pipe from this JVM) ends,
     * which is also the case when the JVM is killed.
     */
    private static final class PolisProcess implements AutoCloseable {

        private final Process process;
        private final OutputStream stdin;
        private final Thread shutdownHook;
        private final Path log;
        private int port;
        private String directoryId;
        private String secret;
        private double startupSeconds;
        private String libraryVersion = "?";
        private String nodeVersion = "?";

        private PolisProcess(Process process, Path log) {
            this.process = process;
            this.stdin = process.getOutputStream();
            this.log = log;
            this.shutdownHook = new Thread(this::stop, "stop-polis");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }

        static PolisProcess start(BenchConfig config, Path directory, String database, Path log) throws IOException,
                InterruptedException {
            int port = freePort();
            ProcessBuilder builder = new ProcessBuilder("node", "server.mjs").directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            String credentials = config.dbUser() + (config.dbPassword().isEmpty() ? ""
                    : ":" + java.net.URLEncoder.encode(config.dbPassword(), java.nio.charset.StandardCharsets.UTF_8));
            env.put("DB_URL", "postgres://" + credentials + "@" + config.dbHost() + ":" + config.dbPort() + "/"
                    + database);
            env.put("PORT", Integer.toString(port));
            env.put("HOST_URL", "127.0.0.1");
            env.put("EXIT_WITH_STDIN", "1");
            env.put("DO_NOT_TRACK", "1");
            env.put("NODE_ENV", "production");
            long start = System.nanoTime();
            PolisProcess polis = new PolisProcess(builder.start(), log);
            try {
                polis.awaitReady(start, config.startupTimeoutSeconds());
                polis.versions(directory);
                return polis;
            }
            catch (IOException | InterruptedException | RuntimeException ex) {
                polis.close();
                throw ex;
            }
        }

        private void awaitReady(long start, int timeoutSeconds) throws IOException, InterruptedException {
            long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (true) {
                if (Files.exists(log)) {
                    for (String line : Files.readAllLines(log)) {
                        if (line.startsWith("{\"ready\":true")) {
                            JsonNode ready = Http.JSON.readTree(line);
                            port = ready.get("port").asInt();
                            directoryId = ready.get("directoryId").asText();
                            secret = ready.get("secret").asText();
                            startupSeconds = (System.nanoTime() - start) / 1e9;
                            return;
                        }
                    }
                }
                if (!process.isAlive()) {
                    throw new BenchFailure("the Polis stand-in exited during start-up (exit " + process.exitValue()
                            + "); see " + log);
                }
                if (System.nanoTime() > deadline) {
                    throw new BenchFailure("the Polis stand-in did not start within " + timeoutSeconds + " s; see "
                            + log);
                }
                Thread.sleep(50);
            }
        }

        private void versions(Path directory) {
            try {
                JsonNode pkg = Http.JSON.readTree(directory.resolve("node_modules/@boxyhq/saml-jackson/package.json")
                        .toFile());
                libraryVersion = pkg.get("version").asText();
                Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
                nodeVersion = new String(node.getInputStream().readAllBytes()).trim();
                node.waitFor(30, TimeUnit.SECONDS);
            }
            catch (IOException | RuntimeException ex) {
                // only for the report
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }

        long pid() {
            return process.pid();
        }

        /** Users the library stored for the directory (its key-value store: one row per user in jackson_store). */
        Object countUsers(BenchConfig config, String jdbcUrl) {
            try (Connection c = DriverManager.getConnection(jdbcUrl, config.dbUser(), config.dbPassword());
                 var statement = c.createStatement()) {
                var rs = statement.executeQuery("SELECT COUNT(*) FROM jackson_store WHERE namespace LIKE "
                        + "'dsync:users%'");
                rs.next();
                return rs.getLong(1);
            }
            catch (SQLException ex) {
                return "? (" + ex.getMessage() + ")";
            }
        }

        private void stop() {
            try {
                stdin.close();
            }
            catch (IOException ignored) {
                // the process may be gone already
            }
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }

        @Override
        public void close() {
            stop();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
            catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
    }
}
