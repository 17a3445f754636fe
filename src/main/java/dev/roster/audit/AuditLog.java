package dev.roster.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.Ids;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.database.DeferredWrite;
import dev.roster.shared.database.DeferredWrites;

@Service
public class AuditLog {

    private final JdbcClient jdbc;
    private final JdbcTemplate batchJdbc;
    private final DeferredWrites deferred;
    private final ObjectMapper json;
    private final Clock clock;

    AuditLog(JdbcClient jdbc, JdbcTemplate batchJdbc, DeferredWrites deferred, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.batchJdbc = batchJdbc;
        this.deferred = deferred;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Records a change. Must run inside the transaction that makes the change (it joins it), so the entry and the
     * change commit or roll back together. {@code before} and {@code after} are serialized as JSON; either may be null.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(UUID organizationId, Actor actor, String action, AuditTarget target, Object before, Object after) {
        insertWithChange(organizationId, null, actor, action, target, before, after);
    }

    /** Records an event that is not part of a change, such as a refused SSO login. */
    @Transactional
    public void recordStandalone(UUID organizationId, Actor actor, String action, AuditTarget target, Object details) {
        insert(organizationId, null, actor, action, target, null, details);
    }

    /**
     * Records a change to an account (profile, password, API tokens, two-factor). It belongs to no organization; the
     * account it concerns can read it through {@link #findForAccount}. Joins the caller's transaction like
     * {@link #record}.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordAccountChange(UUID accountId, Actor actor, String action, AuditTarget target, Object before,
                                    Object after) {
        insertWithChange(null, accountId, actor, action, target, before, after);
    }

    /** Records an account event that is not part of a change, such as a spent recovery code. */
    @Transactional
    public void recordAccountEvent(UUID accountId, Actor actor, String action, AuditTarget target, Object details) {
        insert(null, accountId, actor, action, target, null, details);
    }

    /**
     * Every parameter is bound with the same SQL type whether or not it is null, the nullable ids as text cast in SQL.
     * Otherwise PostgreSQL's driver sees the parameter types change between an organization's event (no subject
     * account) and an account's event (no organization) and parses the statement again each time, on the path of
     * every audited change.
     */
    private static final String INSERT_INTO = """
            INSERT INTO audit_event (id, organization_id, subject_account_id, occurred_at, actor_account_id,
                                     actor_label, channel, action, target_type, target_id, target_label,
                                     before_state, after_state)""";

    private static final String ROW = "(?, CAST(? AS UUID), CAST(? AS UUID), ?, CAST(? AS UUID), ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String INSERT = INSERT_INTO + " VALUES " + ROW;

    private void insert(UUID organizationId, UUID subjectAccountId, Actor actor, String action, AuditTarget target,
                        Object before, Object after) {
        write(entry(organizationId, subjectAccountId, actor, action, target, before, after));
    }

    /**
     * {@link #insert}, for a change: the entry is handed to the transaction's {@link DeferredWrites} and written just
     * before it commits, in one round trip with the transaction's other deferred writes. It commits or rolls back with
     * the change as before; only the moment it reaches the database moves, and nothing reads the audit log inside the
     * transaction that writes it.
     */
    private void insertWithChange(UUID organizationId, UUID subjectAccountId, Actor actor, String action,
                                  AuditTarget target, Object before, Object after) {
        Entry entry = entry(organizationId, subjectAccountId, actor, action, target, before, after);
        deferred.atCommit(DeferredWrite.append("audit_event", INSERT_INTO, ROW, 13, (ps, first) -> bind(ps, first, entry)));
    }

    private record Entry(UUID id, String organizationId, String subjectAccountId, Timestamp occurredAt,
                         String actorAccountId, String actorLabel, String channel, String action, String targetType,
                         String targetId, String targetLabel, String before, String after) {
    }

    private Entry entry(UUID organizationId, UUID subjectAccountId, Actor actor, String action, AuditTarget target,
                        Object before, Object after) {
        return new Entry(Ids.newId(), text(organizationId), text(subjectAccountId), Timestamp.from(clock.instant()),
                text(actor.accountId()), actor.label(), actor.channel().name(), action, target.type(), target.id(),
                target.label(), toJson(before), toJson(after));
    }

    private void write(Entry entry) {
        batchJdbc.update(INSERT, ps -> bind(ps, 1, entry));
    }

    private static void bind(PreparedStatement ps, int first, Entry entry) throws SQLException {
        ps.setObject(first, entry.id());
        text(ps, first + 1, entry.organizationId());
        text(ps, first + 2, entry.subjectAccountId());
        ps.setTimestamp(first + 3, entry.occurredAt());
        text(ps, first + 4, entry.actorAccountId());
        text(ps, first + 5, entry.actorLabel());
        text(ps, first + 6, entry.channel());
        text(ps, first + 7, entry.action());
        text(ps, first + 8, entry.targetType());
        text(ps, first + 9, entry.targetId());
        text(ps, first + 10, entry.targetLabel());
        text(ps, first + 11, entry.before());
        text(ps, first + 12, entry.after());
    }

    private static void text(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        }
        else {
            ps.setString(index, value);
        }
    }

