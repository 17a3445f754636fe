package dev.roster.shared.database;

import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;

/**
 * Which database a JDBC URL names. Roster runs on PostgreSQL in production and on embedded H2 for the demo
 * ({@code ./mvnw spring-boot:run}); the few places that use what only PostgreSQL has (driver timeouts, data-modifying
 * CTEs, the shared rate-limit table, ANALYZE) ask here.
 */
public final class DatabaseUrls {

    private DatabaseUrls() {
    }

    public static boolean postgres(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:");
    }

    /** The configured database (the URL Spring Boot settled on, H2's default included). */
    public static boolean postgres(DataSourceProperties dataSource) {
        return postgres(dataSource.determineUrl());
    }
}
