package dev.roster.shared.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.roster.test.PrivateDatabase;

/**
 * V240: the shared buckets' table skips the write-ahead log on PostgreSQL, so a take's short transaction commits
 * without waiting for a WAL flush while it holds the directory's bucket row, which every SCIM request of the directory
 * queues for (issue 15). On H2 the migration changes nothing and the migrations still run.
 */
class RateLimitBucketTableTest {

    @Test
    void theBucketTableIsUnloggedOnPostgresql() {
        assumeTrue(System.getenv("ROSTER_TEST_DATABASE_URL") != null, "PostgreSQL only");
        try (PrivateDatabase database = PrivateDatabase.create("unlogged").migrate()) {
            JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
            assertThat(jdbc.queryForObject("SELECT relpersistence FROM pg_class WHERE oid = 'rate_limit_bucket'::regclass",
                    String.class)).isEqualTo("u");
            assertThat(jdbc.queryForObject("SELECT relpersistence FROM pg_class WHERE oid = 'scim_user'::regclass",
                    String.class)).as("every other table stays logged").isEqualTo("p");
        }
    }
}
