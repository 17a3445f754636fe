package dev.roster.shared.database;

import java.time.Clock;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Puts the {@link FailFastDataSource} in front of the connection pool and gives PostgreSQL connections the timeouts
 * of {@link DatabaseSettings}, so no request waits longer for the database than docs/operations.md says.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    @Bean(destroyMethod = "close")
    DatabaseProbe databaseProbe(DataSourceProperties dataSource, DatabaseSettings settings, Clock clock) {
        DatabaseProbe probe = new DatabaseProbe(dataSource.determineUrl(), dataSource.determineUsername(),
                dataSource.determinePassword(), settings, clock);
        probe.start();
        return probe;
    }

    /**
     * Migrations on connections of their own, outside the pool: without the statement timeout and the socket timeout
     * the pool's connections have, so that a migration may take as long as a large table needs (decision 0025). An
     * operator who gave Flyway a URL or user of its own ({@code spring.flyway.url}, {@code spring.flyway.user}) already
     * has such connections, from Spring Boot, and keeps them.
     */
    @Bean
    FlywayConfigurationCustomizer migrationsWithoutStatementTimeout(DataSourceProperties dataSource,
                                                                  Environment environment) {
        boolean ownConnectionsGiven = environment.containsProperty("spring.flyway.url")
                || environment.containsProperty("spring.flyway.user");
        return configuration -> {
            if (DatabaseUrls.postgres(dataSource) && !ownConnectionsGiven) {
                configuration.dataSource(dataSource.determineUrl(), dataSource.determineUsername(),
                        dataSource.determinePassword());
            }
        };
    }

    /** The application serves: the fast 503s apply (see {@link FailFastDataSource#serving()}). */
    @Bean
    static ApplicationListener<ApplicationReadyEvent> failFastWhenServing() {
        return ready -> ready.getApplicationContext().getBeansOfType(DataSource.class, false, false).values().stream()
                .filter(FailFastDataSource.class::isInstance).map(FailFastDataSource.class::cast)
                .forEach(FailFastDataSource::serving);
    }

    @Bean
    static BeanPostProcessor failFastDataSource(ObjectProvider<DatabaseProbe> probe, Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (!(bean instanceof DataSource pool) || bean instanceof FailFastDataSource) {
                    return bean;
                }
                if (pool instanceof HikariDataSource hikari) {
                    DatabaseSettings settings = Binder.get(environment)
                            .bindOrCreate("roster.database", DatabaseSettings.class);
                    PostgresTimeouts.apply(hikari, settings);
                }
                return new FailFastDataSource(pool, probe.getObject());
            }
        };
    }
}
