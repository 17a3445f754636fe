package dev.roster.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Roster as the benchmarks measure it: the packaged jar in a JVM of its own ({@code -Xmx512m}), on a fresh
 * PostgreSQL database, bootstrapped with an organization and an admin API token through the environment. Start-up
 * time is from launching the process to {@code /actuator/health} answering UP; peak RSS is the kernel's high-water
 * mark (VmHWM) just before it is stopped.
 */
final class RosterProcess implements AutoCloseable {

    private final Process process;
    private final String baseUrl;
    private final Path log;
    private final double startupSeconds;
    private final Thread shutdownHook;

    private RosterProcess(Process process, String baseUrl, Path log, double startupSeconds, Thread shutdownHook) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
        this.startupSeconds = startupSeconds;
        this.shutdownHook = shutdownHook;
    }

    /** How the JVM is launched: which jar, with which extra options. */
    record Launch(String description, Path jar, List<String> jvmArgs) {

        /** The packaged jar as built, {@code java -jar target/roster-*.jar}. */
        static Launch plain(BenchConfig config) throws IOException {
            Path jar = config.jar() != null ? Path.of(config.jar()) : findJar();
            return new Launch("java -jar on the packaged jar", jar, List.of());
        }

        /**
         * The deployment docs/benchmarks.md recommends: the jar extracted ({@code -Djarmode=tools extract}), so
         * classes load from plain jars instead of jars nested in one, and a class data sharing archive written by a
         * training run that stops once the application context is refreshed ({@code spring.context.exit=onRefresh},
         * as Spring Boot documents for CDS). The training run uses the default embedded database in a directory of
         * its own, as the container image in docker-compose.yml does, where no PostgreSQL is at hand.
         */
        static Launch withClassDataSharing(BenchConfig config, Path outputDir) throws IOException,
                InterruptedException {
            Path packaged = plain(config).jar();
            Path extracted = outputDir.resolve("app").toAbsolutePath();
            deleteRecursively(extracted);
            Process extract = new ProcessBuilder(java(), "-Djarmode=tools", "-jar", packaged.toString(), "extract",
                    "--destination", extracted.toString()).redirectErrorStream(true)
                    .redirectOutput(outputDir.resolve("extract.log").toFile()).start();
            if (!extract.waitFor(120, TimeUnit.SECONDS) || extract.exitValue() != 0) {
                throw new BenchFailure("extracting " + packaged + " failed; see " + outputDir.resolve("extract.log"));
            }
            Path jar = extracted.resolve(packaged.getFileName());
            Path archive = extracted.resolve("roster.jsa");
            List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + config.heap(),
                    "-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh", "-jar", jar.toString()));
            Path workDir = outputDir.resolve("cds-training").toAbsolutePath();
            deleteRecursively(workDir);
            Files.createDirectories(workDir);
            ProcessBuilder training = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(outputDir.resolve("roster-cds-training.log").toFile());
            training.environment().put("PORT", Integer.toString(freePort()));
            Process process = training.start();
            if (!process.waitFor(config.startupTimeoutSeconds(), TimeUnit.SECONDS) || !Files.exists(archive)) {
                process.destroyForcibly();
                throw new BenchFailure("the CDS training run wrote no archive; see "
                        + outputDir.resolve("roster-cds-training.log"));
            }
            return new Launch("extracted jar with a CDS archive (-XX:SharedArchiveFile)", jar,
                    List.of("-XX:SharedArchiveFile=" + archive));
        }
    }

    static RosterProcess start(BenchConfig config, String jdbcUrl, String adminToken, Path outputDir, Launch launch,
                               String logName) throws IOException, InterruptedException {
        int port = freePort();
        String baseUrl = "http://127.0.0.1:" + port;
        Path log = outputDir.resolve(logName);
        List<String> command = new ArrayList<>();
        command.add(java());
        command.add("-Xmx" + config.heap());
        command.addAll(launch.jvmArgs());
        if (config.jfr()) {
            command.add("-XX:StartFlightRecording=filename=" + outputDir.resolve("roster.jfr").toAbsolutePath()
                    + ",settings=profile,dumponexit=true");
        }
        command.addAll(config.jvmArgs());
        command.add("-jar");
        command.add(launch.jar().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        environment(builder.environment(), config, jdbcUrl, adminToken, port);
        long start = System.nanoTime();
        Process process = builder.start();
        // If the harness's JVM exits before closing this (Ctrl-C, a timeout's SIGTERM), Roster must not outlive it.
        Thread shutdownHook = new Thread(process::destroyForcibly, "stop-roster");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            double startup = awaitUp(config, process, baseUrl, log, start);
            return new RosterProcess(process, baseUrl, log, startup, shutdownHook);
        }
        catch (InterruptedException | RuntimeException ex) {
            process.destroyForcibly();
            removeHook(shutdownHook);
            throw ex;
        }
    }

    private static double awaitUp(BenchConfig config, Process process, String baseUrl, Path log, long start)
            throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = start + TimeUnit.SECONDS.toNanos(config.startupTimeoutSeconds());
        while (true) {
            if (!process.isAlive()) {
                throw new BenchFailure("Roster exited during start-up (exit " + process.exitValue() + "); see " + log);
            }
            try {
                HttpResponse<String> answer = client.send(health, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200 && answer.body().contains("\"UP\"")) {
                    break;
                }
            }
            catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new BenchFailure("Roster did not report UP within " + config.startupTimeoutSeconds() + " s; see "
                        + log);
            }
            Thread.sleep(20);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private static void environment(Map<String, String> env, BenchConfig config, String jdbcUrl, String adminToken,
                                    int port) {
        env.put("PORT", Integer.toString(port));
        env.put("ROSTER_BASE_URL", "http://127.0.0.1:" + port);
        env.put("ROSTER_DB_URL", jdbcUrl);
        env.put("ROSTER_DB_USER", config.dbUser());
        env.put("ROSTER_DB_PASSWORD", config.dbPassword());
        // Roster on PostgreSQL outside the demo profile does not start without its secret key; one per run.
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        env.put("ROSTER_SECRET_KEY", java.util.Base64.getEncoder().encodeToString(key));
        env.put("ROSTER_BOOTSTRAP_ORG", Benchmark.ORG);
        env.put("ROSTER_BOOTSTRAP_ORG_NAME", "Benchmark");
        env.put("ROSTER_BOOTSTRAP_ADMIN_EMAIL", Benchmark.ADMIN_EMAIL);
        env.put("ROSTER_BOOTSTRAP_API_TOKEN", adminToken);
        // The SAML scenario's people sign in with addresses in this domain; an operator vouches for it.
        env.put("ROSTER_SSO_VERIFIED_DOMAINS", Benchmark.ORG + ":" + SamlScenario.DOMAIN);
        // The webhooks scenario's receiver listens on loopback over plain HTTP, which Roster refuses unless told.
        env.put("ROSTER_OUTBOUND_ALLOWED_HOSTS", "localhost");
        env.put("ROSTER_WEBHOOKS_ALLOWHTTP", "true");
        config.rosterEnv().forEach(env::put);
    }

    String baseUrl() {
        return baseUrl;
    }

    double startupSeconds() {
        return startupSeconds;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** The peak resident set size so far, in MiB (VmHWM of /proc/<pid>/status). */
    Optional<Double> peakRssMib() {
        return statusField("VmHWM:");
    }

    Optional<Double> currentRssMib() {
        return statusField("VmRSS:");
    }

    private Optional<Double> statusField(String field) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            return lines.filter(l -> l.startsWith(field)).findFirst()
                    .map(l -> Long.parseLong(l.substring(field.length()).trim().split("\\s+")[0]) / 1024.0);
        }
        catch (IOException | RuntimeException ex) {
            return Optional.empty();
        }
    }

    /** Heap in use after a full collection, in MiB, from jcmd (empty when jcmd is not available). */
    Optional<Double> heapAfterFullGcMib() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return Optional.empty();
        }
        try {
            run(jcmd.toString(), Long.toString(process.pid()), "GC.run");
            String info = run(jcmd.toString(), Long.toString(process.pid()), "GC.heap_info");
            // G1: " garbage-first heap   total 262144K, used 81234K [..."
            for (String line : info.split("\n")) {
                int used = line.indexOf("used ");
                if (line.contains("heap") && line.contains("total") && used > 0) {
                    String number = line.substring(used + 5).split("[K,\\s]")[0];
                    return Optional.of(Long.parseLong(number) / 1024.0);
                }
            }
            return Optional.empty();
        }
        catch (IOException | RuntimeException ex) {
            return Optional.empty();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        removeHook(shutdownHook);
    }

    private static Path findJar() throws IOException {
        Path target = Path.of("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith("roster-") && name.endsWith(".jar");
            }).findFirst().orElseThrow(() -> new BenchFailure("no target/roster-*.jar: run the package phase first "
                    + "(./mvnw -Pbench verify does)"));
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
