package dev.roster.shared.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.roster.shared.database.DatabaseUrls;

/**
 * Token buckets counted together by every Roster instance: on PostgreSQL each bucket is a row of
 * {@code rate_limit_bucket}, read and written under a row lock by Bucket4j's PostgreSQL backend, so two instances
 * behind a load balancer allow together what one would. On H2 (the demo, one instance) the buckets are in memory.
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
    /** A bucket's row is deleted this long after it would be full again (a full bucket is the same as none). */
    private static final Duration KEPT_AFTER_FULL = Duration.ofMinutes(1);
    private static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);
    private static final int PURGE_BATCH = 500;

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> shared;
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
        this.time = new ClockTime(clock);
        this.shared = postgres ? Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_bucket")
                .idColumn("id")
                .stateColumn("state")
                .expiresAtColumn("expires_at")
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEPT_AFTER_FULL))
                .requestTimeout(LOCK_WAIT)
                .clientClock(time)
                .build() : null;
    }

    static boolean isPostgres(String url) {
        return DatabaseUrls.postgres(url);
    }

    /** Whether buckets are counted in the database for all instances (PostgreSQL), or in memory (H2). */
    public boolean sharedByAllInstances() {
        return shared != null;
    }

    /**
     * Takes one token from the bucket named {@code key} with the shape {@code limit}. Keys must come from a bounded
     * set (ids of directories or connections that exist, fixed reasons), never from what a caller sends.
     */
    public Take take(String key, Limit limit) {
        String name = key + "@" + limit.signature();
        if (shared != null) {
            try {
                return answer(shared.getProxy(name, limit::configuration).tryConsumeAndReturnRemaining(1), true);
            }
            catch (RuntimeException ex) {
                fallbacks.incrementAndGet();
                warn(key, ex);
            }
        }
        Bucket bucket = local.computeIfAbsent(name, n -> Bucket.builder().addLimit(limit.configuration()
                .getBandwidths()[0]).withCustomTimePrecision(time).build());
        return answer(bucket.tryConsumeAndReturnRemaining(1), false);
    }

    /** How many takes fell back to this instance's memory because the shared bucket could not be reached. */
    public long fallbacks() {
        return fallbacks.get();
    }

    /** Deletes the rows of buckets that have been full for a while; another instance may be doing the same. */
    @Scheduled(initialDelayString = "PT2M", fixedDelayString = "PT10M")
    void purge() {
        if (shared == null) {
            return;
        }
        try {
            int deleted;
            do {
                deleted = shared.removeExpired(PURGE_BATCH);
            }
            while (deleted == PURGE_BATCH);
        }
        catch (RuntimeException ex) {
            log.debug("Could not purge expired rate-limit buckets (tried again later): {}", ex.toString());
        }
    }

    private static Take answer(ConsumptionProbe probe, boolean shared) {
        return new Take(probe.isConsumed(), probe.isConsumed() ? Duration.ZERO
                : Duration.ofNanos(probe.getNanosToWaitForRefill()), shared);
    }

    private void warn(String key, RuntimeException ex) {
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
