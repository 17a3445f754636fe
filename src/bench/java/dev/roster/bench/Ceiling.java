package dev.roster.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 6, the database's ceiling: the rows Roster writes for the cycle's users and memberships, inserted into the
 * same tables of the same PostgreSQL by plain JDBC batches (1,000 users or memberships per batch and transaction,
 * {@code reWriteBatchedInserts}, {@code ceilingConnections} connections in parallel), under a directory of their own.
 * For each user that is what a SCIM create writes: the account, the membership, the SCIM user and its email, two
 * audit entries (account created, member added), the user's claim on the address, the pending {@code member.added}
 * event and two request-log entries (the look-up and the create); the event sequencer's later move of the event is
 * not counted. For each
 * PATCH of {@code membersPerPatch} members: the member rows, the group's new version and its request-log entry.
 * No checks, no look-ups, no JSON, no HTTP: what is left is what PostgreSQL needs to store the same data.
 */
final class Ceiling {

    private static final int BATCH = 1_000;

    private Ceiling() {
    }

    record Result(double usersPerSecond, double membershipsPerSecond, double seconds) {
    }

    static Result run(Benchmark.Context context, int users, int groups, int memberships) throws Exception {
        String url = context.jdbcUrl() + (context.jdbcUrl().contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
        UUID org;
        UUID directory = UUID.randomUUID();
        try (Connection c = connect(context, url)) {
            try (var statement = c.prepareStatement("SELECT id FROM organization WHERE slug = ?")) {
                statement.setString(1, Benchmark.ORG);
                var rs = statement.executeQuery();
                rs.next();
                org = rs.getObject(1, UUID.class);
            }
            try (var statement = c.prepareStatement("""
                    INSERT INTO scim_directory (id, organization_id, name, kind, requests_per_second, created_at)
                    VALUES (?, ?, 'Ceiling', 'ENTRA', 100000, ?)""")) {
                statement.setObject(1, directory);
                statement.setObject(2, org);
                statement.setTimestamp(3, Timestamp.from(Instant.now()));
                statement.executeUpdate();
            }
            c.commit();
        }
        int threads = Math.max(1, context.config().ceilingConnections());
        UUID[] userIds = new UUID[users];
        for (int i = 0; i < users; i++) {
            userIds[i] = UUID.randomUUID();
        }
        long start = System.nanoTime();
        parallel(context, url, threads, users, (c, from, to) -> insertUsers(c, org, directory, userIds, from, to));
        double userSeconds = (System.nanoTime() - start) / 1e9;

        UUID[] groupIds = new UUID[groups];
        for (int g = 0; g < groups; g++) {
            groupIds[g] = UUID.randomUUID();
        }
        List<int[]> patches = EntraCycle.membershipPatches(users, groups, memberships,
                context.config().membersPerPatch());
        long membershipStart = System.nanoTime();
        parallel(context, url, threads, groups, (c, from, to) -> insertGroups(c, org, directory, groupIds, from, to));
        parallel(context, url, threads, patches.size(), (c, from, to) -> insertMembers(c, org, directory, userIds, groupIds,
                patches, from, to));
        double membershipSeconds = (System.nanoTime() - membershipStart) / 1e9;
        return new Result(users / userSeconds, memberships / membershipSeconds, userSeconds + membershipSeconds);
    }

    @FunctionalInterface
    private interface Slice {
        void insert(Connection connection, int from, int to) throws SQLException;
    }

    /** Splits [0, count) into batches handed to {@code threads} connections. */
    private static void parallel(Benchmark.Context context, String url, int threads, int count, Slice slice)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            AtomicInteger next = new AtomicInteger();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    try (Connection c = connect(context, url)) {
                        int from;
                        while ((from = next.getAndAdd(BATCH)) < count) {
                            slice.insert(c, from, Math.min(count, from + BATCH));
                            c.commit();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        finally {
            pool.shutdown();
        }
    }

    private static void insertUsers(Connection c, UUID org, UUID directory, UUID[] userIds, int from, int to)
            throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement account = c.prepareStatement("""
                INSERT INTO account (id, email, email_normalized, display_name, password_hash, created_at, updated_at)
                VALUES (?, ?, ?, ?, NULL, ?, ?)""");
             PreparedStatement membership = c.prepareStatement("""
                     INSERT INTO membership (id, organization_id, account_id, admin, status, source, status_changed_by,
                                             created_at, updated_at, email_normalized)
                     VALUES (?, ?, ?, FALSE, 'ACTIVE', 'SCIM', 'SCIM', ?, ?, ?)""");
             PreparedStatement user = c.prepareStatement("""
                     INSERT INTO scim_user (id, organization_id, directory_id, user_name, user_name_normalized,
                                            external_id, display_name, display_name_normalized, active, account_id,
                                            membership_id, resource, version, created_at, updated_at)
                     VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, TRUE, ?, ?, ?, 1, ?, ?)""");
             PreparedStatement claim = c.prepareStatement("""
                     INSERT INTO scim_email_claim (directory_id, email_normalized, organization_id, user_id, claimed_at)
                     VALUES (?, ?, ?, ?, ?)""");
             PreparedStatement event = c.prepareStatement("""
                     INSERT INTO event_pending (id, organization_id, event_type, occurred_at, actor_json, data_json)
                     VALUES (?, ?, 'member.added', ?, ?, ?)""");
             PreparedStatement email = c.prepareStatement("""
                     INSERT INTO scim_user_email (user_id, position, directory_id, value_normalized, type_normalized,
                                                  is_primary)
                     VALUES (?, 0, ?, ?, 'work', TRUE)""");
             PreparedStatement audit = c.prepareStatement(AUDIT);
             PreparedStatement log = c.prepareStatement(REQUEST_LOG)) {
            for (int i = from; i < to; i++) {
                UUID accountId = UUID.randomUUID();
                UUID membershipId = UUID.randomUUID();
                String name = "ceiling" + i + "." + directory + "@" + EntraCycle.USER_DOMAIN;
                String body = EntraCycle.userBody(name, i);
                account.setObject(1, accountId);
                account.setString(2, name);
                account.setString(3, name);
                account.setString(4, "Given" + i + " Family" + i);
                account.setTimestamp(5, now);
                account.setTimestamp(6, now);
                account.addBatch();
                membership.setObject(1, membershipId);
                membership.setObject(2, org);
                membership.setObject(3, accountId);
                membership.setTimestamp(4, now);
                membership.setTimestamp(5, now);
                membership.setString(6, name);
                membership.addBatch();
                user.setObject(1, userIds[i]);
                user.setObject(2, org);
                user.setObject(3, directory);
                user.setString(4, name);
                user.setString(5, name);
                user.setString(6, UUID.randomUUID().toString());
                user.setObject(7, accountId);
                user.setObject(8, membershipId);
                user.setString(9, body);
                user.setTimestamp(10, now);
                user.setTimestamp(11, now);
                user.addBatch();
                email.setObject(1, userIds[i]);
                email.setObject(2, directory);
                email.setString(3, name);
                email.addBatch();
                claim.setObject(1, directory);
                claim.setString(2, name);
                claim.setObject(3, org);
                claim.setObject(4, userIds[i]);
                claim.setTimestamp(5, now);
                claim.addBatch();
                event.setObject(1, UUID.randomUUID());
                event.setObject(2, org);
                event.setTimestamp(3, now);
                event.setString(4, "{\"type\":\"scim-directory\",\"id\":\"" + directory + "\",\"label\":\"Ceiling\"}");
                event.setString(5, "{\"member\":{\"id\":\"" + membershipId + "\",\"accountId\":\"" + accountId
                        + "\",\"email\":\"" + name + "\",\"displayName\":\"Given" + i + " Family" + i
                        + "\",\"admin\":false,\"status\":\"ACTIVE\",\"teams\":[]}}");
                event.addBatch();
                audit(audit, null, accountId, now, "account.created", "account", accountId, name,
                        "{\"email\":\"" + name + "\",\"displayName\":\"Given" + i + " Family" + i + "\"}");
                audit(audit, org, null, now, "member.added", "member", membershipId, name,
                        "{\"admin\":false,\"status\":\"ACTIVE\",\"source\":\"SCIM\"}");
                log(log, org, directory, now, "GET", "/scim/v2/Users", "filter=userName%20eq%20%22" + name + "%22",
                        200, null, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],"
                                + "\"totalResults\":0,\"itemsPerPage\":0,\"startIndex\":1,\"Resources\":[]}");
                log(log, org, directory, now, "POST", "/scim/v2/Users", null, 201, body, body);
            }
            account.executeBatch();
            membership.executeBatch();
            user.executeBatch();
            email.executeBatch();
            claim.executeBatch();
            event.executeBatch();
            audit.executeBatch();
            log.executeBatch();
        }
    }

    private static void insertGroups(Connection c, UUID org, UUID directory, UUID[] groupIds, int from, int to)
            throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement group = c.prepareStatement("""
                INSERT INTO scim_group (id, organization_id, directory_id, display_name, display_name_normalized,
                                        external_id, resource, version, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)""");
             PreparedStatement audit = c.prepareStatement(AUDIT);
             PreparedStatement log = c.prepareStatement(REQUEST_LOG)) {
            for (int g = from; g < to; g++) {
                String name = "Ceiling group " + g + " " + directory;
                String body = EntraCycle.groupBody(name);
                group.setObject(1, groupIds[g]);
                group.setObject(2, org);
                group.setObject(3, directory);
                group.setString(4, name);
                group.setString(5, name.toLowerCase());
                group.setString(6, UUID.randomUUID().toString());
                group.setString(7, body);
                group.setTimestamp(8, now);
                group.setTimestamp(9, now);
                group.addBatch();
                audit(audit, org, null, now, "scim-group.created", "scim-group", groupIds[g], name,
                        "{\"displayName\":\"" + name + "\",\"members\":0}");
                log(log, org, directory, now, "GET", "/scim/v2/Groups", "excludedAttributes=members&filter="
                        + "displayName%20eq%20%22" + name + "%22", 200, null, "{\"totalResults\":0}");
                log(log, org, directory, now, "POST", "/scim/v2/Groups", null, 201, body, body);
            }
            group.executeBatch();
            audit.executeBatch();
            log.executeBatch();
        }
    }

    private static void insertMembers(Connection c, UUID org, UUID directory, UUID[] userIds, UUID[] groupIds,
                                      List<int[]> patches, int from, int to) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement member = c.prepareStatement("""
                INSERT INTO scim_group_member (group_id, user_id, directory_id) VALUES (?, ?, ?)""");
             PreparedStatement version = c.prepareStatement("""
                     UPDATE scim_group SET version = version + 1, updated_at = ?
                     WHERE organization_id = ? AND directory_id = ? AND id = ?""");
             PreparedStatement log = c.prepareStatement(REQUEST_LOG)) {
            for (int p = from; p < to; p++) {
                int[] patch = patches.get(p);
                StringBuilder body = new StringBuilder("{\"Operations\":[{\"op\":\"Add\",\"path\":\"members\",\"value\":[");
                for (int k = 1; k < patch.length; k++) {
                    member.setObject(1, groupIds[patch[0]]);
                    member.setObject(2, userIds[patch[k]]);
                    member.setObject(3, directory);
                    member.addBatch();
                    body.append(k > 1 ? "," : "").append("{\"$ref\":null,\"value\":\"").append(userIds[patch[k]])
                            .append("\"}");
                }
                version.setTimestamp(1, now);
                version.setObject(2, org);
                version.setObject(3, directory);
                version.setObject(4, groupIds[patch[0]]);
                version.addBatch();
                log(log, org, directory, now, "PATCH", "/scim/v2/Groups/" + groupIds[patch[0]], null, 204,
                        body.append("]}]}").toString(), "");
            }
            member.executeBatch();
            version.executeBatch();
            log.executeBatch();
        }
    }

    private static final String AUDIT = """
            INSERT INTO audit_event (id, organization_id, subject_account_id, occurred_at, actor_account_id, actor_label,
                                     channel, action, target_type, target_id, target_label, before_state, after_state)
            VALUES (?, ?, ?, ?, NULL, 'SCIM: Ceiling', 'SCIM', ?, ?, ?, ?, NULL, ?)""";

    private static void audit(PreparedStatement audit, UUID org, UUID subject, Timestamp now, String action,
                              String targetType, UUID target, String label, String after) throws SQLException {
        audit.setObject(1, UUID.randomUUID());
        audit.setObject(2, org);
        audit.setObject(3, subject);
        audit.setTimestamp(4, now);
        audit.setString(5, action);
        audit.setString(6, targetType);
        audit.setString(7, target.toString());
        audit.setString(8, label);
        audit.setString(9, after);
        audit.addBatch();
    }

    private static final String REQUEST_LOG = """
            INSERT INTO scim_request_log (id, organization_id, directory_id, occurred_at, method, path, query, status,
                                          duration_ms, request_body, response_body)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)""";

    private static void log(PreparedStatement log, UUID org, UUID directory, Timestamp now, String method, String path,
                            String query, int status, String request, String response) throws SQLException {
        log.setObject(1, UUID.randomUUID());
        log.setObject(2, org);
        log.setObject(3, directory);
        log.setTimestamp(4, now);
        log.setString(5, method);
        log.setString(6, path);
        log.setString(7, query);
        log.setInt(8, status);
        log.setString(9, request);
        log.setString(10, response);
        log.addBatch();
    }

    private static Connection connect(Benchmark.Context context, String url) throws SQLException {
        Connection c = DriverManager.getConnection(url, context.config().dbUser(), context.config().dbPassword());
        c.setAutoCommit(false);
        return c;
    }
}
