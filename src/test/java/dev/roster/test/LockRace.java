package dev.roster.test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

/**
 * For tests that make two lock orders meet on PostgreSQL: a connection of the test's own takes a row lock
 * ({@link #lock}), the request under test is started and the test waits until that request's transaction waits for
 * the test's ({@link #awaitWaiterOn}), then the test takes its second lock. Code that locks in the other order then
 * ends in "deadlock detected"; code in the same order simply waits.
 */
public final class LockRace {

    private LockRace() {
    }

    /**
     * Skips the test unless it runs on PostgreSQL: the races are made with {@code pg_locks} and transaction ids, which
     * a newcomer's embedded H2 has not.
     */
    public static void assumePostgres() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("ROSTER_TEST_DATABASE_URL") != null,
                "PostgreSQL only: the race is made with row locks, transaction ids and pg_locks");
    }

    /** Runs a {@code SELECT … FOR UPDATE} with the given parameters on the connection (in its transaction); it must find a row. */
    public static void lock(Connection connection, String selectForUpdate, Object... parameters) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(selectForUpdate)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    // A lock on no row would leave the race to chance and the test passing for the wrong reason.
                    throw new AssertionError("no row to lock: " + selectForUpdate);
                }
            }
        }
    }

    /** The id of the connection's current transaction (one is started if none is). */
    public static long currentTransaction(Connection connection) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement("SELECT txid_current()");
             ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    /**
     * Until another transaction waits for transaction {@code xid} (on a row it holds), or 30 s pass; {@code waiter}
     * names who should have waited, for the failure's message.
     */
    public static void awaitWaiterOn(DataSource dataSource, long xid, String waiter) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        try (Connection watcher = dataSource.getConnection();
             PreparedStatement waiting = watcher.prepareStatement("""
                     SELECT COUNT(*) FROM pg_locks
                     WHERE locktype = 'transactionid' AND NOT granted AND transactionid::text = ?""")) {
            waiting.setString(1, Long.toString(xid % (1L << 32)));
            while (Instant.now().isBefore(deadline)) {
                try (ResultSet result = waiting.executeQuery()) {
                    result.next();
                    if (result.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.onSpinWait();
            }
        }
        throw new AssertionError(waiter + " never waited for the test's lock");
    }
}
