package dev.roster.webhook;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.roster.events.EventsProperties;

/** Deletes delivery attempts older than the events' retention: past it, their events are gone too. */
@Component
class WebhookAttemptRetention {

    private static final Logger log = LoggerFactory.getLogger(WebhookAttemptRetention.class);

    private final WebhookRepository repository;
    private final EventsProperties events;
    private final Clock clock;

    WebhookAttemptRetention(WebhookRepository repository, EventsProperties events, Clock clock) {
        this.repository = repository;
        this.events = events;
        this.clock = clock;
    }

    @Scheduled(cron = "${roster.events.purge-cron:0 23 * * * *}")
    void scheduled() {
        try {
            purge();
        }
        catch (RuntimeException ex) {
            log.warn("Could not delete old webhook attempts; the next run tries again: {}", ex.toString());
        }
    }

    int purge() {
        return repository.purgeAttempts(clock.instant().minus(events.retention()));
    }
}
