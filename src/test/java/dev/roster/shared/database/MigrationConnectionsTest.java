package dev.roster.shared.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.internal.jdbc.DriverDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.mock.env.MockEnvironment;

/**
 * Migrations run on connections of their own, without the pool's statement and socket timeouts (decision 0025),
 * unless the operator gave Flyway its own URL or user (a role allowed to change the schema, say), which are kept.
 */
class MigrationConnectionsTest {

    @Test
    void migrationsGetConnectionsOfTheirOwnOnPostgresql() {
        FluentConfiguration flyway = customized(new MockEnvironment());
        assertThat(flyway.getDataSource()).isInstanceOfSatisfying(DriverDataSource.class,
                own -> assertThat(own.getUrl()).isEqualTo("jdbc:postgresql://db/roster"));
    }

    @Test
    void anOperatorsOwnFlywayUrlOrUserIsKept() {
        assertThat(customized(new MockEnvironment().withProperty("spring.flyway.user", "migrator")).getDataSource())
                .isNull();
        assertThat(customized(new MockEnvironment().withProperty("spring.flyway.url",
                "jdbc:postgresql://primary/roster")).getDataSource()).isNull();
    }

    private static FluentConfiguration customized(MockEnvironment environment) {
        DataSourceProperties pool = new DataSourceProperties();
        pool.setUrl("jdbc:postgresql://db/roster");
        pool.setUsername("roster");
        pool.setPassword("secret");
        FluentConfiguration flyway = Flyway.configure();
        new DatabaseConfiguration().migrationsWithoutStatementTimeout(pool, environment).customize(flyway);
        return flyway;
    }
}
