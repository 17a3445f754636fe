package dev.roster.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives committed events their positions, in commit order. One run at a time across every instance: a run first
 * locks the row of {@code event_sequencer}, so a run that starts while another holds it waits for it to commit and
 * then sees everything committed before, including what the other run left. A run takes the pending events that are
 * committed (the only ones it can see), in the order they were written, numbers each organization's events on from
 * its stream's last position, and moves them to {@code event}, all in one transaction: a reader sees a run's events
 * all at once or not at all, and every later run's positions are higher. An event whose transaction commits after a
 * run has read the pending table is taken by the next run, with a higher position: positions follow commits.
 * <p>
 * A run follows each commit that wrote events (on a thread of its own, several commits sharing one run), and a
 * regular poll catches what another instance's commit or a crash left.
 */
@Component
public class EventSequencer implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EventSequencer.class);
    static final int BATCH = 1000;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher publisher;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(new CustomizableThreadFactory("events-"));
    private final AtomicBoolean runQueued = new AtomicBoolean();

    EventSequencer(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate transaction,
                   ApplicationEventPublisher publisher) {
        this.jdbc = jdbc;
        this.template = template;
        // Always a transaction of its own, also when called from inside another (a webhook endpoint being created),
        // so a run's positions are visible the moment it returns and its row lock is held only as long as the run.
        this.transaction = new TransactionTemplate(transaction.getTransactionManager());
        this.transaction.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
        this.publisher = publisher;
    }

    private record Sequenced(Pending event, long position) {
    }

    private record Pending(long seq, UUID id, UUID organizationId, String type, Timestamp occurredAt, String actor,
                           String data, String changes) {
    }

    /** Called after a transaction that wrote events has committed. */
    void committed() {
        // The flag is cleared as the run starts, so a commit during a run always gets a run after it.
        if (runQueued.compareAndSet(false, true)) {
            executor.execute(() -> {
                runQueued.set(false);
                runSafely();
            });
        }
    }

    @Scheduled(fixedDelayString = "${roster.events.sequencer-poll:PT1S}",
            initialDelayString = "${roster.events.sequencer-poll:PT1S}")
    void poll() {
        runSafely();
    }

    private void runSafely() {
        try {
            sequence();
        }
        catch (RuntimeException ex) {
            log.warn("Could not give events their positions; the next run tries again: {}", ex.toString());
        }
    }

    /** Gives every committed pending event its position; returns how many. */
    public int sequence() {
        int total = 0;
        while (true) {
            Set<UUID> organizations = new LinkedHashSet<>();
            Integer moved = transaction.execute(status -> runOnce(organizations));
            int count = moved == null ? 0 : moved;
            total += count;
            if (!organizations.isEmpty()) {
                publisher.publishEvent(new EventsAppended(Set.copyOf(organizations)));
            }
            if (count < BATCH) {
                return total;
            }
        }
    }

    private int runOnce(Set<UUID> organizations) {
        jdbc.sql("SELECT runs FROM event_sequencer WHERE id = 1 FOR UPDATE").query(Long.class).single();
        List<Pending> pending = jdbc.sql("""
                SELECT seq, id, organization_id, event_type, occurred_at, actor_json, data_json, changes_json
                FROM event_pending ORDER BY seq LIMIT ?""").param(BATCH).query(EventSequencer::map).list();
        if (pending.isEmpty()) {
            return 0;
        }
        pending.forEach(p -> organizations.add(p.organizationId()));
        Map<UUID, Long> last = new HashMap<>();
        jdbc.sql("SELECT organization_id, last_position FROM event_stream WHERE organization_id IN (:ids)")
                .param("ids", organizations)
                .query((rs, row) -> last.put(rs.getObject(1, UUID.class), rs.getLong(2))).list();
        List<UUID> newStreams = organizations.stream().filter(org -> !last.containsKey(org)).toList();
        Map<UUID, Long> next = new HashMap<>(last);
        List<Sequenced> rows = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            rows.add(new Sequenced(p, next.merge(p.organizationId(), 1L, Long::sum)));
        }
        template.batchUpdate("""
                INSERT INTO event (organization_id, stream_position, id, event_type, occurred_at, actor_json, data_json,
                                   changes_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", rows, rows.size(), (ps, row) -> {
            Pending p = row.event();
            ps.setObject(1, p.organizationId());
            ps.setLong(2, row.position());
            ps.setObject(3, p.id());
            ps.setString(4, p.type());
            ps.setTimestamp(5, p.occurredAt());
            ps.setString(6, p.actor());
            ps.setString(7, p.data());
            if (p.changes() == null) {
                ps.setNull(8, Types.VARCHAR);
            }
            else {
                ps.setString(8, p.changes());
            }
        });
        List<Object[]> streams = new ArrayList<>();
        List<Object[]> created = new ArrayList<>();
        next.forEach((org, position) -> {
            if (newStreams.contains(org)) {
                created.add(new Object[] {org, position});
            }
            else if (!position.equals(last.get(org))) {
                streams.add(new Object[] {position, org});
            }
        });
        if (!streams.isEmpty()) {
            template.batchUpdate("UPDATE event_stream SET last_position = ? WHERE organization_id = ?", streams);
        }
        if (!created.isEmpty()) {
            template.batchUpdate("INSERT INTO event_stream (organization_id, last_position) VALUES (?, ?)", created);
        }
        // By the rows read, never by a range: a pending event with a lower seq may have committed since.
        jdbc.sql("DELETE FROM event_pending WHERE seq IN (:seqs)")
                .param("seqs", pending.stream().map(Pending::seq).toList()).update();
        return pending.size();
    }

    private static Pending map(ResultSet rs, int row) throws SQLException {
        return new Pending(rs.getLong(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getString(4),
                rs.getTimestamp(5), rs.getString(6), rs.getString(7), rs.getString(8));
    }

    @Override
    public void destroy() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