    private static String text(UUID id) {
        return id == null ? null : id.toString();
    }

    /** An organization's events, newest first. */
    @Transactional(readOnly = true)
    public PageResult<AuditEvent> find(UUID organizationId, AuditQuery query, PageQuery page) {
        return find("organization_id = ?", organizationId, query, page);
    }

    /** The events of one account's own changes (no organization's), newest first. */
    @Transactional(readOnly = true)
    public PageResult<AuditEvent> findForAccount(UUID accountId, AuditQuery query, PageQuery page) {
        return find("organization_id IS NULL AND subject_account_id = ?", accountId, query, page);
    }

    private PageResult<AuditEvent> find(String scope, UUID scopeId, AuditQuery query, PageQuery page) {
        List<Object> params = new ArrayList<>();
        String where = where(scope, scopeId, query, params);
        long total = jdbc.sql("SELECT COUNT(*) FROM audit_event" + where).params(params).query(Long.class).single();
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(page.size());
        pageParams.add(page.offset());
        List<AuditEvent> items = jdbc.sql("SELECT * FROM audit_event" + where
                        + " ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?")
                .params(pageParams).query(this::map).list();
        return PageResult.of(items, page, total);
    }

    /**
     * The next {@code size} events of an organization that match, newest first, after {@code after} (null: from the
     * newest). For exports: each batch continues where the last one ended, so reading the whole log stays one index
     * range at a time however far back it goes, and no batch holds more than {@code size} events in memory.
     */
    @Transactional(readOnly = true)
    public List<AuditEvent> findAfter(UUID organizationId, AuditQuery query, AuditEvent after, int size) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(where("organization_id = ?", organizationId, query, params));
        if (after != null) {
            where.append(" AND (occurred_at < ? OR (occurred_at = ? AND id < ?))");
            params.add(Timestamp.from(after.occurredAt()));
            params.add(Timestamp.from(after.occurredAt()));
            params.add(after.id());
        }
        params.add(size);
        return jdbc.sql("SELECT * FROM audit_event" + where + " ORDER BY occurred_at DESC, id DESC LIMIT ?")
                .params(params).query(this::map).list();
    }

    /** The actions an organization's log holds, in order, for the filter's suggestions. */
    @Transactional(readOnly = true)
    public List<String> actions(UUID organizationId) {
        return jdbc.sql("SELECT DISTINCT action FROM audit_event WHERE organization_id = ? ORDER BY action")
                .param(organizationId).query(String.class).list();
    }

    private static String where(String scope, UUID scopeId, AuditQuery query, List<Object> params) {
        StringBuilder where = new StringBuilder(" WHERE ").append(scope);
        params.add(scopeId);
        if (query.actorAccountId() != null) {
            where.append(" AND actor_account_id = ?");
            params.add(query.actorAccountId());
        }
        if (query.actor() != null && !query.actor().isBlank()) {
            where.append(" AND LOWER(actor_label) LIKE ?");
            params.add(like(query.actor()));
        }
        if (query.channel() != null) {
            where.append(" AND channel = ?");
            params.add(query.channel().name());
        }
        if (query.action() != null && !query.action().isBlank()) {
            where.append(" AND action = ?");
            params.add(query.action().trim());
        }
        if (query.target() != null && !query.target().isBlank()) {
            where.append(" AND (target_id = ? OR LOWER(target_label) LIKE ?)");
            params.add(query.target().trim());
            params.add(like(query.target()));
        }
        if (query.from() != null) {
            where.append(" AND occurred_at >= ?");
            params.add(Timestamp.from(query.from()));
        }
        if (query.to() != null) {
            where.append(" AND occurred_at < ?");
            params.add(Timestamp.from(query.to()));
        }
        return where.toString();
    }

    private static String like(String text) {
        String escaped = text.trim().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }

    private AuditEvent map(ResultSet rs, int row) throws SQLException {
        return new AuditEvent(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getTimestamp("occurred_at").toInstant(), rs.getObject("actor_account_id", UUID.class),
                rs.getString("actor_label"), Channel.valueOf(rs.getString("channel")), rs.getString("action"),
                rs.getString("target_type"), rs.getString("target_id"), rs.getString("target_label"),
                fromJson(rs.getString("before_state")), fromJson(rs.getString("after_state")));
    }

    private String toJson(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return json.writeValueAsString(value);
        }
        catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("audit state is not serializable", ex);
        }
    }

    private JsonNode fromJson(String value) {
        if (value == null) {
            return null;
        }
        try {
            return json.readTree(value);
        }
        catch (JsonProcessingException ex) {
            return json.getNodeFactory().textNode(value);
        }
    }
}
