package dev.roster.shared.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.roster.test.PrivateDatabase;

/**
 * Decision 0016: a table Roster fills in bulk gets statistics once a thousand rows have gone in, without waiting for
 * autovacuum (off on this workplace's server), so the planner stops planning for an empty table.
 */
class TableStatisticsTest {

    @Test
    void aTableIsAnalyzedWhenAThousandRowsHaveGoneIn() throws InterruptedException {
        assumeTrue(System.getenv("ROSTER_TEST_DATABASE_URL") != null, "PostgreSQL only: H2 keeps no statistics");
        try (PrivateDatabase database = PrivateDatabase.create("statistics")) {
            JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
            jdbc.execute("CREATE TABLE filled (id INT PRIMARY KEY)");
            jdbc.update("INSERT INTO filled SELECT generate_series(1, 1500)");
            TableStatistics statistics = new TableStatistics(jdbc, true);

            statistics.inserted("filled", 999);
            statistics.inserted("filled", 1);

            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (reltuples(jdbc) < 0 && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(reltuples(jdbc)).as("rows PostgreSQL knows the table has").isEqualTo(1500);
        }
    }

    private static float reltuples(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT reltuples FROM pg_class WHERE oid = 'filled'::regclass", Float.class);
    }
}
