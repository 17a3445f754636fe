package dev.roster.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.roster.events.EventPage;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.events.EventStore;
import dev.roster.events.EventsExpiredException;
import dev.roster.events.StoredEvent;
import dev.roster.shared.Actor;
import dev.roster.shared.Ids;

/**
 * Delivers an endpoint's events in order, from its position in the organization's stream. An instance first claims
 * the endpoint (a conditional UPDATE only one instance wins), so one endpoint is served by one instance at a time,
 * and renews the claim each time it records progress. Events are sent one after the other; progress and the
 * attempts are written every {@link #PROGRESS_EVERY} events (and after at most {@link #PROGRESS_INTERVAL}), so an
 * instance that dies re-sends at most those: delivery is at least once. The first event that fails stops the run:
 * it is retried after the back-off, and the events after it wait, so no endpoint ever sees them out of order. After
 * the last retry fails, or when the endpoint answers 410, it is disabled and the organization's admins are told.
 * No transaction is held open while an endpoint is being called.
 */
@Component
class WebhookDispatcher {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    static final int PROGRESS_EVERY = 100;
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(2);

    private final WebhookRepository repository;
    private final WebhookSecrets secrets;
    private final WebhookSender sender;
    private final WebhookOrganizations organizations;
    private final WebhookAlerts alerts;
    private final EventStore events;
    private final WebhookProperties properties;
    private final TransactionTemplate transaction;
    private final AuditLog audit;
    private final Clock clock;

    WebhookDispatcher(WebhookRepository repository, WebhookSecrets secrets, WebhookSender sender,
                      WebhookOrganizations organizations, WebhookAlerts alerts, EventStore events,
                      WebhookProperties properties, TransactionTemplate transaction, AuditLog audit, Clock clock) {
        this.repository = repository;
        this.secrets = secrets;
        this.sender = sender;
        this.organizations = organizations;
        this.alerts = alerts;
        this.events = events;
        this.properties = properties;
        this.transaction = transaction;
        this.audit = audit;
        this.clock = clock;
    }

    /** What one run did. */
    enum Result { CAUGHT_UP, MORE, FAILED, NOT_CLAIMED }

    /** Delivers due events of one endpoint, if this instance can claim it. */
    Result deliver(UUID endpointId) {
        UUID claim = Ids.newId();
        Instant now = clock.instant();
        if (!repository.claim(endpointId, claim, now, now.plus(properties.claimTimeout()))) {
            return Result.NOT_CLAIMED;
        }
        try {
            return run(endpointId, claim);
        }
        finally {
            repository.release(endpointId, claim);
        }
    }

    private Result run(UUID endpointId, UUID claim) {
        WebhookEndpoint endpoint = repository.find(endpointId).orElse(null);
        if (endpoint == null || !endpoint.enabled()) {
            return Result.CAUGHT_UP;
        }
        List<String> keys = secrets.signing(endpointId);
        String slug = organizations.slug(endpoint.organizationId());
        long position = endpoint.streamPosition();
        EventPage page;
        try {
            page = events.read(endpoint.organizationId(), position, endpoint.events(), properties.batchSize());
        }
        catch (EventsExpiredException ex) {
            return skipExpired(endpoint, claim);
        }
        List<WebhookAttempt> delivered = new ArrayList<>();
        Instant lastSaved = clock.instant();
        for (StoredEvent event : page.events()) {
            WebhookSender.Outcome outcome = sender.send(endpoint.url(), event.id().toString(),
                    event.toJson(slug), keys);
            if (!outcome.succeeded()) {
                if (!progress(endpoint, claim, position, delivered)) {
                    return Result.NOT_CLAIMED;
                }
                failed(endpoint, claim, event, outcome);
                return Result.FAILED;
            }
            delivered.add(attempt(endpoint, event, outcome, null));
            position = event.position();
            if (delivered.size() >= PROGRESS_EVERY
                    || Duration.between(lastSaved, clock.instant()).compareTo(PROGRESS_INTERVAL) >= 0) {
                if (!progress(endpoint, claim, position, delivered)) {
                    return Result.NOT_CLAIMED;
                }
                delivered = new ArrayList<>();
                lastSaved = clock.instant();
            }
        }
        // A page that was not full ends at the stream's head: what lies between is not of the endpoint's types.
        boolean full = page.events().size() == properties.batchSize();
        if (!progress(endpoint, claim, full ? position : page.next(), delivered)) {
            return Result.NOT_CLAIMED;
        }
        return full ? Result.MORE : Result.CAUGHT_UP;
    }

