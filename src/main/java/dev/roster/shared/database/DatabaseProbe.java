package dev.roster.shared.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Knows whether the database answers, without ever making a caller wait for it: a thread of its own asks
 * {@code SELECT 1} every {@link DatabaseSettings#probeInterval()} over one connection of its own (outside the pool, so
 * a pool exhausted by slow requests does not look like an outage, and an outage does not wait for the pool), each
 * probe cut off after {@link DatabaseSettings#probeTimeout()}. Readiness reads the last result; the
 * {@link FailFastDataSource} refuses connections while it says the database is unreachable.
 */
public class DatabaseProbe implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatabaseProbe.class);

    /** What the last probe found. */
    public record State(boolean up, Instant since, String failure) {
    }

    private final String url;
    private final Properties connectionProperties;
    private final DatabaseSettings settings;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Executor timeouts;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile State state;
    private Connection connection;

    public DatabaseProbe(String url, String user, String password, DatabaseSettings settings, Clock clock) {
        this.url = url;
        this.settings = settings;
        this.clock = clock;
        this.connectionProperties = new Properties();
        if (user != null) {
            connectionProperties.setProperty("user", user);
        }
        if (password != null) {
            connectionProperties.setProperty("password", password);
        }
        if (DatabaseUrls.postgres(url)) {
            String seconds = Long.toString(Math.max(1, (settings.probeTimeout().toMillis() + 999) / 1000));
            connectionProperties.setProperty("connectTimeout", seconds);
            connectionProperties.setProperty("loginTimeout", seconds);
            connectionProperties.setProperty("socketTimeout", seconds);
            connectionProperties.setProperty("ApplicationName", "roster-probe");
        }
        // Until the first probe has answered, the database is taken to be there: start-up reaches it first anyway.
        this.state = new State(true, clock.instant(), null);
        CustomizableThreadFactory threads = new CustomizableThreadFactory("database-probe-");
        threads.setDaemon(true);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threads);
        CustomizableThreadFactory timeoutThreads = new CustomizableThreadFactory("database-probe-timeout-");
        timeoutThreads.setDaemon(true);
        this.timeouts = Executors.newCachedThreadPool(timeoutThreads);
    }

    /** Starts probing; until then the database is taken to answer. */
    public void start() {
        long interval = Math.max(50, settings.probeInterval().toMillis());
        scheduler.scheduleWithFixedDelay(this::probe, 0, interval, TimeUnit.MILLISECONDS);
    }

    public State state() {
        return state;
    }

    public boolean isUp() {
        return state.up();
    }

    /** Asks again at once, for a caller that has just seen the pool time out. */
    public void probeSoon() {
        if (!scheduler.isShutdown()) {
            scheduler.execute(this::probe);
        }
    }

    /** Runs one probe on the calling thread (tests, and the scheduler). */
    void probe() {
        if (!probing.compareAndSet(false, true)) {
            return;
        }
        try {
            check();
            if (!state.up()) {
                Duration down = Duration.between(state.since(), clock.instant());
                log.info("The database answers again (it was unreachable for {} ms)", down.toMillis());
                state = new State(true, clock.instant(), null);
            }
        }
        catch (SQLException | RuntimeException ex) {
            closeConnection();
            String failure = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            if (state.up()) {
                log.warn("The database is unreachable: {}. Requests are answered 503 until it answers again.", failure);
                state = new State(false, clock.instant(), failure);
            }
        }
        finally {
            probing.set(false);
        }
    }

    private void check() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(url, connectionProperties);
        }
        int millis = (int) Math.max(1, settings.probeTimeout().toMillis());
        try {
            connection.setNetworkTimeout(timeouts, millis);
        }
        catch (SQLFeatureNotSupportedException ex) {
            // H2 (embedded) has no network to time out.
        }
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((millis + 999) / 1000);
            statement.execute("SELECT 1");
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.abort(timeouts);
            }
            catch (SQLException | RuntimeException ignored) {
                // It is being thrown away because it failed.
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        if (connection != null) {
            try {
                connection.close();
            }
            catch (SQLException ignored) {
                // Shutting down.
            }
        }
    }
}
