package dev.roster.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

/**
 * Events' cost on the write path and the delivery rate (issue 13): the Entra cycle of {@link EntraCycle} at 8 clients,
 * four times: with no webhook endpoint, twice with one endpoint subscribed to every event type (a local receiver that
 * checks each delivery's Standard Webhooks signature and answers 204), then with the endpoint disabled. The two cycles
 * with the endpoint are compared with the two without, on either side of them, so a drift that is linear in time
 * (the tables grow, the JIT and the statistics settle) cancels. After
 * the cycle with the endpoint, the harness waits until the receiver has every event that cycle published: the lag
 * is the time from the cycle's last answer to the last delivery, the delivery rate is events over the time between
 * the first and the last delivery. Sizes: {@code bench.webhookUsers} users (default 5,000), with groups and
 * memberships in the cycle's proportions.
 */
final class WebhookScenario {

    private WebhookScenario() {
    }

    static void run(Benchmark.Context context) throws Exception {
        BenchConfig config = context.config();
        int users = Integer.getInteger("bench.webhookUsers", 5_000);
        int clients = 8;
        double share = (double) users / config.users();
        int groups = Math.max(1, (int) Math.round(config.groups() * share));
        int memberships = (int) Math.round(config.memberships() * share);
        Report report = context.report();
        try (Receiver receiver = Receiver.start()) {
            // The JIT compiles the create path during a first, unmeasured cycle (the entra scenario may not have run).
            EntraCycle.run(context, "wh-warm", Math.min(users, 2_000), Math.max(1, groups / 2), memberships / 2,
                    clients);
            // Four measured cycles in the order none, one, one, none (the last with the endpoint disabled): the
            // tables grow and the JIT and the planner's statistics settle from cycle to cycle, and this order cancels
            // a drift that is linear in time, which a single cycle on each side does not.
            EntraCycle.Result without = EntraCycle.run(context, "wh-none", users, groups, memberships, clients);

            JsonNode endpoint = context.admin().post("/webhooks", Map.of("url", receiver.url(),
                    "events", List.of("*"), "description", "benchmark receiver")).expect(201).json();
            receiver.secret(endpoint.get("secret").asText());
            long before = streamHead(context);
            EntraCycle.Result with = EntraCycle.run(context, "wh-one", users, groups, memberships, clients);
            long cycleEnd = System.nanoTime();
            long afterWith = awaitSequenced(context);
            long published = afterWith - before;
            receiver.await(published, 600);
            double lag = (receiver.lastArrival() - cycleEnd) / 1e9;

            EntraCycle.Result withAgain = EntraCycle.run(context, "wh-two", users, groups, memberships, clients);
            long cycleEndAgain = System.nanoTime();
            long afterWithAgain = awaitSequenced(context);
            receiver.await(afterWithAgain - before, 600);
            double lagAgain = (receiver.lastArrival() - cycleEndAgain) / 1e9;

            String endpointPath = context.admin().orgPath("/webhooks/" + endpoint.get("id").asText());
            context.http().send("PATCH", endpointPath, context.admin().token(), "application/json",
                    Http.json(Map.of("enabled", false))).expect(200);
            EntraCycle.Result withoutAgain = EntraCycle.run(context, "wh-off", users, groups, memberships, clients);

            // Enabled again, the endpoint goes on from where it stopped: the disabled cycle's events are a backlog
            // it drains as fast as Roster can deliver, which is the delivery capacity (during a cycle, deliveries
            // can go no faster than the cycle publishes).
            long backlog = awaitSequenced(context) - afterWithAgain;
            receiver.reset();
            long enabledAt = System.nanoTime();
            context.http().send("PATCH", endpointPath, context.admin().token(), "application/json",
                    Http.json(Map.of("enabled", true))).expect(200);
            receiver.await(backlog, 600);
            double drainRate = backlog / ((receiver.lastArrival() - enabledAt) / 1e9);

            double baseline = (without.seconds() + withoutAgain.seconds()) / 2;
            double measured = (with.seconds() + withAgain.seconds()) / 2;
            String cycle = " (" + users + " users, " + groups + " groups, " + memberships + " memberships, "
                    + clients + " clients)";
            report.figure("webhooks", "1. cycle without an endpoint" + cycle, without.seconds(), "s", null);
            report.figure("webhooks", "2. cycle with one endpoint (every type)" + cycle, with.seconds(), "s", null);
            report.figure("webhooks", "3. cycle with the endpoint, again" + cycle, withAgain.seconds(), "s", null);
            report.figure("webhooks", "4. cycle with the endpoint disabled" + cycle, withoutAgain.seconds(), "s",
                    null);
            report.figure("webhooks", "users created/s without an endpoint (1, 4)",
                    (without.users().rate() + withoutAgain.users().rate()) / 2, "users/s", null);
            report.figure("webhooks", "users created/s with an endpoint (2, 3)",
                    (with.users().rate() + withAgain.users().rate()) / 2, "users/s", null);
            report.figure("webhooks", "write-path overhead of one endpoint (cycle time, 2 and 3 vs 1 and 4)",
                    100 * (measured / baseline - 1), "%", Report.Target.below(10));
            // CPU per user (Roster and its database backends, the whole cycle) moves much less than time with
            // whatever else runs on the machine; the deliveries during the cycle are in the figure with the endpoint.
            double cpuWithout = (cpuPerUser(without) + cpuPerUser(withoutAgain)) / 2;
            double cpuWith = (cpuPerUser(with) + cpuPerUser(withAgain)) / 2;
            report.figure("webhooks", "CPU ms per user of the cycle (Roster + database), without an endpoint (1, 4)",
                    cpuWithout, "ms", null);
            report.figure("webhooks", "CPU ms per user of the cycle (Roster + database), with one endpoint (2, 3)",
                    cpuWith, "ms", null);
            report.note("webhooks", "CPU ms per user of cycles 1 / 2 / 3 / 4", String.format(Locale.ROOT,
                    "%.2f / %.2f / %.2f / %.2f", cpuPerUser(without), cpuPerUser(with), cpuPerUser(withAgain),
                    cpuPerUser(withoutAgain)));
            report.figure("webhooks", "write-path CPU overhead of one endpoint (2 and 3 vs 1 and 4)",
                    100 * (cpuWith / cpuWithout - 1), "%", Report.Target.below(10));
            report.figure("webhooks", "events published by the cycle with the endpoint", published, "events", null);
            report.figure("webhooks", "delivery lag at the end of cycle 2 (last answer to last delivery)", lag,
                    "s", null);
            report.figure("webhooks", "delivery lag at the end of cycle 3", lagAgain, "s", null);
            report.figure("webhooks", "backlog of " + backlog + " events drained, events/s", drainRate, "events/s",
                    Report.Target.atLeast(1_000));
            report.note("webhooks", "deliveries received", receiver.received());
            report.note("webhooks", "signatures that did not verify", receiver.badSignatures());
            if (receiver.badSignatures() > 0) {
                throw new BenchFailure(receiver.badSignatures() + " deliveries had a signature that did not verify");
            }
            System.out.printf(Locale.ROOT, "  webhooks: cycle %.1f s without, %.1f s with (mean of two), %.1f s disabled; lag %.2f s; "
                    + "%d events drained at %.0f/s%n", without.seconds(), measured, withoutAgain.seconds(), lag,
                    backlog, drainRate);
        }
    }

