package dev.roster.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Chooses the database for integration tests, once per JVM, and starts the SMTP server.
 * <ol>
 * <li>{@code ROSTER_TEST_DATABASE_URL} (a PostgreSQL JDBC URL; CI points it at the local server): each test run
 * gets a fresh schema there, dropped when the JVM ends, so runs never see each other's data.</li>
 * <li>Otherwise Testcontainers PostgreSQL where a Docker engine answers.</li>
 * <li>Otherwise embedded H2 in PostgreSQL mode, and the output says so loudly: the run then proves nothing about
 * PostgreSQL.</li>
 * </ol>
 */
public class TestEnvironment implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static Map<String, Object> properties;
    private static GreenMail greenMail;
    private static WireMockServer wireMock;
    private static String databaseDescription;

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("roster-test", properties()));
    }

    /**
     * For a test that must start its own application context which seeds fixed data (the demo profile's
     * organization, say): the same servers, but a database of its own, so the shared context never sees that data.
     */
    public static class OwnDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            Map<String, Object> props = new HashMap<>(properties());
            props.putAll(freshDatabase());
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("roster-test-own-db", props));
        }
    }

    private static synchronized Map<String, Object> freshDatabase() {
        String description = databaseDescription();
        Map<String, Object> shared = properties();
        String url = System.getenv("ROSTER_TEST_DATABASE_URL");
        Map<String, Object> fresh;
        if (url != null && !url.isBlank()) {
            fresh = postgresSchema(url.trim());
        }
        else if (description.startsWith("PostgreSQL (Testcontainers)")) {
            fresh = postgresSchema((String) shared.get("spring.datasource.url"),
                    (String) shared.get("spring.datasource.username"), (String) shared.get("spring.datasource.password"));
        }
        else {
            fresh = h2();
        }
        databaseDescription = description;
        return fresh;
    }

    public static synchronized GreenMail greenMail() {
        properties();
        return greenMail;
    }

    /**
     * An HTTPS server standing in for the identity providers' APIs (Microsoft Graph and its token endpoint, Okta),
     * shared by the tests; each test stubs paths unique to its data. Its certificate is trusted through
     * {@code roster.sso.outbound.trust-store} in application-test.yml.
     */
    public static synchronized WireMockServer wireMock() {
        properties();
        return wireMock;
    }

    public static synchronized String databaseDescription() {
        properties();
        return databaseDescription;
    }

    /** The properties a second, independent application context needs to share this run's database. */
    public static synchronized Map<String, Object> properties() {
        if (properties == null) {
            Map<String, Object> props = new HashMap<>(database());
            greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
            greenMail.start();
            props.put("spring.mail.host", "127.0.0.1");
            props.put("spring.mail.port", greenMail.getSmtp().getPort());
            wireMock = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").port(0)
                    .httpsPort(0).keystorePath(TestEnvironment.class.getResource("/tls/wiremock-test-only.p12")
                            .toExternalForm())
                    .keystoreType("PKCS12").keystorePassword("test-only").keyManagerPassword("test-only"));
            wireMock.start();
            String https = "https://localhost:" + wireMock.httpsPort();
            props.put("roster.sso.graph.base-url", https + "/graph/v1.0");
            props.put("roster.sso.graph.authority-host", https + "/");
            Runtime.getRuntime().addShutdownHook(new Thread(wireMock::stop));
            properties = Map.copyOf(props);
            Runtime.getRuntime().addShutdownHook(new Thread(greenMail::stop));
        }
        return properties;
    }

    private static Map<String, Object> database() {
        String url = System.getenv("ROSTER_TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            return postgresSchema(url.trim());
        }
        if (dockerAvailable()) {
            return TestcontainersDatabase.start();
        }
        if (System.getenv("CI") != null && !System.getenv("CI").isBlank()) {
            // A CI run on H2 would be green while proving nothing about PostgreSQL, the database Roster promises.
            throw new IllegalStateException("CI is set but neither ROSTER_TEST_DATABASE_URL nor a Docker engine is "
                    + "available: integration tests must not fall back to H2 in CI");
        }
        databaseDescription = "H2 (in memory)";
        System.err.println("""

                ************************************************************************************
                *  Integration tests are running on embedded H2, NOT PostgreSQL: no Docker engine   *
                *  and no ROSTER_TEST_DATABASE_URL. Set ROSTER_TEST_DATABASE_URL (see README) to    *
                *  prove PostgreSQL, as CI does.                                                    *
                ************************************************************************************
                """);
        return h2();
    }

    private static Map<String, Object> h2() {
        return Map.of("spring.datasource.url", "jdbc:h2:mem:roster-test-" + UUID.randomUUID()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "spring.datasource.username", "sa", "spring.datasource.password", "");
    }

    private static Map<String, Object> postgresSchema(String url) {
        return postgresSchema(url, envOr("ROSTER_TEST_DATABASE_USER", "postgres"),
                envOr("ROSTER_TEST_DATABASE_PASSWORD", ""));
    }

    private static Map<String, Object> postgresSchema(String url, String user, String password) {
        String schema = "roster_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        execute(url, user, password, "CREATE SCHEMA " + schema);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                execute(url, user, password, "DROP SCHEMA " + schema + " CASCADE");
            }
            catch (RuntimeException ignored) {
                // The database may already be gone at shutdown; a leftover schema is harmless.
            }
        }));
        databaseDescription = "PostgreSQL " + url + " (schema " + schema + ")";
        System.out.println("Integration tests use " + databaseDescription);
        String separator = url.contains("?") ? "&" : "?";
        return Map.of("spring.datasource.url", url + separator + "currentSchema=" + schema,
                "spring.datasource.username", user, "spring.datasource.password", password,
                "spring.flyway.schemas", schema, "spring.flyway.default-schema", schema);
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("cannot prepare the test database at " + url + ": " + ex.getMessage(), ex);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        }
        catch (Throwable ex) {
            return false;
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    static void describe(String description) {
        databaseDescription = description;
    }
}
