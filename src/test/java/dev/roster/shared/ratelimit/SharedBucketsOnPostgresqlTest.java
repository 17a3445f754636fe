package dev.roster.shared.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.roster.test.MutableClock;
import dev.roster.test.PrivateDatabase;

/**
 * The shared bucket's single statement (decision 0018) counts as a token bucket does: a burst, then the refill, the
 * wait it answers, takes racing on one row counted one by one, and rows of Bucket4j's layout read as full buckets.
 */
class SharedBucketsOnPostgresqlTest {

    private static PrivateDatabase database;
    private final MutableClock clock = new MutableClock();

    @BeforeAll
    static void migrate() {
        assumeTrue(System.getenv("ROSTER_TEST_DATABASE_URL") != null, "PostgreSQL only");
        database = PrivateDatabase.create("buckets").migrate();
    }

    @AfterAll
    static void drop() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aBurstThenTheRefillAndTheWaitUntilIt() {
        SharedBuckets buckets = new SharedBuckets(database.dataSource(), true, clock);
        Limit limit = new Limit(3, Duration.ofSeconds(30));
        for (int i = 0; i < 3; i++) {
            Take take = buckets.take("burst", limit);
            assertThat(take.taken()).isTrue();
            assertThat(take.shared()).isTrue();
        }
        Take refused = buckets.take("burst", limit);
        assertThat(refused.taken()).isFalse();
        // The clock goes on running between the takes (the test moves it further).
        assertThat(refused.retryIn()).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(4));
        assertThat(buckets.take("burst", limit).retryIn()).as("a refused take uses nothing").isBetween(
                Duration.ofSeconds(5), Duration.ofSeconds(6));
        clock.advance(Duration.ofSeconds(6));
        assertThat(buckets.take("burst", limit).taken()).as("one token refilled after 10 s").isTrue();
        assertThat(buckets.take("burst", limit).taken()).isFalse();
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            assertThat(buckets.take("burst", limit).taken()).as("refilled up to the capacity, no more").isTrue();
        }
        assertThat(buckets.take("burst", limit).taken()).isFalse();
        assertThat(buckets.fallbacks()).isZero();
    }

    @Test
    void takesRacingOnOneRowAreCountedOneByOne() throws Exception {
        SharedBuckets buckets = new SharedBuckets(database.dataSource(), true, clock);
        Limit limit = new Limit(50, Duration.ofHours(1));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> takes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                takes.add(() -> buckets.take("race", limit).taken());
            }
            int taken = 0;
            for (Future<Boolean> result : threads.invokeAll(takes)) {
                taken += result.get() ? 1 : 0;
            }
            assertThat(taken).isEqualTo(50);
        }
        finally {
            threads.shutdownNow();
        }
        assertThat(buckets.fallbacks()).isZero();
    }

    @Test
    void aRowBucket4jWroteCountsAsAFullBucket() {
        Limit limit = new Limit(2, Duration.ofMinutes(1));
        new JdbcTemplate(database.dataSource()).update("INSERT INTO rate_limit_bucket (id, state, expires_at) "
                + "VALUES (?, ?, ?)", "old@" + limit.signature(), new byte[] {1, 2, 3}, clock.millis() + 60_000);
        SharedBuckets buckets = new SharedBuckets(database.dataSource(), true, clock);
        assertThat(buckets.take("old", limit).taken()).isTrue();
        assertThat(buckets.take("old", limit).taken()).isTrue();
        assertThat(buckets.take("old", limit).taken()).isFalse();
    }

    @Test
    void aTakeLeavesTheRowsExpiryAsItWasUntilItFallsHalfAMinuteBehind() {
        SharedBuckets buckets = new SharedBuckets(database.dataSource(), true, clock);
        Limit limit = new Limit(100, Duration.ofMinutes(1));
        long twoMinutes = Duration.ofMinutes(2).toMillis();
        long before = clock.millis();
        buckets.take("in-place", limit);
        long first = expiry("in-place");
        // The clock runs on between the reads (the test moves it further).
        assertThat(first).isBetween(before + twoMinutes, clock.millis() + twoMinutes);

        // An unchanged indexed column is what lets PostgreSQL update the row in place (HOT) on every request's take.
        clock.advance(Duration.ofSeconds(29));
        buckets.take("in-place", limit);
        assertThat(expiry("in-place")).isEqualTo(first);

        clock.advance(Duration.ofSeconds(2));
        before = clock.millis();
        buckets.take("in-place", limit);
        assertThat(expiry("in-place")).isBetween(before + twoMinutes, clock.millis() + twoMinutes);
    }

    @Test
    void aRowWhoseExpiryStayedBehindIsPurgedOnlyOnceItsBucketIsFull() {
        SharedBuckets buckets = new SharedBuckets(database.dataSource(), true, clock);
        Limit limit = new Limit(2, Duration.ofMinutes(1));
        buckets.take("behind", limit);
        clock.advance(Duration.ofSeconds(25));
        buckets.take("behind", limit);
        assertThat(buckets.take("behind", limit).taken()).as("empty").isFalse();

        // The stored expiry is the first take's: 2 minutes after it. The bucket was last taken from 25 s later and
        // refills fully within the minute after that, so it is full by then, and a full bucket is the same as none.
        clock.advance(Duration.ofSeconds(96));
        buckets.purge();
        assertThat(new JdbcTemplate(database.dataSource()).queryForList(
                "SELECT id FROM rate_limit_bucket WHERE id LIKE 'behind@%'", String.class)).isEmpty();
        assertThat(buckets.take("behind", limit).taken()).isTrue();
        assertThat(buckets.take("behind", limit).taken()).isTrue();
        assertThat(buckets.take("behind", limit).taken()).isFalse();
    }

    private long expiry(String key) {
        return new JdbcTemplate(database.dataSource()).queryForObject(
                "SELECT expires_at FROM rate_limit_bucket WHERE id LIKE ?", Long.class, key + "@%");
    }

    @Test
    void theRowsOfFullBucketsArePurged() {
        SharedBuckets buckets = new SharedBuckets(database.dataSource(), true, clock);
        JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
        buckets.take("purged", new Limit(1, Duration.ofSeconds(1)));
        buckets.take("kept", new Limit(1, Duration.ofHours(1)));
        clock.advance(Duration.ofMinutes(2));
        buckets.purge();
        assertThat(jdbc.queryForList("SELECT id FROM rate_limit_bucket WHERE id LIKE 'purged@%' OR id LIKE 'kept@%'",
                String.class)).singleElement().asString().startsWith("kept@");
    }
}
