package dev.roster.test;

import java.util.Map;

import org.testcontainers.containers.PostgreSQLContainer;

/** PostgreSQL in a container, for machines with a Docker engine and no ROSTER_TEST_DATABASE_URL. */
final class TestcontainersDatabase {

    private static PostgreSQLContainer<?> container;

    private TestcontainersDatabase() {
    }

    static synchronized Map<String, Object> start() {
        if (container == null) {
            container = new PostgreSQLContainer<>("postgres:16-alpine");
            container.start();
        }
        TestEnvironment.describe("PostgreSQL (Testcontainers) " + container.getJdbcUrl());
        System.out.println("Integration tests use PostgreSQL from Testcontainers: " + container.getJdbcUrl());
        return Map.of("spring.datasource.url", container.getJdbcUrl(),
                "spring.datasource.username", container.getUsername(),
                "spring.datasource.password", container.getPassword());
    }
}