    /**
     * The endpoint's position lies before what retention kept (it was disabled, or failing, for longer than
     * {@code roster.events.retention}): the events in between are gone and cannot be delivered. Waiting would hold the
     * endpoint for ever, so it goes on from the oldest event kept, and the gap is written to the audit log, where
     * the admins see which positions the host application never received and when.
     */
    private Result skipExpired(WebhookEndpoint endpoint, UUID claim) {
        long oldestKept = events.head(endpoint.organizationId()).purgedThrough();
        Boolean kept = transaction.execute(status -> {
            audit.record(endpoint.organizationId(), Actor.system("webhooks"), "webhook.events-expired",
                    AuditTarget.of("webhook", endpoint.id(), endpoint.url()),
                    Map.of("position", endpoint.streamPosition()), Map.of("position", oldestKept));
            return repository.advance(endpoint.id(), claim, oldestKept, null,
                    clock.instant().plus(properties.claimTimeout()));
        });
        if (!Boolean.TRUE.equals(kept)) {
            return Result.NOT_CLAIMED;
        }
        log.warn("Webhook endpoint {} of organization {} was behind the events' retention: the events after position "
                + "{} up to {} were deleted before they could be delivered; delivery goes on from there",
                endpoint.id(), endpoint.organizationId(), endpoint.streamPosition(), oldestKept);
        return Result.MORE;
    }

    /** Records delivered attempts and the endpoint's new position, renewing the claim; false if the claim is lost. */
    private boolean progress(WebhookEndpoint endpoint, UUID claim, long position, List<WebhookAttempt> delivered) {
        if (delivered.isEmpty() && position == endpoint.streamPosition()) {
            return true;
        }
        Instant now = clock.instant();
        Boolean kept = transaction.execute(status -> {
            if (!delivered.isEmpty()) {
                repository.insertAttempts(delivered, null);
            }
            return repository.advance(endpoint.id(), claim, position,
                    delivered.isEmpty() ? null : delivered.get(delivered.size() - 1).attemptedAt(),
                    now.plus(properties.claimTimeout()));
        });
        if (!Boolean.TRUE.equals(kept)) {
            log.info("Lost the claim on webhook endpoint {}; another instance goes on", endpoint.id());
            return false;
        }
        return true;
    }

    private void failed(WebhookEndpoint endpoint, UUID claim, StoredEvent event, WebhookSender.Outcome outcome) {
        // Failures since the last success: a new event failing after deliveries starts again at one.
        WebhookEndpoint current = repository.find(endpoint.id()).orElse(endpoint);
        int failures = current.failures() + 1;
        Instant now = clock.instant();
        String disabled = outcome.gone() ? "gone" : failures >= properties.maxAttempts() ? "failing" : null;
        Instant next = disabled != null ? now : now.plus(properties.backoff(failures, ThreadLocalRandom.current()));
        WebhookAttempt attempt = attempt(endpoint, event, outcome, disabled != null ? null : next);
        transaction.executeWithoutResult(status -> {
            repository.insertAttempts(List.of(attempt), null);
            if (repository.failed(endpoint.id(), claim, event.position(), failures, now, next, disabled)
                    && disabled != null) {
                alerts.disabled(endpoint, disabled, failures, describe(outcome));
            }
        });
        if (disabled != null) {
            log.warn("Disabled webhook endpoint {} of organization {} ({}): {}", endpoint.id(),
                    endpoint.organizationId(), disabled, describe(outcome));
        }
        else {
            log.info("Webhook endpoint {} failed event {} (attempt {} of {}), retrying at {}: {}", endpoint.id(),
                    event.id(), failures, properties.maxAttempts(), next, describe(outcome));
        }
    }

    private static WebhookAttempt attempt(WebhookEndpoint endpoint, StoredEvent event, WebhookSender.Outcome outcome,
                                          Instant nextAttempt) {
        return new WebhookAttempt(Ids.newId(), endpoint.id(), endpoint.organizationId(), event.id(), event.type(),
                event.position(), WebhookAttempt.DELIVERY, outcome.at(), outcome.durationMs(), outcome.succeeded(),
                outcome.status(), outcome.body(), outcome.error(), nextAttempt);
    }

    static String describe(WebhookSender.Outcome outcome) {
        if (outcome.status() == null) {
            return outcome.error();
        }
        String body = outcome.body() == null || outcome.body().isBlank() ? ""
                : " " + (outcome.body().length() > 200 ? outcome.body().substring(0, 200) + "…" : outcome.body());
        return "HTTP " + outcome.status() + body;
    }
}
