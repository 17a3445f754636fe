package dev.roster.scim.requestlog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.annotation.PreDestroy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
import dev.roster.shared.DatabaseUnavailable;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.database.DatabaseProbe;

/**
 * The SCIM request log: written after the request has been answered, so a failed request is logged too; read by
 * admins; purged after the configured retention.
 * <p>
 * Entries are written by a background writer in batches (one statement batch and one commit for whatever has queued
 * up), not one insert and one commit per request on the request's thread: on the path of every SCIM request that
 * was a second transaction, a second pooled connection and a second WAL flush. Reads and the purge first write what
 * is still queued in this instance, so an admin sees every request this instance has answered.
 * <p>
 * <b>Nothing is lost quietly.</b> Entries wait in a buffer bounded by {@code roster.scim.request-log.buffer-size}
 * until they are committed: while the database is unreachable the writer keeps them and writes them when it answers
 * again. Whatever a client sent is made storable first ({@link LogValues}). Only what would overflow the buffer (a
 * long outage under heavy traffic), a row the database still refuses on its own, and what is left at shutdown with
 * the database away are dropped, each counted in {@code roster.scim.request_log.dropped} and reported in the log
 * with the request ids. While the buffer is full and the database answers, the request's own thread writes its entry,
 * so a slow database slows requests rather than losing entries.
 */
@Service
public class RequestLogService {

    private static final Logger log = LoggerFactory.getLogger(RequestLogService.class);
    private static final int BATCH_SIZE = 500;
    private static final String INSERT = """
            INSERT INTO scim_request_log (id, organization_id, directory_id, occurred_at, method, path, query,
                                          status, duration_ms, request_body, response_body, request_id, note)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING""";
    // ON CONFLICT: a batch whose commit answer was lost is written again when the database is back; the entries that
    // did arrive are not duplicated. The nullable columns get a fixed type, so a null query or body does not make PostgreSQL's driver parse the
    // statement again; the others are never null.
    private static final int[] INSERT_TYPES = {SqlTypeValue.TYPE_UNKNOWN, SqlTypeValue.TYPE_UNKNOWN,
            SqlTypeValue.TYPE_UNKNOWN, SqlTypeValue.TYPE_UNKNOWN, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
            Types.INTEGER, Types.INTEGER, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR};

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final TransactionTemplate transaction;
    private final ScimProperties properties;
    private final DatabaseProbe database;
    private final Clock clock;
    private final RequestLogBuffer buffer;
    private final Counter dropped;
    // Held while entries are taken from the buffer until they are committed, so a flush waits for a batch in flight.
    private final ReentrantLock writing = new ReentrantLock();
    private volatile boolean running = true;
    private final Thread writer;

