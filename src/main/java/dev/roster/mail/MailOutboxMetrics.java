package dev.roster.mail;

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

/**
 * {@code roster.mail.outbox.pending} and {@code roster.mail.outbox.oldest.age}: messages waiting to be sent (not
 * given up, nor held because their organization is deleted) and how long the oldest has waited. Sampled every 15
 * seconds, so a scrape never waits for the database; while it is unreachable the last sample stays.
 */
@Component
class MailOutboxMetrics {

    private static final Logger log = LoggerFactory.getLogger(MailOutboxMetrics.class);

    private final JdbcClient jdbc;
    private final MailSettings settings;
    private final Clock clock;
    private volatile double pending;
    private volatile double oldestAgeSeconds;

    MailOutboxMetrics(JdbcClient jdbc, MailSettings settings, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
        Gauge.builder("roster.mail.outbox.pending", this, m -> m.pending)
                .description("Mail messages waiting to be sent (sampled every 15 s)").register(meters);
        Gauge.builder("roster.mail.outbox.oldest.age", this, m -> m.oldestAgeSeconds).baseUnit("seconds")
                .description("How long the oldest message waiting to be sent has waited").register(meters);
    }

    @Scheduled(initialDelayString = "PT1S", fixedDelayString = "PT15S")
    void sample() {
        try {
            jdbc.sql("SELECT count(*) AS pending, min(created_at) AS oldest FROM mail_outbox "
                            + "WHERE sent_at IS NULL AND attempts < ? AND" + MailDispatcher.NOT_HELD)
                    .param(settings.maxAttempts())
                    .query((rs, row) -> {
                        pending = rs.getLong("pending");
                        Timestamp oldest = rs.getTimestamp("oldest");
                        oldestAgeSeconds = oldest == null ? 0
                                : Math.max(0, Duration.between(oldest.toInstant(), Instant.now(clock)).toMillis() / 1000.0);
                        return null;
                    }).list();
        }
        catch (RuntimeException ex) {
            log.debug("Could not sample the mail outbox (the last sample stays): {}", ex.toString());
        }
    }
}
