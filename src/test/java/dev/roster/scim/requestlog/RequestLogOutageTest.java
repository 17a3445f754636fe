package dev.roster.scim.requestlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.util.unit.DataSize;

import dev.roster.scim.ScimProperties;
import dev.roster.shared.database.DatabaseProbe;
import dev.roster.shared.database.DatabaseSettings;
import dev.roster.test.PrivateDatabase;
import dev.roster.test.TcpProxy;

/**
 * The request log loses nothing to a database outage: entries recorded while the database is cut off wait in the
 * buffer and are written once it answers again; only what would overflow the buffer is dropped, and that is counted
 * and logged. Runs the service on a private schema reached through a TCP proxy the test cuts.
 */
class RequestLogOutageTest {

    private PrivateDatabase database;
    private TcpProxy proxy;
    private HikariDataSource pool;
    private DatabaseProbe probe;
    private RequestLogService log;
    private SimpleMeterRegistry meters;
    private final UUID organization = UUID.randomUUID();
    private final UUID directory = UUID.randomUUID();

    @BeforeEach
    void serviceBehindAProxy() throws Exception {
        String url = System.getenv("ROSTER_TEST_DATABASE_URL");
        assumeTrue(url != null && url.startsWith("jdbc:postgresql:"), "needs PostgreSQL");
        database = PrivateDatabase.create("reqlog").migrate();
        Map<String, Object> direct = database.springProperties();
        Matcher target = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/(.+)")
                .matcher((String) direct.get("spring.datasource.url"));
        assertThat(target.matches()).isTrue();
        proxy = new TcpProxy(target.group(1), target.group(2) == null ? 5432 : Integer.parseInt(target.group(2)));
        String proxied = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + target.group(3);
        pool = new HikariDataSource();
        pool.setJdbcUrl(proxied);
        pool.setUsername((String) direct.get("spring.datasource.username"));
        pool.setPassword((String) direct.get("spring.datasource.password"));
        pool.setMaximumPoolSize(2);
        pool.setConnectionTimeout(1_000);
        DatabaseSettings settings = new DatabaseSettings(Duration.ofMillis(100), Duration.ofMillis(500),
                Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(5));
        probe = new DatabaseProbe(proxied, pool.getUsername(), pool.getPassword(), settings, Clock.systemUTC());
        probe.start();
        // 64 KB of buffer: a few hundred small entries, so the test can fill it.
        ScimProperties properties = new ScimProperties(DataSize.ofMegabytes(1), new ScimProperties.RateLimit(200, 400),
                new ScimProperties.RequestLog(DurationStyle.detectAndParse("7d"), 65_536, "0 17 * * * *",
                        DataSize.ofKilobytes(64)));
        meters = new SimpleMeterRegistry();
        log = new RequestLogService(JdbcClient.create(pool), new JdbcTemplate(pool), new JdbcTransactionManager(pool),
                properties, probe, Clock.systemUTC(), meters);
    }

    @AfterEach
    void close() throws Exception {
        if (log != null) {
            log.stop();
        }
        if (probe != null) {
            probe.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void entriesRecordedDuringAnOutageAreWrittenWhenTheDatabaseAnswersAgain() {
        record("before");
        waitUntil(() -> log.buffered() == 0);
        assertThat(count()).isEqualTo(1);

        proxy.cut();
        waitUntil(() -> !probe.isUp());
        for (int i = 0; i < 20; i++) {
            record("during-" + i);
        }
        assertThat(log.buffered()).isEqualTo(20);
        assertThatThrownBy(log::flush).isInstanceOf(RuntimeException.class);
        assertThat(log.buffered()).isEqualTo(20);

        proxy.restore();
        waitUntil(() -> log.buffered() == 0);
        assertThat(count()).isEqualTo(21);
        assertThat(requestIds()).contains("during-0", "during-19");
        assertThat(meters.counter("roster.scim.request_log.dropped").count()).isZero();
    }

    @Test
    void whatWouldOverflowTheBufferDuringAnOutageIsCountedAndReported() {
        proxy.cut();
        waitUntil(() -> !probe.isUp());
        int recorded = 0;
        while (meters.counter("roster.scim.request_log.dropped").count() == 0 && recorded < 10_000) {
            record("flood-" + recorded++);
        }
        int kept = log.buffered();
        assertThat(kept).isPositive().isLessThan(recorded);
        assertThat(meters.counter("roster.scim.request_log.dropped").count()).isEqualTo(1.0);
        assertThat(meters.get("roster.scim.request_log.buffered").gauge().value()).isEqualTo(kept);

        proxy.restore();
        waitUntil(() -> log.buffered() == 0);
        assertThat(count()).isEqualTo(kept);
    }

    @Test
    void valuesTheDatabaseCouldNotHoldAreStoredCleaned() {
        String longQuery = "filter=" + "userName eq \"a\" or ".repeat(300);
        log.record(organization, directory, "odd", Instant.now(), "POST", "/scim/v2/Users", longQuery, 400, 3,
                "{\"userName\":\"nul\u0000here\"", "{}");
        log.flush();
        List<Map<String, Object>> rows = JdbcClient.create(database.dataSource())
                .sql("SELECT query, request_body FROM scim_request_log WHERE request_id = 'odd'").query().listOfRows();
        assertThat(rows).hasSize(1);
        assertThat((String) rows.get(0).get("query")).hasSize(4096).endsWith(LogValues.CUT);
        assertThat((String) rows.get(0).get("request_body")).contains("nul\\u0000here");
    }

    private void record(String requestId) {
        log.record(organization, directory, requestId, Instant.now(), "GET", "/scim/v2/Users", "count=1", 200, 5,
                null, "{\"totalResults\":0,\"padding\":\"" + "p".repeat(100) + "\"}");
    }

    private long count() {
        return JdbcClient.create(database.dataSource()).sql("SELECT COUNT(*) FROM scim_request_log")
                .query(Long.class).single();
    }

    private List<String> requestIds() {
        return JdbcClient.create(database.dataSource()).sql("SELECT request_id FROM scim_request_log")
                .query(String.class).list();
    }

    private static void waitUntil(BooleanSupplier condition) {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within 20 s");
            }
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
    }
}
