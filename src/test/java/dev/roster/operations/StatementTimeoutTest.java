package dev.roster.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.roster.RosterApplication;
import dev.roster.shared.DatabaseUnavailable;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestEnvironment;

/**
 * Roster's statements run under PostgreSQL's own {@code statement_timeout} (ROSTER_DB_STATEMENT_TIMEOUT), set on every
 * pooled connection, and a statement that outlasts it is cancelled by the server and counts as the database being
 * unavailable (503). Migrations take connections of their own without it (decision 0025).
 */
@RosterIntegrationTest
class StatementTimeoutTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    Flyway flyway;

    @Test
    void everyPooledConnectionHasTheStatementTimeoutAndMigrationsHaveNone() throws SQLException {
        assumeTrue(TestEnvironment.databaseDescription().startsWith("PostgreSQL"), "statement_timeout is PostgreSQL's");
        assertThat(jdbc.sql("SHOW statement_timeout").query(String.class).single()).isEqualTo("30s");
        assertThat(show(flyway.getConfiguration().getDataSource(), "statement_timeout")).isEqualTo("0");
    }

    @Test
    void aStatementThatOutlastsTheTimeoutIsCancelledByTheServerAndCountsAsTheDatabaseUnavailable() {
        assumeTrue(TestEnvironment.databaseDescription().startsWith("PostgreSQL"), "statement_timeout is PostgreSQL's");
        try (ConfigurableApplicationContext roster = new SpringApplicationBuilder(RosterApplication.class)
                .initializers(new TestEnvironment.OwnDatabase())
                .run("--server.port=0", "--spring.main.banner-mode=off", "--spring.jmx.enabled=false",
                        "--spring.datasource.hikari.maximum-pool-size=2", "--roster.database.statement-timeout=1s",
                        "--roster.allow-secret-key-in-database=true", "--spring.profiles.active=test")) {
            JdbcClient timed = roster.getBean(JdbcClient.class);
            Instant start = Instant.now();
            assertThatThrownBy(() -> timed.sql("SELECT pg_sleep(10)").query(String.class).single())
                    .isInstanceOf(QueryTimeoutException.class)
                    .satisfies(failure -> assertThat(DatabaseUnavailable.isCause(failure)).isTrue());
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
            // The connection is still good for the next statement.
            assertThat(timed.sql("SELECT 1").query(Integer.class).single()).isEqualTo(1);
        }
    }

    private static String show(DataSource dataSource, String setting) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SHOW " + setting)) {
            result.next();
            return result.getString(1);
        }
    }
}
