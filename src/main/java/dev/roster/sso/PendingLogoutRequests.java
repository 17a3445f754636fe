package dev.roster.sso;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The LogoutRequests Roster sent and awaits answers to, in the database: Roster's session is gone by the time the
 * IdP answers (Spring Security would keep them in it), and the answer may reach another instance. Each is found by
 * its RelayState and connection, and taken once.
 */
@Repository
class PendingLogoutRequests {

    static final Duration LIFETIME = Duration.ofMinutes(10);

    /** A LogoutRequest awaiting its LogoutResponse. */
    record Pending(UUID connectionId, String requestId, String relayState) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    PendingLogoutRequests(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    void save(Pending pending) {
        Instant now = clock.instant();
        jdbc.sql("DELETE FROM sso_logout_request WHERE expires_at < ?").param(Timestamp.from(now)).update();
        jdbc.sql("""
                INSERT INTO sso_logout_request (relay_state, connection_id, request_id, expires_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (relay_state) DO NOTHING""")
                .params(pending.relayState(), pending.connectionId(), pending.requestId(),
                        Timestamp.from(now.plus(LIFETIME)))
                .update();
    }

    /** Takes the pending request with this RelayState at this connection, if one is waiting. */
    Optional<Pending> take(UUID connectionId, String relayState) {
        if (relayState == null || relayState.isEmpty() || relayState.length() > 100) {
            return Optional.empty();
        }
        return jdbc.sql("""
                DELETE FROM sso_logout_request WHERE relay_state = ? AND connection_id = ? AND expires_at >= ?
                RETURNING request_id""")
                .params(relayState, connectionId, Timestamp.from(clock.instant()))
                .query((rs, row) -> new Pending(connectionId, rs.getString(1), relayState)).optional();
    }
}
