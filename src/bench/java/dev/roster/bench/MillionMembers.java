package dev.roster.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The heap check: is {@code -Xmx512m} enough for an organization of 1,000,000 members? The members missing to a
 * million are inserted by JDBC (accounts, active memberships, and a manual grant of one team each; creating them
 * through SCIM would take longer than the rest of the run), then the reads whose cost grows with the organization
 * run against Roster: member list pages (first and last), a search, the team list with member counts, the team
 * itself, decisions for random members and what they reach. The heap is then measured after a full collection.
 */
final class MillionMembers {

    private static final int BATCH = 5_000;

    private MillionMembers() {
    }

    static void run(Benchmark.Context context) throws Exception {
        Admin admin = context.admin();
        Http http = context.http();
        int target = context.config().millionMembers();
        String team = admin.createTeam("Everyone (heap check)");
        String resource = admin.createTeamResource("heap-check", team);
        long present = admin.memberCount();
        int missing = (int) Math.max(0, target - present);
        List<UUID> accounts = new ArrayList<>();
        long start = System.nanoTime();
        String url = context.jdbcUrl() + (context.jdbcUrl().contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
        try (Connection c = DriverManager.getConnection(url, context.config().dbUser(), context.config().dbPassword())) {
            c.setAutoCommit(false);
            UUID org;
            try (var statement = c.prepareStatement("SELECT id FROM organization WHERE slug = ?")) {
                statement.setString(1, Benchmark.ORG);
                var rs = statement.executeQuery();
                rs.next();
                org = rs.getObject(1, UUID.class);
            }
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement account = c.prepareStatement("""
                    INSERT INTO account (id, email, email_normalized, display_name, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)""");
                 PreparedStatement membership = c.prepareStatement("""
                         INSERT INTO membership (id, organization_id, account_id, admin, status, source,
                                                 status_changed_by, created_at, updated_at, email_normalized)
                         VALUES (?, ?, ?, FALSE, 'ACTIVE', 'INVITATION', 'API', ?, ?, ?)""");
                 PreparedStatement grant = c.prepareStatement("""
                         INSERT INTO team_membership (organization_id, team_id, membership_id, source, created_at)
                         VALUES (?, ?, ?, 'MANUAL', ?)""")) {
                for (int i = 0; i < missing; i++) {
                    UUID accountId = UUID.randomUUID();
                    UUID membershipId = UUID.randomUUID();
                    String email = "m" + i + "." + accountId.toString().substring(0, 8) + "@million.bench.test";
                    account.setObject(1, accountId);
                    account.setString(2, email);
                    account.setString(3, email);
                    account.setString(4, "Member " + i);
                    account.setTimestamp(5, now);
                    account.setTimestamp(6, now);
                    account.addBatch();
                    membership.setObject(1, membershipId);
                    membership.setObject(2, org);
                    membership.setObject(3, accountId);
                    membership.setTimestamp(4, now);
                    membership.setTimestamp(5, now);
                    membership.setString(6, email);
                    membership.addBatch();
                    grant.setObject(1, org);
                    grant.setObject(2, UUID.fromString(team));
                    grant.setObject(3, membershipId);
                    grant.setTimestamp(4, now);
                    grant.addBatch();
                    if (i % 100 == 0) {
                        accounts.add(accountId);
                    }
                    if ((i + 1) % BATCH == 0 || i == missing - 1) {
                        account.executeBatch();
                        membership.executeBatch();
                        grant.executeBatch();
                        c.commit();
                    }
                }
            }
            try (var analyze = c.createStatement()) {
                c.setAutoCommit(true);
                analyze.execute("ANALYZE account");
                analyze.execute("ANALYZE membership");
                analyze.execute("ANALYZE team_membership");
            }
        }
        long members = admin.memberCount();
        context.report().note("million", "members inserted by JDBC", missing);
        context.report().note("million", "JDBC insert seconds", Latencies.round((System.nanoTime() - start) / 1e9));
        context.report().note("million", "members in the organization", members);
        int lastPage = (int) ((members - 1) / 500);
        String org = admin.orgPath("");
        String token = admin.token();
        int reads = 10;
        context.run("million", "member list, first page", 1, reads,
                (i, timer) -> timer.time("GET members p0", () -> http.get(org + "/members?size=50", token))
                        .expect(200));
        context.run("million", "member list, last page", 1, reads,
                (i, timer) -> timer.time("GET members last", () -> http.get(org + "/members?size=500&page="
                        + lastPage, token)).expect(200));
        context.run("million", "member search", 1, reads,
                (i, timer) -> timer.time("GET members?search", () -> http.get(org + "/members?search=m" + (i * 7919)
                        + ".", token)).expect(200));
        context.run("million", "team list with member counts", 1, reads,
                (i, timer) -> timer.time("GET teams", () -> http.get(org + "/teams", token)).expect(200));
        context.run("million", "the million-member team", 1, reads,
                (i, timer) -> timer.time("GET team", () -> http.get(org + "/teams/" + team, token)).expect(200));
        Load.Phase decisions = context.run("million", "decisions", context.config().maxClients(),
                context.config().decisions(), (i, timer) -> {
                    UUID account = accounts.get(ThreadLocalRandom.current().nextInt(accounts.size()));
                    JsonNode answer = timer.time("GET decision", () -> http.get(org + "/decisions?account=" + account
                            + "&resource=" + resource, token)).expect(200).json();
                    if (!answer.get("allowed").asBoolean()) {
                        throw new BenchFailure("denied: " + answer);
                    }
                });
        context.report().figure("million", "decision p99 at " + decisions.clients() + " clients (" + members
                + " members)", decisions.latency("GET decision").p99(), "ms", null);
        context.roster().heapAfterFullGcMib().ifPresent(heap ->
                context.report().figure("million", "heap in use after full GC (" + members + " members)", heap, "MiB",
                        Report.Target.below(512)));
        context.roster().peakRssMib().ifPresent(rss ->
                context.report().figure("million", "peak RSS so far", rss, "MiB", null));
        if (members < target) {
            throw new BenchFailure("only " + members + " members");
        }
    }
}
