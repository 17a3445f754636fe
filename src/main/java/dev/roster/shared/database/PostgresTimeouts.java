package dev.roster.shared.database;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL driver's own timeouts, which are off or long by default: connecting (10 s), logging in (none) and
 * waiting for an answer (none, so a connection whose server vanished without a reset would wait forever); and the
 * server's {@code statement_timeout} for every pooled connection, passed in the connection's start-up
 * {@code options}. A value already in the JDBC URL or in {@code spring.datasource.hikari.data-source-properties} wins.
 * <p>
 * The statement timeout is the server's rather than JDBC's {@code setQueryTimeout}: for that, the driver schedules a
 * task on one timer shared by every connection for each statement and cancels it afterwards, and under load request
 * threads queued for that timer's lock for milliseconds, on every statement (issue 15's profile; decision 0025). The
 * server cancels a statement itself, with the same SQLSTATE 57014 that Spring turns into a
 * {@code QueryTimeoutException}, answered 503.
 */
final class PostgresTimeouts {

    private static final Logger log = LoggerFactory.getLogger(PostgresTimeouts.class);

    private PostgresTimeouts() {
    }

    static void apply(HikariDataSource pool, DatabaseSettings settings) {
        String url = pool.getJdbcUrl();
        if (!DatabaseUrls.postgres(url)) {
            return;
        }
        setUnlessGiven(pool, url, "connectTimeout", settings.connectTimeout());
        setUnlessGiven(pool, url, "loginTimeout", settings.connectTimeout());
        setUnlessGiven(pool, url, "socketTimeout", settings.socketTimeout());
        addStatementTimeout(pool, url, settings.statementTimeout());
    }

    private static void addStatementTimeout(HikariDataSource pool, String url, Duration timeout) {
        String options = pool.getDataSourceProperties().getProperty("options");
        // Zero: Roster sends no options (a pooler that refuses them; the role's own statement_timeout applies).
        if (timeout.isZero() || url.contains("statement_timeout")
                || options != null && options.contains("statement_timeout")) {
            return;
        }
        if (url.contains("options=")) {
            // The driver lets the URL's options win over the pool's, so a timeout added to the pool's would be dropped:
            // say so instead of running silently without the timeout the configuration promises.
            log.warn("The JDBC URL gives options= without statement_timeout, so no statement timeout is set (roster"
                    + ".database.statement-timeout is {}): add -c statement_timeout={} to the URL's options, or "
                    + "set ROSTER_DB_STATEMENT_TIMEOUT=0 to say none is wanted", timeout, timeout.toMillis());
            return;
        }
        String setting = "-c statement_timeout=" + Math.max(1, timeout.toMillis());
        pool.addDataSourceProperty("options", options == null || options.isBlank() ? setting : options + " " + setting);
    }

    private static void setUnlessGiven(HikariDataSource pool, String url, String name, Duration value) {
        if (url.contains(name + "=") || pool.getDataSourceProperties().containsKey(name)) {
            return;
        }
        pool.addDataSourceProperty(name, Long.toString(Math.max(1, (value.toMillis() + 999) / 1000)));
    }
}
