package dev.roster.webhook;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of webhook delivery (docs/configuration.md).
 *
 * @param timeout        connect and answer timeout of one delivery
 * @param retrySchedule  the waits before each retry of a failing event; after the last retry fails the endpoint is
 *                       disabled (so 1 + its length attempts in all)
 * @param jitter         each wait is varied by up to this share either way, so endpoints that failed together do not
 *                       retry together
 * @param secretOverlap  how long the previous secret still signs after a rotation
 * @param allowHttp      accept plain-HTTP endpoint URLs (local development; deliveries carry people's addresses)
 * @param claimTimeout   how long an instance holds an endpoint it delivers to before another may take it over; it
 *                       renews its claim as it goes
 * @param pollInterval   how often each instance looks for endpoints with due work another instance left
 * @param workers        endpoints one instance delivers to at the same time
 * @param maxEndpoints   endpoints an organization may have
 * @param batchSize      events read at once for an endpoint
 */
@ConfigurationProperties("roster.webhooks")
public record WebhookProperties(@DefaultValue("10s") Duration timeout,
                                @DefaultValue({"5s", "5m", "30m", "2h", "5h", "10h", "10h"}) List<Duration> retrySchedule,
                                @DefaultValue("0.2") double jitter,
                                @DefaultValue("24h") Duration secretOverlap,
                                @DefaultValue("false") boolean allowHttp,
                                @DefaultValue("1m") Duration claimTimeout,
                                @DefaultValue("1s") Duration pollInterval,
                                @DefaultValue("4") int workers,
                                @DefaultValue("20") int maxEndpoints,
                                @DefaultValue("200") int batchSize) {

    public WebhookProperties {
        retrySchedule = List.copyOf(retrySchedule);
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("roster.webhooks.jitter must be at least 0 and below 1");
        }
        if (workers < 1 || batchSize < 1 || maxEndpoints < 1) {
            throw new IllegalArgumentException("roster.webhooks.workers, batch-size and max-endpoints must be positive");
        }
        if (claimTimeout.compareTo(timeout.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("roster.webhooks.claim-timeout must be at least three timeouts");
        }
    }

    /** Attempts of one event before its endpoint is disabled: the first and one per retry. */
    int maxAttempts() {
        return 1 + retrySchedule.size();
    }

    /** The wait after the {@code failures}-th failed attempt (1 or more), varied by the jitter. */
    Duration backoff(int failures, RandomGenerator random) {
        Duration base = retrySchedule.get(Math.min(failures, retrySchedule.size()) - 1);
        double factor = 1 + jitter * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.round(base.toMillis() * factor));
    }
}
