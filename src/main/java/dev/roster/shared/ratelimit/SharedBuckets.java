package dev.roster.shared.ratelimit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.roster.shared.database.DatabaseUrls;

/**
 * Token buckets counted together by every Roster instance: on PostgreSQL each bucket is a row of
 * {@code rate_limit_bucket}, refilled and taken from by one {@code INSERT … ON CONFLICT DO UPDATE} in autocommit
 * (decision 0018), so two instances behind a load balancer allow together what one would. PostgreSQL evaluates the
 * update against the row's latest version under the row's lock, so concurrent takes are counted one after the other,
 * each in one round trip. On H2 (the demo, one instance) the buckets are Bucket4j's, in memory.
 * <p>
 * A limiter must never be the reason a request fails. When the shared bucket cannot be reached (the database went
 * away between the caller's own query and this one, or a lock held longer than {@link #LOCK_WAIT}), the token is
 * taken from a bucket of the same shape in this instance's memory instead, and a warning is logged: for that moment
 * each instance enforces the limit on what it serves, as Roster did before limits were shared. The request then
 * meets the database itself and is answered as any other request is (503 while the database is unreachable).
 */
@Component
public class SharedBuckets {

    private static final Logger log = LoggerFactory.getLogger(SharedBuckets.class);

    /** The longest a take waits for the bucket's row lock (whole seconds: JDBC query timeouts are in seconds). */
    static final Duration LOCK_WAIT = Duration.ofSeconds(1);
    /** A bucket's row is deleted this long after it is sure to be full again (a full bucket is the same as none). */
    private static final Duration KEPT_AFTER_FULL = Duration.ofMinutes(1);
    /**
     * How far behind the expiry a take computes the row's stored one may be and stay. A take that would move it by
     * less writes the value back unchanged, so no indexed column of the row changes and PostgreSQL updates it in place
     * (a HOT update: no new entries in the table's two indexes, and the old version pruned from its page without
     * VACUUM, which matters where autovacuum is off or behind). Moving it on every take made every request's take a
     * new version of the row and its index entries, and the one bucket of a busy directory a pile of dead versions
     * (issue 15). Less than {@link #KEPT_AFTER_FULL}, so a row is still purged only once its bucket is full again.
     */
    private static final Duration EXPIRY_SLACK = KEPT_AFTER_FULL.dividedBy(2);
    private static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);
    private static final int PURGE_BATCH = 500;

    /**
     * What the bucket holds after refilling it up to now: its units (none stored means a full bucket, as a row of
     * Bucket4j's layout is), plus {@code capacity} units per nanosecond since it was last brought up to date, at most
     * full. A clock behind the one that wrote the row refills nothing rather than going back.
     */
    private static final String AVAILABLE = "LEAST(:full, COALESCE(b.units, :full) + "
            + "LEAST(GREATEST(:now - COALESCE(b.refilled_at, :now), 0), :period) * :capacity)";

    /** A take of an existing bucket: refilled, then taken from when it holds a whole token. */
    private static final String ON_CONFLICT = ("ON CONFLICT (id) DO UPDATE SET "
            + "units = CASE WHEN AVAILABLE >= :period THEN AVAILABLE - :period ELSE AVAILABLE END, "
            + "taken = AVAILABLE >= :period, "
            + "refilled_at = GREATEST(COALESCE(b.refilled_at, :now), :now), "
            + "expires_at = CASE WHEN b.expires_at >= :expires - " + EXPIRY_SLACK.toMillis()
            + " THEN b.expires_at ELSE :expires END ").replace("AVAILABLE", AVAILABLE);

    /** One round trip: a new bucket starts full less this take; an existing one is refilled, then taken from. */
    static final String TAKE = "INSERT INTO rate_limit_bucket AS b (id, units, refilled_at, taken, expires_at) "
            + "VALUES (:id, :full - :period, :now, TRUE, :expires) "
            + ON_CONFLICT
            + "RETURNING units, taken";

    /**
     * {@link #TAKE} for {@link BucketJoins#takeFrom}: the bucket and its shape come from the one row of {@code source}
     * instead of parameters, the clock from the parameter expression {@code nowMillis}. The same arithmetic, in the
     * same words.
     */
    static String takeFrom(String source, String nowMillis) {
        String capacity = "(SELECT shape.bucket_capacity FROM " + source + " shape)";
        String period = "(SELECT shape.bucket_period FROM " + source + " shape)";
        String now = "(" + nowMillis + " * 1000000)";
        String expires = "(" + nowMillis + " + (" + period + " + " + KEPT_AFTER_FULL.toNanos() + ") / 1000000)";
        // Named parameters of ON_CONFLICT replaced by the source's expressions; :period last, as :full contains it.
        String onConflict = ON_CONFLICT.replace(":full", "(" + capacity + " * " + period + ")")
                .replace(":capacity", capacity).replace(":now", now).replace(":expires", expires)
                .replace(":period", period);
        return "INSERT INTO rate_limit_bucket AS b (id, units, refilled_at, taken, expires_at) "
                + "SELECT s.bucket_id, s.bucket_capacity * s.bucket_period - s.bucket_period, " + now + ", TRUE, "
                + nowMillis + " + (s.bucket_period + " + KEPT_AFTER_FULL.toNanos() + ") / 1000000 FROM " + source
                + " s WHERE (SELECT COUNT(*) FROM " + source + ") = 1"
                // Limit.units(): a shape too large for the arithmetic is counted in memory.
                + " AND s.bucket_capacity >= 1 AND s.bucket_period >= 1"
                + " AND s.bucket_period <= " + Long.MAX_VALUE + " / 4 / s.bucket_capacity "
                + onConflict
                + "RETURNING b.id AS taken_from, b.units AS units_left, b.taken AS taken";
    }

    private static final String PURGE = "DELETE FROM rate_limit_bucket WHERE id IN "
            + "(SELECT id FROM rate_limit_bucket WHERE expires_at < ? LIMIT " + PURGE_BATCH + ")";

    private final DataSource dataSource;
    private final boolean postgres;
    private final Clock clock;
    private static final ParsedSql TAKE_PARSED = NamedParameterUtils.parseSqlStatement(TAKE);
    private static final String TAKE_SQL = NamedParameterUtils.substituteNamedParameters(TAKE_PARSED, null);
    private final Map<String, Bucket> local = new ConcurrentHashMap<>();
    private final TimeMeter time;
    private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong fallbacks = new AtomicLong();

    @Autowired
    public SharedBuckets(DataSource dataSource, DataSourceProperties dataSourceProperties, Clock clock,
                         MeterRegistry meters) {
        this(dataSource, isPostgres(dataSourceProperties.determineUrl()), clock);
        FunctionCounter.builder("roster.rate_limit.fallbacks", this, SharedBuckets::fallbacks)
                .description("Rate-limit takes counted in this instance's memory because the shared bucket could not "
                        + "be reached").register(meters);
    }

    SharedBuckets(DataSource dataSource, boolean postgres, Clock clock) {
        this.dataSource = dataSource;
        this.postgres = postgres;
        this.clock = clock;
        this.time = new ClockTime(clock);
    }

    static boolean isPostgres(String url) {
        return DatabaseUrls.postgres(url);
    }

    /** Whether buckets are counted in the database for all instances (PostgreSQL), or in memory (H2). */
    public boolean sharedByAllInstances() {
        return postgres;
    }

    /**
     * Takes one token from the bucket named {@code key} with the shape {@code limit}. Keys must come from a bounded
     * set (ids of directories or connections that exist, fixed reasons), never from what a caller sends.
     */
    public Take take(String key, Limit limit) {
        if (postgres && limit.units().isPresent()) {
            try {
                return takeShared(name(key, limit), limit, limit.units().getAsLong());
            }
            catch (SQLException | RuntimeException ex) {
                return takeInMemory(key, limit, ex);
            }
        }
        return takeLocally(key, limit);
    }

    /**
     * Takes one token from the bucket named {@code key} with the shape {@code limit}, using what a statement composed
     * with {@link BucketJoins#takeFrom} already answered for it: its answer when it took from this very bucket, this
     * instance's memory (counted and warned about as any fallback) when that statement failed, and {@link #take}
     * otherwise (H2, a shape the statement did not take for, or a bucket of another name, which would be a bug of the
     * composing statement: the bucket named here is then taken from once, as if the statement had not asked).
     */
    public Take take(String key, Limit limit, InlineTake inline) {
        if (inline instanceof InlineTake.Answered answered && postgres && limit.units().isPresent()
                && answered.bucket().equals(name(key, limit))) {
            return answer(limit, answered.unitsLeft(), answered.taken());
        }
        if (inline instanceof InlineTake.Failed failed) {
            return takeInMemory(key, limit, failed.cause());
        }
        if (inline instanceof InlineTake.Answered answered) {
            log.warn("A statement took from bucket {} for {} of shape {}; taking from the right one", answered.bucket(),
                    key, limit.signature());
        }
        return take(key, limit);
    }

    /** Whether statements may take from shared buckets themselves ({@link BucketJoins#takeFrom}): on PostgreSQL. */
    public boolean takesInStatements() {
        return postgres;
    }

    private Take takeInMemory(String key, Limit limit, Exception cause) {
        fallbacks.incrementAndGet();
        warn(key, cause);
        return takeLocally(key, limit);
    }

    private Take takeLocally(String key, Limit limit) {
        Bucket bucket = local.computeIfAbsent(name(key, limit), n -> Bucket.builder().addLimit(limit.configuration()
                .getBandwidths()[0]).withCustomTimePrecision(time).build());
        return answer(bucket.tryConsumeAndReturnRemaining(1));
    }

    private static String name(String key, Limit limit) {
        return key + "@" + limit.signature();
    }

    private Take takeShared(String name, Limit limit, long full) throws SQLException {
        long period = limit.refillPeriod().toNanos();
        long nowMillis = clock.millis();
        long now = nowMillis * 1_000_000L;
        // Any bucket is full again one refill period after its last take.
        long expires = nowMillis + limit.refillPeriod().plus(KEPT_AFTER_FULL).toMillis();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(TAKE_SQL)) {
            // The connection comes from the pool in autocommit (the pool's default, and no transaction of the caller
            // is bound to it): the statement is its own transaction, one round trip.
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            statement.setQueryTimeout((int) LOCK_WAIT.toSeconds());
            Object[] values = NamedParameterUtils.buildValueArray(TAKE_PARSED, new MapSqlParameterSource(Map.of(
                    "id", name, "full", full, "period", period, "capacity", limit.capacity(), "now", now,
                    "expires", expires)), null);
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return answer(limit, row.getLong(1), row.getBoolean(2));
            }
        }
    }

    /** A shared bucket's answer: what it holds after the take, and whether the take got a token. */
    private static Take answer(Limit limit, long units, boolean taken) {
        if (taken) {
            return new Take(true, Duration.ZERO, true);
        }
        // Short of one token (period units) by this much, refilled at capacity units a nanosecond.
        long missing = limit.refillPeriod().toNanos() - units;
        return new Take(false, Duration.ofNanos((missing + limit.capacity() - 1) / limit.capacity()), true);
    }

    /** How many takes fell back to this instance's memory because the shared bucket could not be reached. */
    public long fallbacks() {
        return fallbacks.get();
    }

    /** Deletes the rows of buckets that have been full for a while; another instance may be doing the same. */
    @Scheduled(initialDelayString = "PT2M", fixedDelayString = "PT10M")
    void purge() {
        if (!postgres) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(PURGE)) {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            int deleted;
            do {
                statement.setLong(1, clock.millis());
                deleted = statement.executeUpdate();
            }
            while (deleted == PURGE_BATCH);
        }
        catch (SQLException | RuntimeException ex) {
            log.debug("Could not purge expired rate-limit buckets (tried again later): {}", ex.toString());
        }
    }

    private static Take answer(ConsumptionProbe probe) {
        return new Take(probe.isConsumed(), probe.isConsumed() ? Duration.ZERO
                : Duration.ofNanos(probe.getNanosToWaitForRefill()), false);
    }

    private void warn(String key, Exception ex) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (last == Long.MIN_VALUE || now - last >= WARNING_INTERVAL.toNanos()) {
            if (lastWarning.compareAndSet(last, now)) {
                log.warn("Shared rate-limit bucket {} could not be reached; counting in this instance's memory until it "
                        + "can ({} so far; this warning at most once a minute): {}", key, fallbacks.get(), rootCause(ex));
            }
        }
    }

    private static String rootCause(Throwable ex) {
        Throwable cause = ex;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.toString();
    }

    /** The application's clock, so that a test moving it forward refills a bucket as time passing would. */
    private record ClockTime(Clock clock) implements TimeMeter {

        @Override
        public long currentTimeNanos() {
            return clock.millis() * 1_000_000L;
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
