package dev.roster.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Scenario 5, access decisions: a resource owned by a team, half of a sample of members in that team (manual grants
 * through the admin API), and {@code GET /decisions?account=&resource=} for random members of the sample, with the
 * answer checked. Then removal to denial: a poller asks about one member back to back while the admin removes them
 * ({@code DELETE /members/{id}}); the figure is the time from sending the DELETE to the first denial the poller
 * receives, so it includes the DELETE itself.
 */
final class Decisions {

    private static final int SAMPLE = 2_000;

    private Decisions() {
    }

    static void run(Benchmark.Context context) throws InterruptedException {
        Admin admin = context.admin();
        Http http = context.http();
        String team = admin.createTeam("Decisions bench");
        String resource = admin.createTeamResource("decisions-bench", team);
        List<Admin.Member> sample = admin.activeMembers(SAMPLE + 1).stream().filter(m -> !m.admin()).toList();
        if (sample.size() < context.config().removalTrials() * 2) {
            throw new BenchFailure("too few members for the decision scenario: " + sample.size());
        }
        boolean[] granted = new boolean[sample.size()];
        context.run("decisions", "setup: grant the team to half", context.config().maxClients(),
                sample.size() / 2, (i, timer) -> {
                    int member = i * 2;
                    http.send("PUT", admin.orgPath("/members/" + sample.get(member).membershipId() + "/teams/" + team),
                            admin.token(), null, null).expect(200, 204);
                    granted[member] = true;
                });
        long members = admin.memberCount();
        context.report().note("decisions", "members in the organization", members);
        Load.Task decide = (i, timer) -> {
            int m = ThreadLocalRandom.current().nextInt(sample.size());
            String path = decisionPath(admin, sample.get(m).accountId(), resource);
            JsonNode answer = timer.time("GET decision", () -> http.get(path, admin.token())).expect(200).json();
            if (answer.get("allowed").asBoolean() != granted[m]) {
                throw new BenchFailure("decision for member " + m + " was " + answer);
            }
        };
        // Unmeasured: until the JIT has compiled the decision path, the first requests say more about the
        // interpreter than about steady state (a host application asks millions of times).
        context.run("decisions", "warm-up (not measured)", 1, context.config().decisionWarmup(), decide);
        for (int clients : context.config().clients()) {
            Load.Phase phase = context.run("decisions", "decisions", clients, context.config().decisions(), decide);
            Latencies.Summary latency = phase.latency("GET decision");
            boolean judged = clients == context.config().clients().get(0);
            context.report().figure("decisions", "decision p50 at " + clients + " clients (" + members + " members)",
                    latency.p50(), "ms", null);
            context.report().figure("decisions", "decision p99 at " + clients + " clients (" + members + " members)",
                    latency.p99(), "ms", judged ? Report.Target.below(2) : null);
            context.report().figure("decisions", "decisions/s at " + clients + " clients", phase.rate(), "req/s", null);
        }

        Latencies toDenial = new Latencies();
        Latencies deletes = new Latencies();
        int trial = 0;
        for (int m = 0; m < sample.size() && trial < context.config().removalTrials(); m += 2) {
            if (!granted[m]) {
                continue;
            }
            trial++;
            Admin.Member member = sample.get(m);
            String path = decisionPath(admin, member.accountId(), resource);
            AtomicLong allowedSeen = new AtomicLong();
            AtomicLong deniedAt = new AtomicLong();
            AtomicReference<String> failure = new AtomicReference<>();
            Thread poller = new Thread(() -> {
                try {
                    while (true) {
                        JsonNode answer = http.get(path, admin.token()).expect(200).json();
                        long received = System.nanoTime();
                        if (answer.get("allowed").asBoolean()) {
                            allowedSeen.incrementAndGet();
                        }
                        else {
                            deniedAt.set(received);
                            return;
                        }
                    }
                }
                catch (RuntimeException ex) {
                    failure.set(ex.toString());
                }
            }, "denial-poller");
            poller.start();
            while (allowedSeen.get() < 3 && failure.get() == null) {
                Thread.onSpinWait();
            }
            long sent = System.nanoTime();
            http.send("DELETE", admin.orgPath("/members/" + member.membershipId()), admin.token(), null, null)
                    .expect(204);
            deletes.add(System.nanoTime() - sent);
            poller.join(10_000);
            if (failure.get() != null || deniedAt.get() == 0) {
                throw new BenchFailure("the poller saw no denial: " + failure.get());
            }
            toDenial.add(deniedAt.get() - sent);
        }
        Latencies.Summary denial = toDenial.summary();
        context.report().phase("decisions", new Load.Phase("removal to first denial", 2, denial.count(), 0, 0,
                new java.util.LinkedHashMap<>(java.util.Map.of("DELETE", deletes.summary(),
                        "DELETE sent→denial", denial)), 0, List.of(), null));
        context.report().figure("decisions", "removal → first denial, median of " + denial.count(), denial.p50(), "ms",
                null);
        context.report().figure("decisions", "removal → first denial, worst of " + denial.count(), denial.max(), "ms",
                Report.Target.below(100));
    }

    private static String decisionPath(Admin admin, String accountId, String resource) {
        return admin.orgPath("/decisions?account=" + accountId + "&resource=" + resource);
    }
}
