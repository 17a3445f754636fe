package dev.roster.shared.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.core.Ordered;
import org.springframework.dao.IncorrectUpdateSemanticsDataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes a transaction hands over to be sent later, so that several of them travel to the database in one round trip
 * instead of one each (issue 15: a SCIM create's membership, its link to the SCIM user, its events and its audit entry
 * go in one statement with the commit right behind it).
 * <ul>
 * <li>{@link #beforeNextStatement}: sent before the transaction's next statement runs (whatever it is: a read sees
 * the write, a foreign key finds its row) or just before it commits. For writes whose outcome the caller does not need
 * at once: it learns a wrong row count or a constraint's refusal from that next statement or from the commit, and the
 * transaction rolls back as it would have.</li>
 * <li>{@link #atCommit}: sent just before the transaction commits, for rows nothing reads inside the transaction that
 * writes them (the audit log, the events' outbox).</li>
 * </ul>
 * Both roll back with the transaction, and outside a transaction (or once the transaction's writes have gone, in its
 * own before-commit work) a write runs at once. On PostgreSQL the writes that are due together go as one statement of
 * data-modifying {@code WITH} clauses; such clauses share one snapshot and cannot see each other, so two writes of
 * one table share a statement only when both append new rows, and a long run of one statement goes as a JDBC batch.
 * On other databases (H2 for a newcomer's run) each run of one statement goes as a batch.
 */
@Component
public class DeferredWrites {

    /** Writes in one {@code WITH} statement at most: enough for a create, short enough to plan cheaply. */
    static final int MAX_CHAINED = 16;

    /** A run of one statement at least this long goes as a JDBC batch, which the driver sends in one go. */
    static final int BATCH_RUN = 4;

    // Well under the protocol's 65,535 bind parameters.
    private static final int MAX_PARAMETERS = 30_000;

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final boolean postgres;

    @Autowired
    DeferredWrites(DataSource dataSource, JdbcTemplate jdbc, DataSourceProperties properties) {
        this(dataSource, jdbc, DatabaseUrls.postgres(properties.determineUrl()));
    }

    DeferredWrites(DataSource dataSource, JdbcTemplate jdbc, boolean postgres) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.postgres = postgres;
    }

    /** Sends {@code write} before the transaction's next statement or its commit, whichever comes first. */
    public void beforeNextStatement(DeferredWrite write) {
        add(write, true);
    }

    /** Sends {@code write} just before the transaction commits. */
    public void atCommit(DeferredWrite write) {
        add(write, false);
    }

    private void add(DeferredWrite write, boolean beforeNextStatement) {
        Queue queue = TransactionSynchronizationManager.isActualTransactionActive() ? queue() : null;
        if (queue == null || queue.sent) {
            jdbc.execute((ConnectionCallback<Void>) connection -> {
                send(connection, List.of(write));
                return null;
            });
            return;
        }
        (beforeNextStatement ? queue.beforeNextStatement : queue.atCommit).add(write);
    }

    /** The current transaction's queue, registered with it on its first write. */
    private Queue queue() {
        Queue queue = current();
        if (queue == null) {
            queue = new Queue(this);
            TransactionSynchronizationManager.registerSynchronization(queue);
            TransactionSynchronizationManager.bindResource(Queue.KEY, queue);
        }
        return queue;
    }

    /**
     * Bound as a resource (a thread-local map look-up) rather than searched among the transaction's synchronizations,
     * whose list Spring copies and sorts on every call: this runs before each statement the application prepares. The
     * queue unbinds itself while its transaction is suspended, so an inner {@code REQUIRES_NEW} starts with none.
     */
    static Queue current() {
        return (Queue) TransactionSynchronizationManager.getResource(Queue.KEY);
    }

    /**
     * Called by the application's connections ({@link FlushingConnection}) before each statement: sends the writes
     * due before it, when the statement is the current transaction's.
     */
    static void beforeStatement(Connection connection, Connection target) throws SQLException {
        Queue queue = current();
        if (queue != null && !queue.beforeNextStatement.isEmpty() && !queue.sending
                && queue.owner.isTransactionConnection(connection)) {
            queue.send(target, queue.takeBeforeNextStatement());
        }
    }

    private boolean isTransactionConnection(Connection connection) {
        Object holder = TransactionSynchronizationManager.getResource(dataSource);
        return holder instanceof org.springframework.jdbc.datasource.ConnectionHolder connectionHolder
                && connectionHolder.getConnectionHandle() != null && connectionHolder.getConnection() == connection;
    }

    static final class Queue implements TransactionSynchronization {

        /** The resource key the current transaction's queue is bound to. */
        static final Object KEY = new Object() {
            @Override
            public String toString() {
                return "DeferredWrites.Queue";
            }
        };

        private final DeferredWrites owner;
        private final List<DeferredWrite> beforeNextStatement = new ArrayList<>();
        private final List<DeferredWrite> atCommit = new ArrayList<>();
        private boolean sending;
        private boolean sent;

        Queue(DeferredWrites owner) {
            this.owner = owner;
        }

        private List<DeferredWrite> takeBeforeNextStatement() {
            List<DeferredWrite> due = List.copyOf(beforeNextStatement);
            beforeNextStatement.clear();
            return due;
        }

        private void send(Connection connection, List<DeferredWrite> writes) throws SQLException {
            sending = true;
            try {
                owner.send(connection, writes);
            }
            finally {
                sending = false;
            }
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            // What before-commit work that runs after this writes goes at once (see add).
            sent = true;
            List<DeferredWrite> due = new ArrayList<>(takeBeforeNextStatement());
            // Nothing reads these before the commit, so each statement's writes may go together, in the order they
            // were handed over: one batch or one multi-row INSERT per table rather than one clause per row.
            Map<String, List<DeferredWrite>> byStatement = new LinkedHashMap<>();
            for (DeferredWrite write : atCommit) {
                byStatement.computeIfAbsent(write.sql(), sql -> new ArrayList<>()).add(write);
            }
            byStatement.values().forEach(due::addAll);
            atCommit.clear();
            if (due.isEmpty()) {
                return;
            }
            owner.jdbc.execute((ConnectionCallback<Void>) connection -> {
                send(connection, due);
                return null;
            });
        }

        @Override
        public void suspend() {
            TransactionSynchronizationManager.unbindResource(KEY);
        }

        @Override
        public void resume() {
            TransactionSynchronizationManager.bindResource(KEY, this);
        }

        @Override
        public void afterCompletion(int status) {
            beforeNextStatement.clear();
            atCommit.clear();
            TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
        }

        @Override
        public int getOrder() {
            // After other before-commit work, which may still hand over writes.
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    /** Sends the writes in order, in as few round trips as the rules in the class comment allow. */
    void send(Connection connection, List<DeferredWrite> writes) throws SQLException {
        int i = 0;
        while (i < writes.size()) {
            int run = runLength(writes, i);
            if (!postgres || run >= BATCH_RUN) {
                batch(connection, writes.subList(i, i + run));
                i += run;
                continue;
            }
            List<DeferredWrite> chain = new ArrayList<>();
            Set<String> tables = new HashSet<>();
            Set<String> appendedTables = new HashSet<>();
            int parameters = 0;
            while (i < writes.size() && chain.size() < MAX_CHAINED) {
                DeferredWrite write = writes.get(i);
                boolean clash = write.appendOnly() ? tables.contains(write.table()) && !appendedTables.contains(
                        write.table()) : tables.contains(write.table());
                if (clash || (!chain.isEmpty() && (parameters + write.parameterCount() > MAX_PARAMETERS
                        || runLength(writes, i) >= BATCH_RUN))) {
                    break;
                }
                chain.add(write);
                tables.add(write.table());
                if (write.appendOnly()) {
                    appendedTables.add(write.table());
                }
                else {
                    appendedTables.remove(write.table());
                }
                parameters += write.parameterCount();
                i++;
            }
            chain(connection, chain);
        }
    }

    private static int runLength(List<DeferredWrite> writes, int from) {
        String sql = writes.get(from).sql();
        int end = from + 1;
        while (end < writes.size() && writes.get(end).sql().equals(sql)) {
            end++;
        }
        return end - from;
    }

    private static void batch(Connection connection, List<DeferredWrite> writes) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(writes.get(0).sql())) {
            if (writes.size() == 1) {
                writes.get(0).binder().bind(statement, 1);
                expect(writes.get(0), statement.executeUpdate());
                return;
            }
            for (DeferredWrite write : writes) {
                write.binder().bind(statement, 1);
                statement.addBatch();
            }
            int[] counts = statement.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != Statement.SUCCESS_NO_INFO) {
                    expect(writes.get(i), counts[i]);
                }
            }
        }
    }

    /**
     * One statement: {@code WITH w0 AS (write RETURNING 1), w1 AS (write), … SELECT COUNT(*) of each write whose
     * count is checked}. A data-modifying {@code WITH} clause runs once and to completion whether or not the query
     * reads it, in an order PostgreSQL does not promise; foreign keys are checked at the end of the statement, so a
     * row may refer to one written beside it. Appended rows of one statement next to each other go as one multi-row
     * {@code INSERT}, which keeps their order (an outbox's sequence, say).
     */
    private static void chain(Connection connection, List<DeferredWrite> writes) throws SQLException {
        if (writes.size() == 1) {
            batch(connection, writes);
            return;
        }
        StringBuilder sql = new StringBuilder("WITH ");
        StringBuilder select = new StringBuilder();
        List<DeferredWrite> checked = new ArrayList<>();
        int clause = 0;
        for (int i = 0; i < writes.size(); clause++) {
            DeferredWrite write = writes.get(i);
            boolean counted = write.expectedRows() != DeferredWrite.ANY_ROWS;
            sql.append(clause == 0 ? "" : ", ").append('w').append(clause).append(" AS (").append(write.sql());
            i++;
            while (write.appendOnly() && i < writes.size() && writes.get(i).sql().equals(write.sql())) {
                sql.append(", ").append(write.valuesRow());
                i++;
            }
            sql.append(counted ? " RETURNING 1)" : ")");
            if (counted) {
                select.append(checked.isEmpty() ? "" : ", ").append("(SELECT COUNT(*) FROM w").append(clause)
                        .append(')');
                checked.add(write);
            }
        }
        sql.append(" SELECT ").append(checked.isEmpty() ? "0" : select);
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int first = 1;
            for (DeferredWrite write : writes) {
                write.binder().bind(statement, first);
                first += write.parameterCount();
            }
            try (ResultSet counts = statement.executeQuery()) {
                counts.next();
                for (int i = 0; i < checked.size(); i++) {
                    expect(checked.get(i), counts.getInt(i + 1));
                }
            }
        }
    }

    private static void expect(DeferredWrite write, int rows) {
        if (write.expectedRows() != DeferredWrite.ANY_ROWS && rows != write.expectedRows()) {
            throw new IncorrectUpdateSemanticsDataAccessException("A deferred write changed " + rows + " rows of "
                    + write.table() + " instead of " + write.expectedRows() + ": " + write.sql());
        }
    }
}
