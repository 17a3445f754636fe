package dev.roster.shared;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a failure of the database connection (the server down, unreachable, restarting, a connection lost mid-statement
 * or at commit, a statement cut off by its timeout) from every other failure. Such a request is answered 503 with
 * Retry-After in the caller's language, never 500: the caller did nothing wrong and should simply try again.
 * <p>
 * A write whose commit failed this way may or may not have been committed; answering "try again" is still right,
 * because every write Roster takes from a client is idempotent on retry (a second create of the same SCIM userName
 * is 409 uniqueness, which IdPs resolve by looking the user up).
 */
public final class DatabaseUnavailable {

    /** What the pool says, without a SQLSTATE, about a connection it closed because it broke. */
    private static final String CLOSED_BY_POOL = "Connection is closed";

    private DatabaseUnavailable() {
    }

    public static boolean isCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            // A commit or rollback that failed: the outcome of the transaction is unknown, and retrying finds out.
            if (cause instanceof TransactionSystemException
                    || cause instanceof CannotGetJdbcConnectionException || cause instanceof CannotCreateTransactionException
                    || cause instanceof DataAccessResourceFailureException || cause instanceof QueryTimeoutException
                    || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException || cause instanceof SQLRecoverableException) {
                return true;
            }
            if (cause instanceof SQLException sql && (isConnectionState(sql.getSQLState())
                    || sql.getSQLState() == null && CLOSED_BY_POOL.equals(sql.getMessage()))) {
                return true;
            }
            // The driver's own I/O failure (EOF, reset, timeout) below a SQLException it did not classify.
            if (cause instanceof IOException && hasSqlAbove(failure, cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE class 08 (connection exception), 57P01-57P03 (the server shutting down, crashed or not accepting
     * connections yet) and 57014 (a statement cancelled by its timeout).
     */
    static boolean isConnectionState(String state) {
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03") || state.equals("57014"));
    }

    private static boolean hasSqlAbove(Throwable top, Throwable target) {
        for (Throwable cause = top; cause != null && cause != target; cause = cause.getCause()) {
            if (cause instanceof SQLException) {
                return true;
            }
        }
        return false;
    }
}
