package dev.roster.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.roster.shared.InvalidRequestException;

/**
 * Reads an organization's stream in position order. Reads run without a transaction: the head is read first, and
 * every event up to it was committed, with its position, before the head was (one sequencer run writes both), so
 * the second statement sees them all.
 */
@Service
public class EventStore {

    private static final String COLUMNS = """
            organization_id, stream_position, id, event_type, occurred_at, actor_json, data_json, changes_json""";

    private final JdbcClient jdbc;
    private final EventSequencer sequencer;

    EventStore(JdbcClient jdbc, EventSequencer sequencer) {
        this.jdbc = jdbc;
        this.sequencer = sequencer;
    }

    /** Where an organization's stream stands: its last position and the last one retention deleted. */
    public record Head(long last, long purgedThrough) {
    }

    public Head head(UUID organizationId) {
        return jdbc.sql("SELECT last_position, purged_through FROM event_stream WHERE organization_id = ?")
                .param(organizationId).query((rs, row) -> new Head(rs.getLong(1), rs.getLong(2))).optional()
                .orElse(new Head(0, 0));
    }

    /**
     * The head once every event committed so far has its position: a run of the sequencer first, in a transaction of
     * its own. Where something that should see only what is committed after it (a new webhook endpoint) starts: the
     * plain {@link #head} may not yet count an event committed a moment ago, which would then come after it.
     */
    public long committedHead(UUID organizationId) {
        sequencer.sequence();
        return head(organizationId).last();
    }

    /** The last positions of these organizations' streams (0 for an organization without events). */
    public Map<UUID, Long> heads(java.util.Collection<UUID> organizationIds) {
        Map<UUID, Long> heads = new HashMap<>();
        organizationIds.forEach(id -> heads.put(id, 0L));
        if (!organizationIds.isEmpty()) {
            jdbc.sql("SELECT organization_id, last_position FROM event_stream WHERE organization_id IN (:ids)")
                    .param("ids", organizationIds)
                    .query((rs, row) -> heads.put(rs.getObject(1, UUID.class), rs.getLong(2))).list();
        }
        return heads;
    }

    /**
     * Up to {@code limit} events of the organization after position {@code after} (null: from the oldest kept) whose
     * type {@code types} selects. A cursor before what retention deleted is refused (410), one beyond the stream's
     * head is not a cursor this stream gave (400).
     */
    public EventPage read(UUID organizationId, Long after, EventTypes types, int limit) {
        Head head = head(organizationId);
        if (after != null && after < head.purgedThrough()) {
            throw new EventsExpiredException("Events after this cursor are older than the retention period and were "
                    + "deleted. Read again without a cursor to start from the oldest event kept.");
        }
        if (after != null && (after < 0 || after > head.last())) {
            throw InvalidRequestException.field("after", "Not a cursor of this organization's events.");
        }
        long from = after == null ? head.purgedThrough() : after;
        if (types.types().isEmpty() || from >= head.last()) {
            return new EventPage(List.of(), Math.max(from, head.last()));
        }
        Map<String, Object> params = new HashMap<>();
        params.put("org", organizationId);
        params.put("from", from);
        params.put("to", head.last());
        params.put("limit", limit);
        String typeFilter = "";
        if (!types.all()) {
            typeFilter = " AND event_type IN (:types)";
            params.put("types", types.wireNames());
        }
        List<StoredEvent> events = jdbc.sql("SELECT " + COLUMNS + " FROM event WHERE organization_id = :org"
                        + " AND stream_position > :from AND stream_position <= :to" + typeFilter
                        + " ORDER BY stream_position LIMIT :limit")
                .params(params).query(EventStore::map).list();
        long next = events.size() == limit ? events.get(events.size() - 1).position() : head.last();
        return new EventPage(events, next);
    }

    /** One event by its position, while retention keeps it. */
    public Optional<StoredEvent> find(UUID organizationId, long position) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM event WHERE organization_id = ? AND stream_position = ?")
                .params(organizationId, position).query(EventStore::map).optional();
    }

    /** Events by their positions (those retention still keeps). */
    public Map<Long, StoredEvent> find(UUID organizationId, List<Long> positions) {
        Map<Long, StoredEvent> found = new HashMap<>();
        if (positions.isEmpty()) {
            return found;
        }
        jdbc.sql("SELECT " + COLUMNS + " FROM event WHERE organization_id = :org AND stream_position IN (:positions)")
                .param("org", organizationId).param("positions", positions).query(EventStore::map).list()
                .forEach(event -> found.put(event.position(), event));
        return found;
    }

    static StoredEvent map(ResultSet rs, int row) throws SQLException {
        return new StoredEvent(rs.getObject(1, UUID.class), rs.getLong(2), rs.getObject(3, UUID.class),
                rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7), rs.getString(8));
    }
}
