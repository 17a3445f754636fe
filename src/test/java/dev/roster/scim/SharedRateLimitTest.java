package dev.roster.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.shared.ratelimit.Limit;
import dev.roster.shared.ratelimit.SharedBuckets;
import dev.roster.shared.ratelimit.Take;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.SecondInstance;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * The SCIM rate limit is counted by all instances together: a directory whose requests a load balancer spreads over
 * two Roster instances gets the documented rate in all, not twice it. And a limiter that cannot reach its shared
 * bucket counts in the instance's memory for the moment instead of failing the request.
 */
@RosterIntegrationTest
class SharedRateLimitTest {

    @AfterAll
    static void stopTheSecondInstance() {
        SecondInstance.stop();
    }

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SharedBuckets buckets;
    @Autowired
    DataSource dataSource;

    @Test
    void twoInstancesTogetherAllowTheDirectorysRateNotTwiceIt() {
        assumeTrue(buckets.sharedByAllInstances(), "limits are shared on PostgreSQL");
        // One request a second, and a burst of one: counted per instance, each would allow that on its own.
        ScimTestClient onA = ScimTestClient.create(api, data.org(), "okta", 1);
        ScimTestClient onB = onA.at(SecondInstance.baseUrl());
        int[] allowed = new int[2];
        int[] limited = new int[2];
        long started = System.nanoTime();
        // For at least two seconds, so that a slow machine and a fast one both see the refill.
        for (int i = 0; i < 20 || System.nanoTime() - started < 2_000_000_000L; i++) {
            ScimTestClient.Response response = (i % 2 == 0 ? onA : onB).get("/Users?count=1");
            assertThat(response.status()).as(response.body()).isIn(200, 429);
            if (response.status() == 200) {
                allowed[i % 2]++;
            }
            else {
                assertThat(Long.parseLong(response.header("Retry-After"))).isPositive();
                limited[i % 2]++;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int total = allowed[0] + allowed[1];
        System.out.printf("Shared SCIM limit: %d of %d allowed (A %d, B %d) in %.2f s%n", total,
                total + limited[0] + limited[1], allowed[0], allowed[1], seconds);
        // The bucket holds one request and refills one a second: per instance, each would allow as many again.
        assertThat(total).as("at most the burst plus the refill over %.2f s", seconds)
                .isLessThanOrEqualTo(1 + (int) Math.ceil(seconds));
        assertThat(total).as("the burst and some of the refill").isGreaterThanOrEqualTo(2);
        assertThat(limited[0]).as("instance A refuses").isPositive();
        assertThat(limited[1]).as("instance B refuses").isPositive();
    }

    @Test
    void bothInstancesTakeFromOneBucket() {
        assumeTrue(buckets.sharedByAllInstances(), "limits are shared on PostgreSQL");
        SharedBuckets onB = SecondInstance.context().getBean(SharedBuckets.class);
        Limit limit = new Limit(20, Duration.ofHours(1));
        String key = "test:" + UUID.randomUUID();
        int[] taken = new int[2];
        for (int i = 0; i < 60; i++) {
            Take take = (i % 2 == 0 ? buckets : onB).take(key, limit);
            assertThat(take.shared()).isTrue();
            taken[i % 2] += take.taken() ? 1 : 0;
        }
        assertThat(taken[0] + taken[1]).isEqualTo(20);
        assertThat(taken[0]).isEqualTo(10);
    }

    @Test
    void aLimiterThatCannotReachItsSharedBucketCountsInMemoryInsteadOfFailingTheRequest() throws Exception {
        assumeTrue(buckets.sharedByAllInstances(), "limits are shared on PostgreSQL");
        ScimTestClient scim = ScimTestClient.create(api, data.org(), "okta", 2);
        assertThat(scim.get("/Users?count=1").status()).isEqualTo(200);
        long fallbacksBefore = buckets.fallbacks();
        try (Connection holder = dataSource.getConnection()) {
            // Another session holds the directory's bucket row, as a stuck transaction would.
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement(
                    "SELECT id FROM rate_limit_bucket WHERE id LIKE ? FOR UPDATE")) {
                lock.setString(1, "scim-directory:" + scim.directoryId + "@%");
                try (ResultSet rows = lock.executeQuery()) {
                    assertThat(rows.next()).as("the directory's bucket is a row").isTrue();
                }
            }
            for (int i = 0; i < 2; i++) {
                long started = System.nanoTime();
                // Taken from this instance's own bucket of the same shape (SharedBucketsTest shows it limits).
                assertThat(scim.get("/Users?count=1").status()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            }
            holder.rollback();
        }
        assertThat(buckets.fallbacks()).isEqualTo(fallbacksBefore + 2);
        assertThat(scim.get("/Users?count=1").status()).as("the shared bucket again").isIn(200, 429);
        assertThat(buckets.fallbacks()).isEqualTo(fallbacksBefore + 2);
    }
}
