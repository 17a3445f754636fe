package dev.roster.shared.database;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The PostgreSQL driver's own timeouts, which are off or long by default: connecting (10 s), logging in (none) and
 * waiting for an answer (none, so a connection whose server vanished without a reset would wait forever). A value
 * already in the JDBC URL or in {@code spring.datasource.hikari.data-source-properties} wins.
 */
final class PostgresTimeouts {

    private PostgresTimeouts() {
    }

    static void apply(HikariDataSource pool, DatabaseSettings settings) {
        String url = pool.getJdbcUrl();
        if (!DatabaseUrls.postgres(url)) {
            return;
        }
        setUnlessGiven(pool, url, "connectTimeout", settings.connectTimeout());
        setUnlessGiven(pool, url, "loginTimeout", settings.connectTimeout());
        setUnlessGiven(pool, url, "socketTimeout", settings.socketTimeout());
    }

    private static void setUnlessGiven(HikariDataSource pool, String url, String name, Duration value) {
        if (url.contains(name + "=") || pool.getDataSourceProperties().containsKey(name)) {
            return;
        }
        pool.addDataSourceProperty(name, Long.toString(Math.max(1, (value.toMillis() + 999) / 1000)));
    }
}
