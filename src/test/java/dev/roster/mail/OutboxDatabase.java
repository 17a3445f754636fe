package dev.roster.mail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A private, migrated database for tests of the dispatcher outside the shared application context, so that no
 * other dispatcher picks up the messages they put in the outbox: its own schema on {@code ROSTER_TEST_DATABASE_URL}
 * (PostgreSQL), else an in-memory H2.
 */
final class OutboxDatabase implements AutoCloseable {

    private final DataSource dataSource;
    private final Runnable drop;

    private OutboxDatabase(DataSource dataSource, Runnable drop) {
        this.dataSource = dataSource;
        this.drop = drop;
    }

    static OutboxDatabase create() {
        String url = System.getenv("ROSTER_TEST_DATABASE_URL");
        OutboxDatabase database;
        if (url != null && !url.isBlank()) {
            String user = envOr("ROSTER_TEST_DATABASE_USER", "postgres");
            String password = envOr("ROSTER_TEST_DATABASE_PASSWORD", "");
            String schema = "roster_mail_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                    .toLowerCase(Locale.ROOT);
            execute(url, user, password, "CREATE SCHEMA " + schema);
            String separator = url.contains("?") ? "&" : "?";
            DriverManagerDataSource dataSource = new DriverManagerDataSource(
                    url + separator + "currentSchema=" + schema, user, password);
            database = new OutboxDatabase(dataSource,
                    () -> execute(url, user, password, "DROP SCHEMA " + schema + " CASCADE"));
            Flyway.configure().dataSource(dataSource).schemas(schema).defaultSchema(schema).load().migrate();
        }
        else {
            // NON_KEYWORDS=VALUE: V1 has a column named "value", a keyword in H2 2.x.
            DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:outbox-" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;NON_KEYWORDS=VALUE;DB_CLOSE_DELAY=-1", "sa", "");
            database = new OutboxDatabase(dataSource, () -> {
            });
            Flyway.configure().dataSource(dataSource).load().migrate();
        }
        return database;
    }

    DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        drop.run();
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException(sql + " failed: " + ex.getMessage(), ex);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
