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
        // No conflict target: H2 (the database of ./mvnw spring-boot:run) takes ON CONFLICT only without one, and
        // relay_state is the table's only unique key.
        jdbc.sql("""
                INSERT INTO sso_logout_request (relay_state, connection_id, request_id, expires_at) VALUES (?, ?, ?, ?)
                ON CONFLICT DO NOTHING""")
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
        Timestamp now = Timestamp.from(clock.instant());
        Optional<String> requestId = jdbc.sql("""
                SELECT request_id FROM sso_logout_request WHERE relay_state = ? AND connection_id = ? AND expires_at >= ?""")
                .params(relayState, connectionId, now).query(String.class).optional();
        // Taken by whoever deletes the row: of two answers racing (a replay), one deletes it and the other finds it
        // gone. Read, then delete, rather than DELETE … RETURNING, which H2 does not have.
        boolean taken = requestId.isPresent() && jdbc.sql("""
                DELETE FROM sso_logout_request WHERE relay_state = ? AND connection_id = ? AND expires_at >= ?""")
                .params(relayState, connectionId, now).update() == 1;
        return taken ? requestId.map(id -> new Pending(connectionId, id, relayState)) : Optional.empty();
    }
}
