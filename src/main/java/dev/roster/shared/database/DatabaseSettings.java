package dev.roster.shared.database;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How Roster notices and answers a database it cannot reach (docs/configuration.md, docs/operations.md). The pool's
 * own timeouts are Spring's {@code spring.datasource.hikari.connection-timeout} (2 s) and {@code validation-timeout}
 * (1 s).
 *
 * @param probeInterval  how often the database is asked {@code SELECT 1} over a connection of the probe's own
 * @param probeTimeout   how long one probe may take before the database counts as unreachable
 * @param connectTimeout PostgreSQL only: the longest a new connection may take to open and log in
 * @param socketTimeout  PostgreSQL only: the longest the driver waits for any answer; a backstop for a network that
 *                       drops packets silently, above the statement timeout so that fires first
 * @param statementTimeout PostgreSQL only: the longest one of Roster's statements may run before the server cancels
 *                       it (its {@code statement_timeout}); migrations have none
 * @param retryAfter     the Retry-After of a 503 answered while the database is unreachable
 */
@ConfigurationProperties("roster.database")
public record DatabaseSettings(@DefaultValue("500ms") Duration probeInterval,
                               @DefaultValue("500ms") Duration probeTimeout,
                               @DefaultValue("2s") Duration connectTimeout,
                               @DefaultValue("45s") Duration socketTimeout,
                               @DefaultValue("30s") Duration statementTimeout,
                               @DefaultValue("5s") Duration retryAfter) {

    /** The documented defaults, for code and tests that build settings by hand. */
    public static DatabaseSettings defaults() {
        return new DatabaseSettings(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(2),
                Duration.ofSeconds(45), Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    public long retryAfterSeconds() {
        return Math.max(1, retryAfter.toSeconds());
    }
}