    private static double cpuPerUser(EntraCycle.Result cycle) {
        double ms = 0;
        for (Load.Phase phase : List.of(cycle.users(), cycle.groups(), cycle.memberships())) {
            if (phase.cpu() == null) {
                return Double.NaN;
            }
            ms += phase.cpu().roster() + phase.cpu().database();
        }
        return ms / cycle.userIds().length;
    }

    /** The benchmark organization's last stream position (events not yet sequenced are not counted). */
    private static long streamHead(Benchmark.Context context) throws SQLException {
        try (Connection c = connect(context); PreparedStatement statement = c.prepareStatement(
                "SELECT COALESCE(MAX(e.stream_position), 0) FROM event e JOIN organization o "
                        + "ON o.id = e.organization_id WHERE o.slug = ?")) {
            statement.setString(1, Benchmark.ORG);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Waits until no event of the organization waits to be sequenced, and returns the stream's head then. */
    private static long awaitSequenced(Benchmark.Context context) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        try (Connection c = connect(context); PreparedStatement pending = c.prepareStatement(
                "SELECT COUNT(*) FROM event_pending p JOIN organization o ON o.id = p.organization_id "
                        + "WHERE o.slug = ?")) {
            pending.setString(1, Benchmark.ORG);
            while (true) {
                try (ResultSet rs = pending.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return streamHead(context);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new BenchFailure("events were still waiting to be sequenced a minute after the cycle");
                }
                Thread.sleep(20);
            }
        }
    }

    private static Connection connect(Benchmark.Context context) throws SQLException {
        return DriverManager.getConnection(context.jdbcUrl(), context.config().dbUser(), context.config().dbPassword());
    }

    /**
     * The host application's side: a JDK HTTP server on loopback that verifies each delivery's signature as the
     * Standard Webhooks specification says (HMAC-SHA256 over {@code id.timestamp.body}) and answers 204.
     */
    static final class Receiver implements AutoCloseable {

        private final HttpServer server;
        private final ExecutorService threads = Executors.newFixedThreadPool(4);
        private final AtomicLong received = new AtomicLong();
        private final AtomicLong badSignatures = new AtomicLong();
        private final AtomicLong firstArrival = new AtomicLong();
        private final AtomicLong lastArrival = new AtomicLong();
        private volatile byte[] key;

        private Receiver(HttpServer server) {
            this.server = server;
        }

        static Receiver start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
            Receiver receiver = new Receiver(server);
            server.createContext("/hook", exchange -> {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                receiver.check(exchange.getRequestHeaders().getFirst("webhook-id"),
                        exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                        exchange.getRequestHeaders().getFirst("webhook-signature"), body);
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.setExecutor(receiver.threads);
            server.start();
            return receiver;
        }

        /** Roster allows loopback targets only for hosts named in ROSTER_OUTBOUND_ALLOWED_HOSTS: localhost here. */
        String url() {
            return "http://localhost:" + server.getAddress().getPort() + "/hook";
        }

        /** Counts from zero again (the signature key stays). */
        void reset() {
            received.set(0);
            firstArrival.set(0);
            lastArrival.set(0);
        }

        void secret(String whsec) {
            key = Base64.getDecoder().decode(whsec.substring("whsec_".length()));
        }

        private void check(String id, String timestamp, String signatures, byte[] body) {
            long now = System.nanoTime();
            firstArrival.compareAndSet(0, now);
            lastArrival.set(now);
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
                byte[] expected = Base64.getEncoder().encode(mac.doFinal(body));
                boolean valid = false;
                for (String signature : signatures == null ? new String[0] : signatures.split(" ")) {
                    valid |= signature.startsWith("v1,") && MessageDigest.isEqual(expected,
                            signature.substring(3).getBytes(StandardCharsets.US_ASCII));
                }
                if (!valid) {
                    badSignatures.incrementAndGet();
                }
            }
            catch (GeneralSecurityException | RuntimeException ex) {
                badSignatures.incrementAndGet();
            }
            received.incrementAndGet();
        }

        void await(long count, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (received.get() < count) {
                if (System.nanoTime() > deadline) {
                    throw new BenchFailure("the receiver had " + received.get() + " of " + count + " events after "
                            + seconds + " s");
                }
                Thread.sleep(5);
            }
        }

        long received() {
            return received.get();
        }

        long badSignatures() {
            return badSignatures.get();
        }

        long firstArrival() {
            return firstArrival.get();
        }

        long lastArrival() {
            return lastArrival.get();
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
