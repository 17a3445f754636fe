package dev.roster.webhook;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.roster.events.EventStore;
import dev.roster.events.EventsAppended;
import dev.roster.webhook.WebhookDispatcher.Result;

/**
 * When this instance delivers: as soon as the sequencer has given positions to events of an organization with
 * endpoints, and on a regular poll that finds retries that are due and work another instance left. An endpoint is
 * served by one of this instance's workers at a time; a wake-up for an endpoint being served makes it run again
 * {@link #GATHER} after it is done, so nothing that arrives meanwhile waits for the poll, and a busy endpoint gets
 * its events in batches.
 */
@Component
class WebhookDelivery implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);
    private static final int POLL_LIMIT = 100;
    /** How long a busy endpoint's next run waits for more events to gather (see {@link #serve}). */
    static final Duration GATHER = Duration.ofMillis(100);

    private final WebhookDispatcher dispatcher;
    private final WebhookRepository repository;
    private final EventStore events;
    private final Clock clock;
    private final ExecutorService workers;
    private final ScheduledExecutorService gathering;
    /** Endpoints being served here, and whether they were woken while served. */
    private final Map<UUID, Boolean> serving = new ConcurrentHashMap<>();

    WebhookDelivery(WebhookDispatcher dispatcher, WebhookRepository repository, EventStore events,
                    WebhookProperties properties, Clock clock) {
        this.dispatcher = dispatcher;
        this.repository = repository;
        this.events = events;
        this.clock = clock;
        this.workers = Executors.newFixedThreadPool(properties.workers(), new CustomizableThreadFactory("webhooks-"));
        this.gathering = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("webhooks-gather-"));
    }

    @EventListener
    void appended(EventsAppended appended) {
        try {
            repository.enabledIn(appended.organizationIds()).forEach(this::wake);
        }
        catch (RuntimeException ex) {
            log.warn("Could not look for webhook endpoints to wake; the poll will: {}", ex.toString());
        }
    }

    @Scheduled(fixedDelayString = "${roster.webhooks.poll-interval:PT1S}",
            initialDelayString = "${roster.webhooks.poll-interval:PT1S}")
    void poll() {
        try {
            var due = repository.due(clock.instant(), POLL_LIMIT);
            if (due.isEmpty()) {
                return;
            }
            Map<UUID, Long> heads = events.heads(due.stream().map(WebhookEndpoint::organizationId)
                    .collect(java.util.stream.Collectors.toSet()));
            due.stream().filter(e -> heads.getOrDefault(e.organizationId(), 0L) > e.streamPosition())
                    .forEach(e -> wake(e.id()));
        }
        catch (RuntimeException ex) {
            log.warn("Could not look for due webhook deliveries; the next poll tries again: {}", ex.toString());
        }
    }

    /** Serves the endpoint soon, on a worker of this instance. */
    void wake(UUID endpointId) {
        if (serving.putIfAbsent(endpointId, Boolean.FALSE) != null) {
            serving.put(endpointId, Boolean.TRUE);
            return;
        }
        workers.execute(() -> serve(endpointId));
    }

    /** {@link #wake} once the current transaction commits (straight away outside one). */
    void wakeAfterCommit(UUID endpointId) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            wake(endpointId);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                wake(endpointId);
            }
        });
    }

    private void serve(UUID endpointId) {
        while (true) {
            serving.put(endpointId, Boolean.FALSE);
            Result result;
            try {
                result = dispatcher.deliver(endpointId);
            }
            catch (RuntimeException ex) {
                log.warn("Webhook delivery to endpoint {} stopped; the poll tries again: {}", endpointId, ex.toString());
                result = Result.FAILED;
            }
            if (result == Result.MORE) {
                continue;
            }
            if (result != Result.CAUGHT_UP || serving.remove(endpointId, Boolean.FALSE)) {
                // Done; a failing endpoint waits for its back-off, one served elsewhere is the other instance's.
                serving.remove(endpointId);
                return;
            }
            // Woken while delivering: events keep coming (a SCIM cycle commits hundreds a second). Gather them for
            // a moment, so the next run sends a batch instead of one or two events: each run costs a claim, the
            // endpoint's reads and a release, several times the cost of the events' own rows.
            gathering.schedule(() -> workers.execute(() -> serve(endpointId)), GATHER.toMillis(),
                    TimeUnit.MILLISECONDS);
            return;
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        gathering.shutdownNow();
        workers.shutdownNow();
        workers.awaitTermination(15, TimeUnit.SECONDS);
    }
}
