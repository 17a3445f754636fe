package dev.roster.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A database of a test's own, outside the shared application context: its own schema on
 * {@code ROSTER_TEST_DATABASE_URL} (PostgreSQL), else an in-memory H2. For tests whose data no running Roster may
 * touch (the mail dispatcher's outbox) and for tests of a migration, which migrate up to a version, write rows the way
 * the older schema held them, and migrate the rest.
 */
public final class PrivateDatabase implements AutoCloseable {

    private final DataSource dataSource;
    private final String schema;
    private final Runnable drop;

    private PrivateDatabase(DataSource dataSource, String schema, Runnable drop) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.drop = drop;
    }

    /** A new, empty database; {@code name} goes into the schema's name, to tell leftovers apart. */
    public static PrivateDatabase create(String name) {
        String url = System.getenv("ROSTER_TEST_DATABASE_URL");
        if (url == null || url.isBlank()) {
            // NON_KEYWORDS=VALUE: V1 has a column named "value", a keyword in H2 2.x.
            return new PrivateDatabase(new DriverManagerDataSource("jdbc:h2:mem:" + name + "-" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;NON_KEYWORDS=VALUE;"
                    + "DB_CLOSE_DELAY=-1", "sa", ""), null, () -> {
            });
        }
        String user = envOr("ROSTER_TEST_DATABASE_USER", "postgres");
        String password = envOr("ROSTER_TEST_DATABASE_PASSWORD", "");
        String schema = "roster_" + name + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        execute(url, user, password, "CREATE SCHEMA " + schema);
        String separator = url.contains("?") ? "&" : "?";
        return new PrivateDatabase(new DriverManagerDataSource(url + separator + "currentSchema=" + schema, user,
                password), schema, () -> execute(url, user, password, "DROP SCHEMA " + schema + " CASCADE"));
    }

    /** Applies every migration. */
    public PrivateDatabase migrate() {
        flyway().load().migrate();
        return this;
    }

    /** Applies the migrations up to and including {@code version}. */
    public PrivateDatabase migrateTo(String version) {
        flyway().target(version).load().migrate();
        return this;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The properties that point a Roster at this database (PostgreSQL only). */
    public java.util.Map<String, Object> springProperties() {
        if (schema == null) {
            throw new IllegalStateException("only a PostgreSQL private database can be handed to a Roster");
        }
        DriverManagerDataSource source = (DriverManagerDataSource) dataSource;
        return java.util.Map.of("spring.datasource.url", source.getUrl(), "spring.datasource.username",
                source.getUsername(), "spring.datasource.password", source.getPassword() == null ? ""
                        : source.getPassword(), "spring.flyway.schemas", schema, "spring.flyway.default-schema", schema);
    }

    /** The schema's name, or null on H2. */
    public String schema() {
        return schema;
    }

    @Override
    public void close() {
        drop.run();
    }

    private FluentConfiguration flyway() {
        FluentConfiguration configuration = Flyway.configure().dataSource(dataSource);
        return schema == null ? configuration : configuration.schemas(schema).defaultSchema(schema);
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
