package dev.roster.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestEnvironment;

/**
 * {@link Ids#DATABASE_ORDER} is PostgreSQL's own {@code ORDER BY} of {@code uuid}, asked of the database: code that
 * forms batches of ids to lock sorts them with it, so its locks come in the order of the statements that lock with
 * {@code ORDER BY id}. {@link UUID#compareTo} (signed halves) disagrees with it for about half of all pairs.
 */
@RosterIntegrationTest
class IdsDatabaseOrderTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void uuidsSortAsPostgresqlOrdersThem() {
        assumeTrue(TestEnvironment.databaseDescription().startsWith("PostgreSQL"),
                "the order is PostgreSQL's (H2 compares uuids its own way)");
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            ids.add(i % 2 == 0 ? Ids.newId() : UUID.randomUUID());
        }
        // The edges: all bits set, none, and each half's sign bit alone.
        ids.add(new UUID(-1L, -1L));
        ids.add(new UUID(0L, 0L));
        ids.add(new UUID(Long.MIN_VALUE, 0L));
        ids.add(new UUID(0L, Long.MIN_VALUE));
        ids.add(new UUID(Long.MAX_VALUE, Long.MAX_VALUE));
        List<UUID> database = jdbc.sql("SELECT id::uuid FROM unnest(string_to_array(?, ',')) AS t(id) ORDER BY 1")
                .param(ids.stream().map(UUID::toString).collect(Collectors.joining(","))).query(UUID.class).list();

        assertThat(ids.stream().sorted(Ids.DATABASE_ORDER).toList()).containsExactlyElementsOf(database);
        assertThat(ids.stream().sorted().toList()).as("UUID.compareTo is not the database's order")
                .isNotEqualTo(database);
    }
}
