package dev.roster.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestEnvironment;

/**
 * The decision is one statement that PostgreSQL can answer from indexes alone, whatever the table sizes. With
 * sequential scans priced out, any access path that lacks an index still shows up as a "Seq Scan" in the plan.
 */
@RosterIntegrationTest
class DecisionQueryPlanTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void theDecisionQueryUsesOnlyIndexes() {
        assumeTrue(TestEnvironment.databaseDescription().startsWith("PostgreSQL"), "query plans are PostgreSQL's");
        List<String> plan = transactions.execute(status -> {
            jdbc.sql("SET LOCAL enable_seqscan = off").update();
            return jdbc.sql("EXPLAIN " + ResourceRepository.DECISION)
                    .param("org", UUID.randomUUID()).param("account", UUID.randomUUID())
                    .param("resource", UUID.randomUUID()).query(String.class).list();
        });
        String text = String.join("\n", plan);
        assertThat(text).doesNotContain("Seq Scan");
        for (String table : List.of(" on resource r", " on membership m", " on team t", " on team_membership tm")) {
            assertThat(plan).as(text).anySatisfy(line -> assertThat(line).contains(table).contains("Index"));
        }
    }
}
