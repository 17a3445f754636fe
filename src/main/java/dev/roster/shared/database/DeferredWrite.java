package dev.roster.shared.database;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;

/**
 * One {@code INSERT} or {@code UPDATE} handed to {@link DeferredWrites}: its SQL (one statement, no {@code RETURNING},
 * no trailing semicolon), how many parameters it binds and how, and how many rows it must write ({@link #ANY_ROWS}
 * when the count does not matter). A count that differs fails the transaction, as the caller's own check would have.
 *
 * @param table the table it writes, so two writes of one row are never sent in one statement (see
 *              {@link DeferredWrites})
 * @param valuesRow for a plain {@code INSERT … VALUES} of one new row (no {@code ON CONFLICT}), the row's tuple,
 *                  with which {@code sql} ends: several such writes of one statement are sent as one multi-row
 *                  {@code INSERT}, their rows in the order they were handed over; null for any other write
 */
public record DeferredWrite(String table, String sql, String valuesRow, int parameterCount, Binder binder,
                            int expectedRows) {

    public static final int ANY_ROWS = -1;

    /** Binds the write's parameters from {@code first} (1-based) on. */
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement statement, int first) throws SQLException;
    }

    public DeferredWrite {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(binder, "binder");
        if (parameterCount < 0 || expectedRows < ANY_ROWS) {
            throw new IllegalArgumentException("parameterCount and expectedRows");
        }
        if (valuesRow != null && (expectedRows != ANY_ROWS || !sql.endsWith(" VALUES " + valuesRow))) {
            throw new IllegalArgumentException("an appended row is the end of its INSERT … VALUES, counted or not");
        }
    }

    /** A plain {@code INSERT INTO t (…)} of one new row, {@code VALUES row}; its row count does not matter. */
    public static DeferredWrite append(String table, String insertInto, String row, int parameterCount,
                                       Binder binder) {
        return new DeferredWrite(table, insertInto + " VALUES " + row, row, parameterCount, binder, ANY_ROWS);
    }

    /** Any other write, which must write exactly {@code expectedRows} rows (or {@link #ANY_ROWS}). */
    public static DeferredWrite of(String table, String sql, int parameterCount, Binder binder, int expectedRows) {
        return new DeferredWrite(table, sql, null, parameterCount, binder, expectedRows);
    }

    /** A plain {@code INSERT … VALUES} of one row, which may share a multi-row {@code INSERT} with others. */
    public boolean appendOnly() {
        return valuesRow != null;
    }

    /** {@code sql} without its row: {@code INSERT INTO t (…) VALUES }. */
    String insertInto() {
        return sql.substring(0, sql.length() - valuesRow.length());
    }

    /** Binds plain values in order, each with {@link PreparedStatement#setObject(int, Object)}. */
    public static Binder values(Object... values) {
        Object[] copy = values.clone();
        return (statement, first) -> {
            for (int i = 0; i < copy.length; i++) {
                statement.setObject(first + i, copy[i]);
            }
        };
    }
}