    RequestLogService(JdbcClient jdbc, JdbcTemplate batches, PlatformTransactionManager transactions,
                      ScimProperties properties, DatabaseProbe database, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.transaction = new TransactionTemplate(transactions);
        // A flush may run inside a reader's read-only transaction; the batch commits on its own.
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.properties = properties;
        this.database = database;
        this.clock = clock;
        this.buffer = new RequestLogBuffer(properties.requestLog().bufferSize().toBytes());
        this.dropped = Counter.builder("roster.scim.request_log.dropped")
                .description("SCIM request log entries that could not be kept").register(meters);
        Gauge.builder("roster.scim.request_log.buffered", buffer, RequestLogBuffer::size)
                .description("SCIM request log entries waiting to be written").register(meters);
        Gauge.builder("roster.scim.request_log.buffered.bytes", buffer, RequestLogBuffer::bytes)
                .description("Estimated memory held by SCIM request log entries waiting to be written")
                .baseUnit("bytes").register(meters);
        this.writer = new Thread(this::writeContinuously, "scim-request-log-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** What an admin filters the log by; null means any. */
    public record Filter(Integer status, String method, boolean failedOnly, boolean failedFirst) {
    }

    /** Logs an answered request with nothing noted about it. */
    public void record(UUID organizationId, UUID directoryId, String requestId, Instant startedAt, String method,
                       String path, String query, int status, long durationMs, String requestBody,
                       String responseBody) {
        record(organizationId, directoryId, requestId, startedAt, method, path, query, status, durationMs,
                requestBody, responseBody, null);
    }

    /**
     * Logs an answered request, with what Roster noted about it ({@link RequestNotes}, may be null); returns at once
     * unless the buffer is full (see the class comment).
     */
    public void record(UUID organizationId, UUID directoryId, String requestId, Instant startedAt, String method,
                       String path, String query, int status, long durationMs, String requestBody,
                       String responseBody, String note) {
        RequestLogBuffer.Entry entry = new RequestLogBuffer.Entry(Ids.newId(), organizationId, directoryId,
                requestId, startedAt, method, path, query, status, durationMs, requestBody, responseBody, note);
        if (buffer.offer(entry)) {
            return;
        }
        // Full: the database is slower than the requests, or away. Write this one here, or count it as lost.
        writing.lock();
        try {
            write(List.of(entry));
        }
        catch (RuntimeException ex) {
            drop(List.of(entry), "the buffer is full and the database did not take it (" + ex.getMessage() + ")");
        }
        finally {
            writing.unlock();
        }
    }

    /** A request body as text, in the charset it came in (see {@link LogValues#decode}). */
    public static String bodyText(byte[] body, String declaredCharset) {
        return LogValues.decode(body, declaredCharset);
    }

    /** Writes every entry buffered so far in this instance; throws if the database does not take them. */
    public void flush() {
        writing.lock();
        try {
            List<RequestLogBuffer.Entry> batch;
            while (!(batch = buffer.peek(BATCH_SIZE)).isEmpty()) {
                write(batch);
                buffer.remove(batch.size());
            }
        }
        finally {
            writing.unlock();
        }
    }

    /**
     * Deletes a directory's entries, in the caller's transaction, as part of deleting the directory. What this
     * instance still buffers is written first, so none of the directory's entries is written after the delete.
     */
    public void deleteDirectory(UUID organizationId, UUID directoryId) {
        flush();
        jdbc.sql("DELETE FROM scim_request_log WHERE organization_id = ? AND directory_id = ?")
                .params(organizationId, directoryId).update();
    }

    /** Entries waiting to be written (for the metrics and tests). */
    public int buffered() {
        return buffer.size();
    }

    private void writeContinuously() {
        while (running) {
            try {
                buffer.awaitEntries(Duration.ofSeconds(1));
                flush();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (RuntimeException ex) {
                if (!DatabaseUnavailable.isCause(ex)) {
                    log.warn("SCIM request log writer: {}", ex.toString());
                }
                // Kept in the buffer; try again when the database answers (or in a second, if it seems to).
                awaitDatabase();
            }
        }
    }

    private void awaitDatabase() {
        Instant deadline = clock.instant().plusSeconds(1);
        try {
            do {
                Thread.sleep(50);
            } while (running && !database.isUp() && clock.instant().isBefore(deadline));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        writer.interrupt();
        try {
            flush();
        }
        catch (RuntimeException ex) {
            List<RequestLogBuffer.Entry> left = buffer.peek(Integer.MAX_VALUE);
            drop(left, "Roster is stopping and the database did not take them (" + ex.getMessage() + ")");
        }
    }

    /**
     * One batch in one transaction. A batch the database refuses while it answers (which {@link LogValues} should
     * make impossible) is written row by row, and only a row refused on its own is dropped.
     */
    private void write(List<RequestLogBuffer.Entry> entries) {
        try {
            insert(entries);
        }
        catch (RuntimeException ex) {
            if (DatabaseUnavailable.isCause(ex) || entries.size() == 1) {
                if (entries.size() == 1 && !DatabaseUnavailable.isCause(ex)) {
                    drop(entries, "the database refused the row (" + ex.getMessage() + ")");
                    return;
                }
                throw ex;
            }
            for (RequestLogBuffer.Entry entry : entries) {
                write(List.of(entry));
            }
        }
    }

    private void insert(List<RequestLogBuffer.Entry> entries) {
        int max = properties.requestLog().maxBodyChars();
        List<Object[]> rows = new ArrayList<>(entries.size());
        for (RequestLogBuffer.Entry e : entries) {
            rows.add(new Object[] {e.id(), e.organizationId(), e.directoryId(), Timestamp.from(e.startedAt()),
                    LogValues.fit(e.method(), 10), LogValues.fit(e.path(), 2048), LogValues.fit(e.query(), 4096),
                    e.status(), (int) Math.min(Integer.MAX_VALUE, e.durationMs()),
                    LogValues.fit(Redactor.redact(e.requestBody()), max),
                    LogValues.fit(Redactor.redact(e.responseBody()), max), LogValues.fit(e.requestId(), 64),
                    LogValues.fit(e.note(), 1000)});
        }
        transaction.executeWithoutResult(status -> batches.batchUpdate(INSERT, rows, INSERT_TYPES));
    }

    private void drop(List<RequestLogBuffer.Entry> entries, String why) {
        if (entries.isEmpty()) {
            return;
        }
        dropped.increment(entries.size());
        log.error("Dropped {} SCIM request log entries: {}. Request ids: {}", entries.size(), why,
                entries.stream().limit(100).map(RequestLogBuffer.Entry::requestId).toList());
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

    /**
     * Deletes entries older than the retention; returns how many. In slices of 10,000 rows, each its own statement,
     * so an hour of heavy traffic is purged well inside the statement timeout.
     */
    public int purge() {
        flush();
        Instant cutoff = clock.instant().minus(properties.requestLog().retention());
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.sql("""
                    DELETE FROM scim_request_log WHERE id IN (
                        SELECT id FROM scim_request_log WHERE occurred_at < ? LIMIT 10000)""")
                    .param(Timestamp.from(cutoff)).update();
            total += deleted;
        } while (deleted == 10_000);
        return total;
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

    private static RequestLogEntry map(ResultSet rs, int row) throws SQLException {
        return new RequestLogEntry(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getObject("directory_id", UUID.class), rs.getTimestamp("occurred_at").toInstant(),
                rs.getString("method"), rs.getString("path"), rs.getString("query"), rs.getInt("status"),
                rs.getInt("duration_ms"), rs.getString("request_body"), rs.getString("response_body"),
                rs.getString("request_id"), rs.getString("note"));
    }
}
