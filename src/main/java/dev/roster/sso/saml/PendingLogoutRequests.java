package dev.roster.sso.saml;

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

    /** The RelayStates Roster gives its LogoutRequests (Spring Security's UUIDs); anything else waits for nothing. */
    private static final java.util.regex.Pattern RELAY_STATE = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    /** Takes the pending request with this RelayState at this connection, if one is waiting. */
    Optional<Pending> take(UUID connectionId, String relayState) {
        // Checked before the query: whatever the IdP (or anyone) echoes, NUL bytes included, never reaches SQL.
        if (relayState == null || !RELAY_STATE.matcher(relayState).matches()) {
            return Optional.empty();
        }
        return jdbc.sql("""
                DELETE FROM sso_logout_request WHERE relay_state = ? AND connection_id = ? AND expires_at >= ?
                RETURNING request_id""")
                .params(relayState, connectionId, Timestamp.from(clock.instant()))
                .query((rs, row) -> new Pending(connectionId, rs.getString(1), relayState)).optional();
    }
}
