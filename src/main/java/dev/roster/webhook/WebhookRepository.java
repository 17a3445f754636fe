package dev.roster.webhook;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.roster.events.EventTypes;
import dev.roster.organization.OrganizationJoins;

/** The tables {@code webhook_endpoint} and {@code webhook_attempt}. Every look-up names the organization. */
@Repository
class WebhookRepository {

    private static final String ENDPOINT_COLUMNS = """
            id, organization_id, url, description, event_types, enabled, disabled_reason, stream_position,
            failing_position, failures, next_attempt_at, last_success_at, last_failure_at, previous_secret_until,
            created_at, updated_at""";
    private static final String ATTEMPT_COLUMNS = """
            id, endpoint_id, organization_id, event_id, event_type, stream_position, trigger_kind, attempted_at,
            duration_ms, succeeded, response_status, response_body, error, next_attempt_at""";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    WebhookRepository(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** The stored secrets of an endpoint (encrypted), and until when the previous one signs. */
    record Secrets(String current, String previous, Instant previousUntil) {
    }

    void insert(WebhookEndpoint e, String encryptedSecret) {
        jdbc.sql("""
                INSERT INTO webhook_endpoint (id, organization_id, url, description, event_types, enabled, secret,
                                              stream_position, failures, next_attempt_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)""")
                .params(e.id(), e.organizationId(), e.url(), e.description(), e.events().joined(), e.enabled(),
                        encryptedSecret, e.streamPosition(), ts(e.nextAttemptAt()), ts(e.createdAt()),
                        ts(e.updatedAt()))
                .update();
    }

    Optional<WebhookEndpoint> find(UUID organizationId, UUID id) {
        return jdbc.sql("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoint WHERE organization_id = ? AND id = ?")
                .params(organizationId, id).query(WebhookRepository::endpoint).optional();
    }

    Optional<WebhookEndpoint> find(UUID id) {
        return jdbc.sql("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoint WHERE id = ?")
                .param(id).query(WebhookRepository::endpoint).optional();
    }

    List<WebhookEndpoint> list(UUID organizationId) {
        return jdbc.sql("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoint WHERE organization_id = ? "
                        + "ORDER BY created_at, id")
                .param(organizationId).query(WebhookRepository::endpoint).list();
    }

    int count(UUID organizationId) {
        return jdbc.sql("SELECT COUNT(*) FROM webhook_endpoint WHERE organization_id = ?").param(organizationId)
                .query(Integer.class).single();
    }

    void update(UUID organizationId, UUID id, String url, String description, EventTypes events, Instant now) {
        jdbc.sql("""
                UPDATE webhook_endpoint SET url = ?, description = ?, event_types = ?, updated_at = ?
                WHERE organization_id = ? AND id = ?""")
                .params(url, description, events.joined(), ts(now), organizationId, id).update();
    }

    void enable(UUID organizationId, UUID id, Instant now) {
        // A fresh round of attempts for the event that held it, straight away.
        jdbc.sql("""
                UPDATE webhook_endpoint SET enabled = TRUE, disabled_reason = NULL, failures = 0, next_attempt_at = ?,
                                            updated_at = ?
                WHERE organization_id = ? AND id = ?""")
                .params(ts(now), ts(now), organizationId, id).update();
    }

    void disableByAdmin(UUID organizationId, UUID id, Instant now) {
        jdbc.sql("""
                UPDATE webhook_endpoint SET enabled = FALSE, disabled_reason = 'admin', updated_at = ?
                WHERE organization_id = ? AND id = ?""")
                .params(ts(now), organizationId, id).update();
    }

    boolean delete(UUID organizationId, UUID id) {
        return jdbc.sql("DELETE FROM webhook_endpoint WHERE organization_id = ? AND id = ?")
                .params(organizationId, id).update() > 0;
    }

    Secrets secrets(UUID id) {
        return jdbc.sql("SELECT secret, previous_secret, previous_secret_until FROM webhook_endpoint WHERE id = ?")
                .param(id).query((rs, row) -> new Secrets(rs.getString(1), rs.getString(2),
                        instant(rs.getTimestamp(3)))).single();
    }

    void rotate(UUID organizationId, UUID id, String newSecret, String previousSecret, Instant previousUntil,
                Instant now) {
        jdbc.sql("""
                UPDATE webhook_endpoint SET secret = ?, previous_secret = ?, previous_secret_until = ?, updated_at = ?
                WHERE organization_id = ? AND id = ?""")
                .params(newSecret, previousSecret, ts(previousUntil), ts(now), organizationId, id).update();
    }

    // --- delivery ---

    /**
     * Enabled endpoints whose delivery is due and that nobody holds. A soft-deleted organization's endpoints are never
     * due: nothing of its stream is sent while it is deleted, and delivery resumes where it stood if it is restored.
     */
    List<WebhookEndpoint> due(Instant now, int limit) {
        return jdbc.sql("SELECT " + ENDPOINT_COLUMNS + """
                 FROM webhook_endpoint
                WHERE enabled AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)
                  AND""" + OrganizationJoins.isLive("organization_id") + """
                ORDER BY next_attempt_at LIMIT ?""")
                .params(ts(now), ts(now), limit).query(WebhookRepository::endpoint).list();
    }

    List<UUID> enabledIn(java.util.Collection<UUID> organizationIds) {
        return jdbc.sql("""
                SELECT id FROM webhook_endpoint WHERE enabled AND organization_id IN (:orgs)
                AND""" + OrganizationJoins.isLive("organization_id"))
                .param("orgs", organizationIds).query(UUID.class).list();
    }

    /** Claims an endpoint for one instance's delivery; false when it is not due or someone holds it. */
    boolean claim(UUID id, UUID claim, Instant now, Instant until) {
        return jdbc.sql("""
                UPDATE webhook_endpoint SET claimed_until = ?, claim_id = ?
                WHERE id = ? AND enabled AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)
                  AND""" + OrganizationJoins.isLive("organization_id"))
                .params(ts(until), claim, id, ts(now), ts(now)).update() > 0;
    }

    void release(UUID id, UUID claim) {
        jdbc.sql("UPDATE webhook_endpoint SET claimed_until = NULL, claim_id = NULL WHERE id = ? AND claim_id = ?")
                .params(id, claim).update();
    }

    /** Records progress under a claim and renews it; false when the claim was lost (or the endpoint deleted). */
    boolean advance(UUID id, UUID claim, long position, Instant lastSuccess, Instant claimedUntil) {
        return jdbc.sql("""
                UPDATE webhook_endpoint SET stream_position = ?, failing_position = NULL, failures = 0,
                       last_success_at = COALESCE(?, last_success_at), claimed_until = ?
                WHERE id = ? AND claim_id = ?""")
                .param(1, position).param(2, ts(lastSuccess), Types.TIMESTAMP).param(3, ts(claimedUntil))
                .param(4, id).param(5, claim).update() > 0;
    }

    /** Records a failed delivery under a claim and lets go of the endpoint. */
    boolean failed(UUID id, UUID claim, long position, int failures, Instant now, Instant nextAttempt,
                   String disabledReason) {
        return jdbc.sql("""
                UPDATE webhook_endpoint SET failing_position = ?, failures = ?, last_failure_at = ?,
                       next_attempt_at = ?, enabled = ?, disabled_reason = ?, claimed_until = NULL, claim_id = NULL
                WHERE id = ? AND claim_id = ?""")
                .param(1, position).param(2, failures).param(3, ts(now)).param(4, ts(nextAttempt))
                .param(5, disabledReason == null).param(6, disabledReason, Types.VARCHAR).param(7, id).param(8, claim)
                .update() > 0;
    }

    /**
     * After an admin's retry of the event that held the endpoint succeeded: the endpoint goes on after it, unless
     * delivery has moved on meanwhile.
     */
    boolean releaseHeldEvent(UUID id, long position, Instant now) {
        return jdbc.sql("""
                UPDATE webhook_endpoint SET stream_position = ?, failing_position = NULL, failures = 0,
                       last_success_at = ?, next_attempt_at = ?
                WHERE id = ? AND failing_position = ? AND stream_position < ?""")
                .params(position, ts(now), ts(now), id, position, position).update() > 0;
    }

    // --- attempts ---

    void insertAttempts(List<WebhookAttempt> attempts, List<String> payloads) {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < attempts.size(); i++) {
            indexes.add(i);
        }
        template.batchUpdate("""
                INSERT INTO webhook_attempt (id, endpoint_id, organization_id, event_id, event_type, stream_position,
                                             trigger_kind, attempted_at, duration_ms, succeeded, response_status,
                                             response_body, error, next_attempt_at, payload)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", indexes, indexes.size(), (ps, i) -> {
            WebhookAttempt a = attempts.get(i);
            ps.setObject(1, a.id());
            ps.setObject(2, a.endpointId());
            ps.setObject(3, a.organizationId());
            ps.setObject(4, a.eventId());
            ps.setString(5, a.eventType());
            if (a.position() == null) {
                ps.setNull(6, Types.BIGINT);
            }
            else {
                ps.setLong(6, a.position());
            }
            ps.setString(7, a.trigger());
            ps.setTimestamp(8, ts(a.attemptedAt()));
            ps.setInt(9, a.durationMs());
            ps.setBoolean(10, a.succeeded());
            if (a.responseStatus() == null) {
                ps.setNull(11, Types.INTEGER);
            }
            else {
                ps.setInt(11, a.responseStatus());
            }
            setText(ps, 12, a.responseBody());
            setText(ps, 13, a.error());
            if (a.nextAttemptAt() == null) {
                ps.setNull(14, Types.TIMESTAMP);
            }
            else {
                ps.setTimestamp(14, ts(a.nextAttemptAt()));
            }
            setText(ps, 15, payloads == null ? null : payloads.get(i));
        });
    }

    private static void setText(java.sql.PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        }
        else {
            ps.setString(index, value);
        }
    }

    /** An endpoint's attempts, newest first, before {@code before} (an attempt id) when given. */
    List<WebhookAttempt> attempts(UUID organizationId, UUID endpointId, UUID before, int limit) {
        if (before == null) {
            return jdbc.sql("SELECT " + ATTEMPT_COLUMNS + " FROM webhook_attempt WHERE organization_id = ? "
                            + "AND endpoint_id = ? ORDER BY attempted_at DESC, id DESC LIMIT ?")
                    .params(organizationId, endpointId, limit).query(WebhookRepository::attempt).list();
        }
        return jdbc.sql("SELECT " + ATTEMPT_COLUMNS + " FROM webhook_attempt a WHERE organization_id = ? "
                        + "AND endpoint_id = ? AND EXISTS (SELECT 1 FROM webhook_attempt b WHERE b.id = ? "
                        + "AND b.endpoint_id = a.endpoint_id AND (a.attempted_at < b.attempted_at "
                        + "OR (a.attempted_at = b.attempted_at AND a.id < b.id))) "
                        + "ORDER BY attempted_at DESC, id DESC LIMIT ?")
                .params(organizationId, endpointId, before, limit).query(WebhookRepository::attempt).list();
    }

    Optional<WebhookAttempt> attempt(UUID organizationId, UUID endpointId, UUID id) {
        return jdbc.sql("SELECT " + ATTEMPT_COLUMNS + " FROM webhook_attempt WHERE organization_id = ? "
                        + "AND endpoint_id = ? AND id = ?")
                .params(organizationId, endpointId, id).query(WebhookRepository::attempt).optional();
    }

    Optional<String> testPayload(UUID id) {
        return jdbc.sql("SELECT payload FROM webhook_attempt WHERE id = ?").param(id).query(String.class).optional();
    }

    int purgeAttempts(Instant before) {
        return jdbc.sql("DELETE FROM webhook_attempt WHERE attempted_at < ?").param(ts(before)).update();
    }

    private static WebhookEndpoint endpoint(ResultSet rs, int row) throws SQLException {
        long failing = rs.getLong("failing_position");
        Long failingPosition = rs.wasNull() ? null : failing;
        return new WebhookEndpoint(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getString("url"), rs.getString("description"),
                EventTypes.parseList(rs.getString("event_types"), "events"), rs.getBoolean("enabled"),
                rs.getString("disabled_reason"), rs.getLong("stream_position"), failingPosition,
                rs.getInt("failures"), instant(rs.getTimestamp("next_attempt_at")),
                instant(rs.getTimestamp("last_success_at")), instant(rs.getTimestamp("last_failure_at")),
                instant(rs.getTimestamp("previous_secret_until")), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")));
    }

    private static WebhookAttempt attempt(ResultSet rs, int row) throws SQLException {
        long position = rs.getLong("stream_position");
        Long streamPosition = rs.wasNull() ? null : position;
        int status = rs.getInt("response_status");
        Integer responseStatus = rs.wasNull() ? null : status;
        return new WebhookAttempt(rs.getObject("id", UUID.class), rs.getObject("endpoint_id", UUID.class),
                rs.getObject("organization_id", UUID.class), rs.getObject("event_id", UUID.class),
                rs.getString("event_type"), streamPosition, rs.getString("trigger_kind"),
                instant(rs.getTimestamp("attempted_at")), rs.getInt("duration_ms"), rs.getBoolean("succeeded"),
                responseStatus, rs.getString("response_body"), rs.getString("error"),
                instant(rs.getTimestamp("next_attempt_at")));
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
