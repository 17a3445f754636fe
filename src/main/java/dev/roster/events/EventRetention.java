package dev.roster.events;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes events older than {@code roster.events.retention}. Each organization's stream loses a prefix: events are
 * deleted from the oldest on up to the first one still young enough, so "everything up to {@code purged_through} is
 * gone, everything after it is kept" stays exactly true, and a cursor before it can be told so.
 */
@Component
public class EventRetention {

    private static final Logger log = LoggerFactory.getLogger(EventRetention.class);
    private static final int BATCH = 5000;

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final EventsProperties properties;
    private final Clock clock;

    EventRetention(JdbcClient jdbc, TransactionTemplate transaction, EventsProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(cron = "${roster.events.purge-cron:0 23 * * * *}")
    void scheduled() {
        try {
            int deleted = purge();
            if (deleted > 0) {
                log.info("Deleted {} events older than {}", deleted, properties.retention());
            }
        }
        catch (RuntimeException ex) {
            log.warn("Could not delete old events; the next run tries again: {}", ex.toString());
        }
    }

    /** Deletes every event older than the retention period; returns how many. */
    public int purge() {
        Instant cutoff = clock.instant().minus(properties.retention());
        List<UUID> organizations = jdbc.sql("SELECT organization_id FROM event_stream WHERE purged_through < last_position")
                .query(UUID.class).list();
        int deleted = 0;
        for (UUID organization : organizations) {
            int batch;
            do {
                Integer count = transaction.execute(status -> purgeBatch(organization, cutoff));
                batch = count == null ? 0 : count;
                deleted += batch;
            } while (batch == BATCH);
        }
        return deleted;
    }

    private int purgeBatch(UUID organization, Instant cutoff) {
        long purged = jdbc.sql("SELECT purged_through FROM event_stream WHERE organization_id = ? FOR UPDATE")
                .param(organization).query(Long.class).single();
        List<Instant> times = jdbc.sql("""
                SELECT occurred_at FROM event WHERE organization_id = ? AND stream_position > ?
                ORDER BY stream_position LIMIT ?""")
                .params(organization, purged, BATCH).query((rs, row) -> rs.getTimestamp(1).toInstant()).list();
        int old = 0;
        while (old < times.size() && times.get(old).isBefore(cutoff)) {
            old++;
        }
        if (old == 0) {
            return 0;
        }
        long through = purged + old;
        jdbc.sql("DELETE FROM event WHERE organization_id = ? AND stream_position > ? AND stream_position <= ?")
                .params(organization, purged, through).update();
        jdbc.sql("UPDATE event_stream SET purged_through = ? WHERE organization_id = ?")
                .params(through, organization).update();
        return old;
    }
}
