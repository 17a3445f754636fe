package dev.roster.shared.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * Connections are refused at once while the probe finds the database unreachable, but only once the application
 * serves: during start-up a probe that found nothing (or was merely slow on a busy machine) must not make the
 * migrations fail when the pool itself could connect.
 */
class FailFastDataSourceTest {

    @Test
    void aFailedProbeRefusesConnectionsOnlyOnceTheApplicationServes() throws Exception {
        int nothingListens;
        try (ServerSocket socket = new ServerSocket(0)) {
            nothingListens = socket.getLocalPort();
        }
        try (DatabaseProbe probe = new DatabaseProbe("jdbc:postgresql://127.0.0.1:" + nothingListens + "/none",
                "roster", null, DatabaseSettings.defaults(), Clock.systemUTC())) {
            probe.probe();
            assertThat(probe.isUp()).isFalse();
            JdbcDataSource pool = new JdbcDataSource();
            pool.setURL("jdbc:h2:mem:fail-fast-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
            FailFastDataSource dataSource = new FailFastDataSource(pool, probe);

            try (Connection startingUp = dataSource.getConnection()) {
                assertThat(startingUp.isValid(1)).isTrue();
            }

            dataSource.serving();
            assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("unreachable");
        }
    }
}
