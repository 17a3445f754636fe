package dev.roster.events;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.roster.shared.Actor;
import dev.roster.shared.Ids;
import dev.roster.shared.database.DeferredWrite;
import dev.roster.shared.database.DeferredWrites;

/**
 * Writes events as part of a change. Must run inside the transaction that makes the change: the events are written
 * just before it commits (with the transaction's other {@link DeferredWrites}, in one round trip) and roll back with it, so a committed change
 * always has its events and a rolled-back one has none. After commit the sequencer gives them their positions.
 * {@code data} is serialized at once, so it is the state at the moment of publishing: publish after the change.
 */
@Service
public class Events {

    private static final String INSERT_INTO =
            "INSERT INTO event_pending (id, organization_id, event_type, occurred_at, actor_json, data_json, changes_json)";

    private final DeferredWrites deferred;
    private final ObjectMapper json;
    private final EventSequencer sequencer;
    private final Clock clock;

    Events(DeferredWrites deferred, ObjectMapper json, EventSequencer sequencer, Clock clock) {
        this.deferred = deferred;
        this.json = json;
        this.sequencer = sequencer;
        this.clock = clock;
    }

    /** Publishes an event whose {@code data} is the object after the change. Returns the event's id. */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID publish(UUID organizationId, EventType type, Actor actor, Object data) {
        return publish(organizationId, type, actor, data, null);
    }

    /**
     * Publishes an event with what changed ({@code changes}, such as the teams gained and lost), beside the object
     * after the change. Returns the event's id.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID publish(UUID organizationId, EventType type, Actor actor, Object data, Object changes) {
        if (!type.streamed()) {
            throw new IllegalArgumentException(type.wireName() + " is not part of a stream");
        }
        UUID id = Ids.newId();
        Pending event = new Pending(id, organizationId, type.wireName(), clock.instant(), write(actorView(actor)),
                write(data), changes == null ? null : write(changes));
        deferred.atCommit(DeferredWrite.append("event_pending", INSERT_INTO, "(?, ?, ?, ?, ?, ?, ?)", 7, (ps, first) -> bind(ps, first, event)));
        committedNudge();
        return id;
    }

    /** How an event names who made the change: an account, a directory or Roster itself, and the channel. */
    public static Map<String, Object> actorView(Actor actor) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("type", actor.accountId() != null ? "account"
                : switch (actor.channel()) {
                    case SSO, SCIM -> "directory";
                    default -> "system";
                });
        if (actor.accountId() != null) {
            view.put("id", actor.accountId().toString());
        }
        view.put("label", actor.label());
        view.put("channel", actor.channel().name().toLowerCase(java.util.Locale.ROOT));
        return view;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        }
        catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("event data is not serializable", ex);
        }
    }

    /** Tells the sequencer after the commit that events are waiting, once per transaction. */
    private void committedNudge() {
        // Looked up among the current transaction's synchronizations rather than bound as a resource, so a
        // transaction suspended by a REQUIRES_NEW keeps its own.
        for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            if (synchronization instanceof CommittedNudge) {
                return;
            }
        }
        TransactionSynchronizationManager.registerSynchronization(new CommittedNudge());
    }

    private record Pending(UUID id, UUID organizationId, String type, Instant occurredAt, String actor, String data,
                           String changes) {
    }

    private final class CommittedNudge implements TransactionSynchronization {

        @Override
        public void afterCommit() {
            sequencer.committed();
        }
    }

    private static void bind(PreparedStatement ps, int first, Pending event) throws SQLException {
        ps.setObject(first, event.id());
        ps.setObject(first + 1, event.organizationId());
        ps.setString(first + 2, event.type());
        ps.setTimestamp(first + 3, Timestamp.from(event.occurredAt()));
        ps.setString(first + 4, event.actor());
        ps.setString(first + 5, event.data());
        if (event.changes() == null) {
            ps.setNull(first + 6, Types.VARCHAR);
        }
        else {
            ps.setString(first + 6, event.changes());
        }
    }
}
