package dev.roster.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.shared.ratelimit.SharedBuckets;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * The token look-up takes from the rate-limit bucket in its own statement (decision 0021): a live token takes from
 * its own directory's bucket, named and shaped as the rate limiter names it, and a token that finds no live row (none,
 * a wrong one, a revoked one, one of a deleted organization) is 401 without touching any bucket.
 */
@RosterIntegrationTest
class ScimTokenAndBucketInOneStatementTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SharedBuckets buckets;
    @Autowired
    DataSource dataSource;

    @Test
    void aLiveTokenTakesFromItsOwnDirectorysBucketOnly() throws SQLException {
        assumeTrue(buckets.sharedByAllInstances(), "statements take from buckets on PostgreSQL");
        ScimTestClient own = ScimTestClient.create(api, data.org(), "okta", 5);
        ScimTestClient defaults = ScimTestClient.create(api, data.org(), "okta", null);
        ScimTestClient other = ScimTestClient.create(api, data.org(), "okta", 7);
        long fallbacks = buckets.fallbacks();

        assertThat(own.get("/Users?count=1").status()).isEqualTo(200);
        assertThat(defaults.get("/Users?count=1").status()).isEqualTo(200);

        // The keys ScimRateLimiter gives them: 5 tokens a second; the configured defaults, 400 refilled over 2 s.
        assertThat(bucketsOf(own.directoryId)).containsOnlyKeys("scim-directory:" + own.directoryId + "@5/1000000000");
        assertThat(bucketsOf(defaults.directoryId))
                .containsOnlyKeys("scim-directory:" + defaults.directoryId + "@400/2000000000");
        // Full less one token (5 × 10^9 units less 10^9), give or take the refill since, never more than full.
        assertThat(bucketsOf(own.directoryId).values()).singleElement()
                .satisfies(row -> assertThat(row.get(0)).isBetween(4_000_000_000L, 5_000_000_000L));
        assertThat(bucketsOf(other.directoryId)).as("another directory's bucket").isEmpty();
        assertThat(buckets.fallbacks()).as("taken in the look-up's statement, not in memory").isEqualTo(fallbacks);
    }

    @Test
    void aTokenThatFindsNoLiveRowIs401AndTouchesNoBucket() throws SQLException {
        assumeTrue(buckets.sharedByAllInstances(), "statements take from buckets on PostgreSQL");
        ScimTestClient used = ScimTestClient.create(api, data.org(), "okta", 5);
        assertThat(used.get("/Users?count=1").status()).isEqualTo(200);
        ScimTestClient revoked = ScimTestClient.create(api, data.org(), "okta", 5);
        update("UPDATE scim_token SET revoked_at = now() WHERE directory_id = ?", revoked.directoryId);
        ScimTestClient deleted = ScimTestClient.create(api, data.org(), "okta", 5);
        update("UPDATE organization SET deleted_at = now() WHERE id = "
                + "(SELECT organization_id FROM scim_directory WHERE id = ?)", deleted.directoryId);
        Map<String, List<Long>> before = allBuckets();
        assertThat(before).containsKey("scim-directory:" + used.directoryId + "@5/1000000000");

        String wrong = used.token.substring(0, used.token.length() - 1)
                + (used.token.endsWith("A") ? "B" : "A");
        for (String token : new String[] {"scim_" + UUID.randomUUID(), wrong, revoked.token, deleted.token}) {
            ScimTestClient.Response refused = used.sendWithToken(token, "GET", "/Users?count=1", null, Map.of());
            assertThat(refused.status()).as(refused.body()).isEqualTo(401);
        }
        assertThat(used.sendWithToken(null, "GET", "/Users?count=1", null, Map.of()).status()).isEqualTo(401);

        // No bucket made, none taken from (the scheduled purge may delete some meanwhile, and that is all).
        assertThat(before).containsAllEntriesOf(allBuckets());
        assertThat(bucketsOf(revoked.directoryId)).isEmpty();
        assertThat(bucketsOf(deleted.directoryId)).isEmpty();
    }

    private Map<String, List<Long>> bucketsOf(UUID directoryId) throws SQLException {
        Map<String, List<Long>> found = new HashMap<>();
        allBuckets().forEach((id, units) -> {
            if (id.startsWith("scim-directory:" + directoryId + "@")) {
                found.put(id, units);
            }
        });
        return found;
    }

    /** Every bucket with what it holds and when it was refilled. */
    private Map<String, List<Long>> allBuckets() throws SQLException {
        Map<String, List<Long>> rows = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id, units, refilled_at FROM rate_limit_bucket");
             ResultSet row = select.executeQuery()) {
            while (row.next()) {
                rows.put(row.getString(1), List.of(row.getLong(2), row.getLong(3)));
            }
        }
        return rows;
    }

    private void update(String sql, UUID directoryId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(sql)) {
            update.setObject(1, directoryId);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }
}
