package dev.roster.webhook;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.roster.events.EventJoins;
import dev.roster.organization.OrganizationJoins;

/**
 * {@code roster.webhook.backlog.events} (events of their organizations' streams that enabled endpoints have not been
 * given yet, summed over the endpoints) and {@code roster.webhook.backlog.oldest.age} (how long ago the oldest of
 * those happened). Sampled every 15 seconds, so a scrape never waits for the database; while it is unreachable the
 * last sample stays.
 */
@Component
class WebhookBacklogMetrics {

    private static final Logger log = LoggerFactory.getLogger(WebhookBacklogMetrics.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private volatile double events;
    private volatile double oldestAgeSeconds;

    WebhookBacklogMetrics(JdbcClient jdbc, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        Gauge.builder("roster.webhook.backlog.events", this, m -> m.events)
                .description("Events enabled webhook endpoints have not been given yet (sampled every 15 s)")
                .register(meters);
        Gauge.builder("roster.webhook.backlog.oldest.age", this, m -> m.oldestAgeSeconds).baseUnit("seconds")
                .description("How long ago the oldest event not yet given to its endpoint happened").register(meters);
    }

    @Scheduled(initialDelayString = "PT1S", fixedDelayString = "PT15S")
    void sample() {
        try {
            events = jdbc.sql("""
                    SELECT coalesce(sum(s.last_position - w.stream_position), 0) FROM webhook_endpoint w
                    """ + EventJoins.joinStream("s", "w.organization_id")
                    + OrganizationJoins.joinLive("o", "w.organization_id") + """
                    WHERE w.enabled AND s.last_position > w.stream_position""")
                    .query(Long.class).single();
            java.util.List<Timestamp> oldest = jdbc.sql("""
                    SELECT min(e.occurred_at) FROM webhook_endpoint w
                    """ + EventJoins.joinEventAt("e", "w.organization_id", "w.stream_position + 1")
                    + OrganizationJoins.joinLive("o", "w.organization_id") + """
                    WHERE w.enabled""")
                    .query((rs, row) -> rs.getTimestamp(1)).list();
            oldestAgeSeconds = oldest.isEmpty() || oldest.get(0) == null ? 0 : Math.max(0,
                    Duration.between(oldest.get(0).toInstant(), Instant.now(clock)).toMillis() / 1000.0);
        }
        catch (RuntimeException ex) {
            log.debug("Could not sample the webhook backlog (the last sample stays): {}", ex.toString());
        }
    }
}
