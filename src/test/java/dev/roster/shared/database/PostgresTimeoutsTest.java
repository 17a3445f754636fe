package dev.roster.shared.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The driver properties the pool's PostgreSQL connections get: the documented timeouts, the statement timeout as the
 * server's {@code statement_timeout} in the start-up options, and whatever the operator gave instead left alone.
 */
@ExtendWith(OutputCaptureExtension.class)
class PostgresTimeoutsTest {

    private static final DatabaseSettings DEFAULTS = DatabaseSettings.defaults();

    @Test
    void aPostgresqlPoolGetsTheDriverTimeoutsAndTheServersStatementTimeout() {
        HikariDataSource pool = pool("jdbc:postgresql://db/roster");
        PostgresTimeouts.apply(pool, DEFAULTS);
        assertThat(pool.getDataSourceProperties()).containsEntry("connectTimeout", "2")
                .containsEntry("loginTimeout", "2").containsEntry("socketTimeout", "45")
                .containsEntry("options", "-c statement_timeout=30000");
    }

    @Test
    void optionsTheOperatorGaveAreKeptAndTheTimeoutAddedToThem() {
        HikariDataSource pool = pool("jdbc:postgresql://db/roster");
        pool.addDataSourceProperty("options", "-c search_path=roster");
        PostgresTimeouts.apply(pool, DEFAULTS);
        assertThat(pool.getDataSourceProperties())
                .containsEntry("options", "-c search_path=roster -c statement_timeout=30000");
    }

    @Test
    void aTimeoutTheOperatorGaveWinsAndZeroSendsNone() {
        HikariDataSource inUrl = pool("jdbc:postgresql://db/roster?options=-c%20statement_timeout%3D5000");
        PostgresTimeouts.apply(inUrl, DEFAULTS);
        assertThat(inUrl.getDataSourceProperties()).doesNotContainKey("options");

        HikariDataSource inProperties = pool("jdbc:postgresql://db/roster");
        inProperties.addDataSourceProperty("options", "-c statement_timeout=5000");
        PostgresTimeouts.apply(inProperties, DEFAULTS);
        assertThat(inProperties.getDataSourceProperties()).containsEntry("options", "-c statement_timeout=5000");

        HikariDataSource none = pool("jdbc:postgresql://db/roster");
        PostgresTimeouts.apply(none, new DatabaseSettings(DEFAULTS.probeInterval(), DEFAULTS.probeTimeout(),
                DEFAULTS.connectTimeout(), DEFAULTS.socketTimeout(), Duration.ZERO, DEFAULTS.retryAfter()));
        assertThat(none.getDataSourceProperties()).doesNotContainKey("options");
    }

    @Test
    void optionsInTheUrlWithoutATimeoutAreLeftAloneAndSaidToSetNone(CapturedOutput output) {
        HikariDataSource pool = pool("jdbc:postgresql://db/roster?options=-c%20search_path%3Droster");
        PostgresTimeouts.apply(pool, DEFAULTS);
        assertThat(pool.getDataSourceProperties()).doesNotContainKey("options");
        assertThat(output.getOut()).contains("options= without statement_timeout, so no statement timeout is set",
                "add -c statement_timeout=30000");
    }

    @Test
    void h2IsLeftAsItIs() {
        HikariDataSource pool = pool("jdbc:h2:mem:roster");
        PostgresTimeouts.apply(pool, DEFAULTS);
        assertThat(pool.getDataSourceProperties()).isEmpty();
    }

    private static HikariDataSource pool(String url) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        return pool;
    }
}
