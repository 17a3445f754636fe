package dev.roster.scim.requestlog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import dev.roster.scim.ScimProperties;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;

/**
 * The SCIM request log: written after the request has been answered, so a failed request is logged too; read by
 * admins; purged after the configured retention.
 * <p>
 * Entries are written by a background writer in batches (one statement batch and one commit for whatever has queued
 * up), not one insert and one commit per request on the request's thread: on the path of every SCIM request that
 * was a second transaction, a second pooled connection and a second WAL flush. Reads and the purge first write what
 * is still queued in this instance, so an admin sees every request this instance has answered. If the queue is full
 * (the database is slower than the requests), the request's own thread writes its entry, so nothing is dropped to
 * keep up; if the database refuses the write, the entries are lost with a warning and the answers stand.
 */
@Service
public class RequestLogService {

    private static final Logger log = LoggerFactory.getLogger(RequestLogService.class);
    private static final int BATCH_SIZE = 500;
    private static final int QUEUE_CAPACITY = 20_000;
    private static final String INSERT = """
            INSERT INTO scim_request_log (id, organization_id, directory_id, occurred_at, method, path, query,
                                          status, duration_ms, request_body, response_body)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    // The nullable columns get a fixed type, so a null query or body does not make PostgreSQL's driver parse the
    // statement again; the others are never null.
    private static final int[] INSERT_TYPES = {SqlTypeValue.TYPE_UNKNOWN, SqlTypeValue.TYPE_UNKNOWN,
            SqlTypeValue.TYPE_UNKNOWN, SqlTypeValue.TYPE_UNKNOWN, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
            Types.INTEGER, Types.INTEGER, Types.VARCHAR, Types.VARCHAR};

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final TransactionTemplate transaction;
    private final ScimProperties properties;
    private final Clock clock;
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    // Held while entries are taken from the queue until they are committed, so a flush waits for a batch in flight.
    private final ReentrantLock writing = new ReentrantLock();
    private final Object arrived = new Object();
    private volatile boolean running = true;
    private final Thread writer;

    RequestLogService(JdbcClient jdbc, JdbcTemplate batches, PlatformTransactionManager transactions,
                      ScimProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.transaction = new TransactionTemplate(transactions);
        // A flush may run inside a reader's read-only transaction; the batch commits on its own.
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.properties = properties;
        this.clock = clock;
        this.writer = new Thread(this::writeContinuously, "scim-request-log-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** What an admin filters the log by; null means any. */
    public record Filter(Integer status, String method, boolean failedOnly, boolean failedFirst) {
    }

    /** A request as answered, bodies not yet redacted. */
    private record Entry(UUID id, UUID organizationId, UUID directoryId, Instant startedAt, String method, String path,
                         String query, int status, long durationMs, String requestBody, String responseBody) {
    }

    /** Logs an answered request; returns at once (see the class comment). */
    public void record(UUID organizationId, UUID directoryId, Instant startedAt, String method, String path,
                       String query, int status, long durationMs, String requestBody, String responseBody) {
        Entry entry = new Entry(Ids.newId(), organizationId, directoryId, startedAt, method, path, query, status,
                durationMs, requestBody, responseBody);
        if (queue.offer(entry)) {
            synchronized (arrived) {
                arrived.notifyAll();
            }
            return;
        }
        writing.lock();
        try {
            write(List.of(entry));
        }
        finally {
            writing.unlock();
        }
    }

    /** Writes every entry queued so far in this instance. */
    public void flush() {
        writing.lock();
        try {
            List<Entry> batch = new ArrayList<>();
            while (queue.drainTo(batch, BATCH_SIZE) > 0) {
                write(batch);
                batch.clear();
            }
        }
        finally {
            writing.unlock();
        }
    }

    private void writeContinuously() {
        while (running) {
            try {
                synchronized (arrived) {
                    while (queue.isEmpty() && running) {
                        arrived.wait(1_000);
                    }
                }
                flush();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (RuntimeException ex) {
                log.warn("SCIM request log writer: {}", ex.toString());
            }
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        synchronized (arrived) {
            arrived.notifyAll();
        }
        try {
            flush();
        }
        catch (RuntimeException ex) {
            log.warn("Could not write the last SCIM request log entries: {}", ex.getMessage());
        }
    }

    private void write(List<Entry> entries) {
        int max = properties.requestLog().maxBodyChars();
        List<Object[]> rows = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            rows.add(new Object[] {e.id(), e.organizationId(), e.directoryId(), Timestamp.from(e.startedAt()),
                    truncate(e.method(), 10), truncate(e.path(), 2048), truncate(e.query(), 4096), e.status(),
                    (int) Math.min(Integer.MAX_VALUE, e.durationMs()), truncate(Redactor.redact(e.requestBody()), max),
                    truncate(Redactor.redact(e.responseBody()), max)});
        }
        try {
            transaction.executeWithoutResult(status -> batches.batchUpdate(INSERT, rows, INSERT_TYPES));
        }
        catch (RuntimeException ex) {
            log.warn("Could not write {} SCIM request log entries: {}", entries.size(), ex.getMessage());
        }
    }

    @Transactional(readOnly = true)
    public PageResult<RequestLogEntry> find(UUID organizationId, UUID directoryId, Filter filter, PageQuery page) {
        flush();
        StringBuilder where = new StringBuilder(" WHERE organization_id = ? AND directory_id = ?");
        List<Object> params = new ArrayList<>(List.of(organizationId, directoryId));
        if (filter.status() != null) {
            where.append(" AND status = ?");
            params.add(filter.status());
        }
        if (filter.method() != null && !filter.method().isBlank()) {
            String method = filter.method().trim().toUpperCase(Locale.ROOT);
            if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                throw InvalidRequestException.field("method", "The method is GET, POST, PUT, PATCH or DELETE.");
            }
            where.append(" AND method = ?");
            params.add(method);
        }
        if (filter.failedOnly()) {
            where.append(" AND status >= 400");
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM scim_request_log" + where).params(params).query(Long.class).single();
        String order = filter.failedFirst()
                ? " ORDER BY CASE WHEN status >= 400 THEN 0 ELSE 1 END, occurred_at DESC, id DESC"
                : " ORDER BY occurred_at DESC, id DESC";
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(page.size());
        pageParams.add(page.offset());
        List<RequestLogEntry> items = jdbc.sql("SELECT * FROM scim_request_log" + where + order + " LIMIT ? OFFSET ?")
                .params(pageParams).query(RequestLogService::map).list();
        return PageResult.of(items, page, total);
    }

    /** Deletes entries older than the retention; returns how many. */
    @Transactional
    public int purge() {
        flush();
        Instant cutoff = clock.instant().minus(properties.requestLog().retention());
        return jdbc.sql("DELETE FROM scim_request_log WHERE occurred_at < ?").param(Timestamp.from(cutoff)).update();
    }

    @Scheduled(cron = "${roster.scim.request-log.purge-cron:0 17 * * * *}")
    void purgeOnSchedule() {
        try {
            int purged = purge();
            if (purged > 0) {
                log.info("Purged {} SCIM request log entries older than {}", purged, properties.requestLog().retention());
            }
        }
        catch (RuntimeException ex) {
            log.warn("Could not purge the SCIM request log: {}", ex.getMessage());
        }
    }

    private static String truncate(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        return value.substring(0, max) + "... [truncated]";
    }

    private static RequestLogEntry map(ResultSet rs, int row) throws SQLException {
        return new RequestLogEntry(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getObject("directory_id", UUID.class), rs.getTimestamp("occurred_at").toInstant(),
                rs.getString("method"), rs.getString("path"), rs.getString("query"), rs.getInt("status"),
                rs.getInt("duration_ms"), rs.getString("request_body"), rs.getString("response_body"));
    }
}
