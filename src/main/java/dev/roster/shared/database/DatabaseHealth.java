package dev.roster.shared.database;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code database} health contributor of {@code /actuator/health} and its readiness group: the last answer of
 * the {@link DatabaseProbe}, read without touching the database, so the endpoint answers at once even while the
 * database does not (Spring Boot's own {@code db} indicator, which borrows a pooled connection, is switched off).
 */
@Component("database")
class DatabaseHealth implements HealthIndicator {

    private final DatabaseProbe probe;

    DatabaseHealth(DatabaseProbe probe) {
        this.probe = probe;
    }

    @Override
    public Health health() {
        DatabaseProbe.State state = probe.state();
        Health.Builder health = state.up() ? Health.up() : Health.down().withDetail("error", state.failure());
        return health.withDetail("since", state.since().toString()).build();
    }
}
