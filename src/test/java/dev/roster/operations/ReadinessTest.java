package dev.roster.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import dev.roster.RosterApplication;
import dev.roster.test.PrivateDatabase;
import dev.roster.test.TestEnvironment;

/**
 * Readiness is not UP before start-up work is done: a Roster whose bootstrap (organization, admin and API token from
 * ROSTER_BOOTSTRAP_*) is held up by a lock on its organization table already serves HTTP, but readiness says it is
 * not ready and the bootstrap token is not yet known; the moment readiness says UP, the token works. Liveness is UP
 * throughout.
 */
class ReadinessTest {

    private static final String TOKEN = "readiness-test-token-0123456789abcdef0123456789";

    @Test
    void readinessWaitsForTheBootstrapAndThenTheTokenWorks() throws Exception {
        assumeTrue(System.getenv("ROSTER_TEST_DATABASE_URL") != null, "needs PostgreSQL");
        try (PrivateDatabase database = PrivateDatabase.create("ready").migrate();
             Connection lock = database.dataSource().getConnection()) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE " + database.schema() + ".organization IN ACCESS EXCLUSIVE MODE");
            }
            Map<String, Object> properties = new HashMap<>(TestEnvironment.properties());
            properties.putAll(database.springProperties());
            // A small pool: the test database serves every parallel test run.
            properties.put("spring.datasource.hikari.maximum-pool-size", 5);
            properties.put("roster.bootstrap.org", "ready");
            properties.put("roster.bootstrap.admin-email", "admin@ready.test");
            properties.put("roster.bootstrap.api-token", TOKEN);
            CompletableFuture<Integer> port = new CompletableFuture<>();
            CompletableFuture<ConfigurableApplicationContext> started = CompletableFuture.supplyAsync(() ->
                    new SpringApplicationBuilder(RosterApplication.class).profiles("test")
                            .initializers(app -> app.getEnvironment().getPropertySources()
                                    .addFirst(new MapPropertySource("roster-test-ready", properties)))
                            .listeners((ApplicationListener<WebServerInitializedEvent>) event ->
                                    port.complete(event.getWebServer().getPort()))
                            .run("--server.port=0", "--spring.main.banner-mode=off", "--spring.jmx.enabled=false"));
            ConfigurableApplicationContext context = null;
            try {
                Http http = new Http("http://localhost:" + port.get(120, TimeUnit.SECONDS));

                // The web server answers a moment before the context has started and the liveness state is set
                // (on a loaded machine, seconds): live means started, and the bootstrap still waits on the lock.
                Instant live = Instant.now().plus(Duration.ofSeconds(60));
                Http.Answer liveness = http.get(null, "/actuator/health/liveness");
                while (liveness.status() != 200 && Instant.now().isBefore(live)) {
                    Thread.sleep(50);
                    liveness = http.get(null, "/actuator/health/liveness");
                }
                assertThat(liveness.status()).as(liveness.toString()).isEqualTo(200);
                Http.Answer readiness = http.get(null, "/actuator/health/readiness");
                assertThat(readiness.status()).as(readiness.toString()).isEqualTo(503);
                assertThat(http.get(null, "/actuator/health").status()).isEqualTo(503);
                assertThat(http.get(TOKEN, "/api/v1/me").status()).isEqualTo(401);
                assertThat(started).isNotDone();

                lock.rollback();
                Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
                while (readiness.status() != 200 && Instant.now().isBefore(deadline)) {
                    Thread.sleep(50);
                    readiness = http.get(null, "/actuator/health/readiness");
                }
                assertThat(readiness.status()).as(readiness.toString()).isEqualTo(200);
                assertThat(http.get(TOKEN, "/api/v1/me").status()).isEqualTo(200);
                context = started.get(60, TimeUnit.SECONDS);
            }
            finally {
                lock.rollback();
                (context != null ? context : started.get(60, TimeUnit.SECONDS)).close();
            }
        }
    }
}
