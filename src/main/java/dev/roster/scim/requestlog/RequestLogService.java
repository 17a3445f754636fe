package dev.roster.scim.requestlog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.scim.ScimProperties;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;

/**
 * The SCIM request log: written in its own transaction after the request's own has committed or rolled back, so a
 * failed request is logged too; read by admins; purged after the configured retention.
 */
@Service
public class RequestLogService {

    private static final Logger log = LoggerFactory.getLogger(RequestLogService.class);

    private final JdbcClient jdbc;
    private final ScimProperties properties;
    private final Clock clock;

    RequestLogService(JdbcClient jdbc, ScimProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** What an admin filters the log by; null means any. */
    public record Filter(Integer status, String method, boolean failedOnly, boolean failedFirst) {
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void record(UUID organizationId, UUID directoryId, Instant startedAt, String method, String path,
                       String query, int status, long durationMs, String requestBody, String responseBody) {
        int max = properties.requestLog().maxBodyChars();
        jdbc.sql("""
                INSERT INTO scim_request_log (id, organization_id, directory_id, occurred_at, method, path, query,
                                              status, duration_ms, request_body, response_body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(Ids.newId(), organizationId, directoryId, Timestamp.from(startedAt), truncate(method, 10),
                        truncate(path, 2048), truncate(query, 4096), status, (int) Math.min(Integer.MAX_VALUE, durationMs),
                        truncate(Redactor.redact(requestBody), max), truncate(Redactor.redact(responseBody), max))
                .update();
    }

    @Transactional(readOnly = true)
    public PageResult<RequestLogEntry> find(UUID organizationId, UUID directoryId, Filter filter, PageQuery page) {
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
