package dev.roster.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.events.EventStore;
import dev.roster.events.EventType;
import dev.roster.events.EventTypes;
import dev.roster.events.Events;
import dev.roster.events.StoredEvent;
import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.OutboundAddresses;

/**
 * An organization's webhook endpoints, for its admins: create (the secret is shown once), change, enable or disable,
 * delete, rotate the secret (the previous one still signs for {@code roster.webhooks.secret-overlap}), send a test
 * event, list attempts and retry one. Changes are audited.
 */
@Service
@Transactional
public class WebhookService {

    static final int MAX_URL = 2000;
    static final int MAX_DESCRIPTION = 500;

    private final WebhookRepository repository;
    private final WebhookSecrets secrets;
    private final WebhookSender sender;
    private final WebhookOrganizations organizations;
    private final WebhookDelivery delivery;
    private final EventStore events;
    private final OutboundAddresses addresses;
    private final WebhookProperties properties;
    private final AuditLog audit;
    private final Clock clock;

    WebhookService(WebhookRepository repository, WebhookSecrets secrets, WebhookSender sender,
                   WebhookOrganizations organizations, WebhookDelivery delivery, EventStore events,
                   OutboundAddresses addresses, WebhookProperties properties, AuditLog audit, Clock clock) {
        this.repository = repository;
        this.secrets = secrets;
        this.sender = sender;
        this.organizations = organizations;
        this.delivery = delivery;
        this.events = events;
        this.addresses = addresses;
        this.properties = properties;
        this.audit = audit;
        this.clock = clock;
    }

    /** A new endpoint and its secret, which is shown this once. */
    public record Created(WebhookEndpoint endpoint, String secret) {
    }

    /** A new secret (shown this once), and until when the previous one still signs. */
    public record Rotated(WebhookEndpoint endpoint, String secret, Instant previousSecretUntil) {
    }

    /** A change to an endpoint; null fields stay as they are, an empty description clears it. */
    public record Change(String url, List<String> events, Boolean enabled, String description) {
    }

    /** How far behind its organization's stream an endpoint is: positions not yet passed to it. */
    public record Backlog(long streamHead, long behind) {
    }

    public Created create(UUID organizationId, String url, List<String> eventTypes, String description, Actor actor) {
        String checkedUrl = checkUrl(url);
        EventTypes types = requireTypes(eventTypes);
        if (repository.count(organizationId) >= properties.maxEndpoints()) {
            throw new ConflictException("too-many-webhooks", "An organization has at most " + properties.maxEndpoints()
                    + " webhook endpoints. Delete one first.");
        }
        Instant now = clock.instant();
        // From now on: the endpoint receives events committed after it exists, not the organization's history.
        long start = events.committedHead(organizationId);
        WebhookEndpoint endpoint = new WebhookEndpoint(Ids.newId(), organizationId, checkedUrl,
                checkDescription(description), types, true, null, start, null, 0, now, null, null, null, now, now);
        String secret = WebhookSigner.newSecret();
        repository.insert(endpoint, secrets.encrypt(secret));
        audit.record(organizationId, actor, "webhook.created", target(endpoint), null, state(endpoint));
        return new Created(endpoint, secret);
    }

    @Transactional(readOnly = true)
    public List<WebhookEndpoint> list(UUID organizationId) {
        return repository.list(organizationId);
    }

    @Transactional(readOnly = true)
    public WebhookEndpoint get(UUID organizationId, UUID id) {
        return repository.find(organizationId, id).orElseThrow(() -> new NotFoundException("Webhook not found."));
    }

    @Transactional(readOnly = true)
    public Backlog backlog(WebhookEndpoint endpoint) {
        long head = events.head(endpoint.organizationId()).last();
        return new Backlog(head, Math.max(0, head - endpoint.streamPosition()));
    }

    public WebhookEndpoint update(UUID organizationId, UUID id, Change change, Actor actor) {
        WebhookEndpoint before = get(organizationId, id);
        String url = change.url() == null ? before.url() : checkUrl(change.url());
        EventTypes types = change.events() == null ? before.events() : requireTypes(change.events());
        String description = change.description() == null ? before.description()
                : checkDescription(change.description());
        Instant now = clock.instant();
        repository.update(organizationId, id, url, description, types, now);
        if (Boolean.TRUE.equals(change.enabled()) && !before.enabled()) {
            repository.enable(organizationId, id, now);
        }
        else if (Boolean.FALSE.equals(change.enabled()) && before.enabled()) {
            repository.disableByAdmin(organizationId, id, now);
        }
        WebhookEndpoint after = get(organizationId, id);
        audit.record(organizationId, actor, "webhook.updated", target(after), state(before), state(after));
        if (after.enabled()) {
            delivery.wakeAfterCommit(id);
        }
        return after;
    }

    public void delete(UUID organizationId, UUID id, Actor actor) {
        WebhookEndpoint endpoint = get(organizationId, id);
        repository.delete(organizationId, id);
        audit.record(organizationId, actor, "webhook.deleted", target(endpoint), state(endpoint), null);
    }

    public Rotated rotate(UUID organizationId, UUID id, Actor actor) {
        WebhookEndpoint endpoint = get(organizationId, id);
        Instant now = clock.instant();
        Instant until = now.plus(properties.secretOverlap());
        String secret = WebhookSigner.newSecret();
        repository.rotate(organizationId, id, secrets.encrypt(secret), repository.secrets(id).current(), until, now);
        audit.record(organizationId, actor, "webhook.secret-rotated", target(endpoint), null,
                Map.of("previousSecretSignsUntil", until.toString()));
        return new Rotated(get(organizationId, id), secret, until);
    }

    /** Sends a {@code webhook.test} event now, outside the stream, and answers the attempt. */
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public WebhookAttempt test(UUID organizationId, UUID id, Actor actor) {
        WebhookEndpoint endpoint = get(organizationId, id);
        UUID eventId = Ids.newId();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("endpoint", Map.of("id", endpoint.id().toString(), "url", endpoint.url()));
        data.put("message", "A test event from Roster. It is not part of the organization's events.");
        String payload = StoredEvent.render(eventId.toString(), EventType.WEBHOOK_TEST.wireName(),
                organizations.slug(organizationId), clock.instant(), json(Events.actorView(actor)), json(data), null);
        return sendOnce(endpoint, eventId, EventType.WEBHOOK_TEST.wireName(), null, payload, WebhookAttempt.TEST);
    }

    /**
     * Sends the event of an earlier attempt again, now. When it is the event that holds the endpoint and it is
     * delivered, the endpoint goes on with the events after it.
     */
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    public WebhookAttempt retry(UUID organizationId, UUID id, UUID attemptId, Actor actor) {
        WebhookEndpoint endpoint = get(organizationId, id);
        WebhookAttempt earlier = repository.attempt(organizationId, id, attemptId)
                .orElseThrow(() -> new NotFoundException("Delivery not found."));
        String payload;
        if (earlier.position() == null) {
            payload = repository.testPayload(attemptId).orElseThrow(() -> new NotFoundException("Delivery not found."));
        }
        else {
            StoredEvent event = events.find(organizationId, earlier.position()).orElseThrow(() -> new ConflictException(
                    "event-expired", "This event is older than the retention period and no longer kept."));
            payload = event.toJson(organizations.slug(organizationId));
        }
        WebhookAttempt attempt = sendOnce(endpoint, earlier.eventId(), earlier.eventType(), earlier.position(),
                payload, WebhookAttempt.RETRY);
        if (attempt.succeeded() && earlier.position() != null
                && repository.releaseHeldEvent(id, earlier.position(), clock.instant())) {
            delivery.wake(id);
        }
        return attempt;
    }

    @Transactional(readOnly = true)
    public List<WebhookAttempt> attempts(UUID organizationId, UUID id, UUID before, int limit) {
        get(organizationId, id);
        return repository.attempts(organizationId, id, before, limit);
    }

    /** The JSON each attempt sent (while its event is kept), by attempt id: one read for a page of attempts. */
    @Transactional(readOnly = true)
    public Map<UUID, String> payloads(UUID organizationId, List<WebhookAttempt> attempts) {
        Map<UUID, String> payloads = new java.util.HashMap<>();
        Map<Long, StoredEvent> stored = events.find(organizationId, attempts.stream()
                .map(WebhookAttempt::position).filter(java.util.Objects::nonNull).distinct().toList());
        String slug = organizations.slug(organizationId);
        for (WebhookAttempt attempt : attempts) {
            if (attempt.position() == null) {
                repository.testPayload(attempt.id()).ifPresent(p -> payloads.put(attempt.id(), p));
            }
            else if (stored.containsKey(attempt.position())) {
                payloads.put(attempt.id(), stored.get(attempt.position()).toJson(slug));
            }
        }
        return payloads;
    }

    /** The JSON an attempt sent (while the event is kept). */
    @Transactional(readOnly = true)
    public Optional<String> payload(UUID organizationId, WebhookAttempt attempt) {
        if (attempt.position() == null) {
            return repository.testPayload(attempt.id());
        }
        return events.find(organizationId, attempt.position()).map(e -> e.toJson(organizations.slug(organizationId)));
    }

    private WebhookAttempt sendOnce(WebhookEndpoint endpoint, UUID eventId, String eventType, Long position,
                                    String payload, String trigger) {
        WebhookSender.Outcome outcome = sender.send(endpoint.url(), eventId.toString(), payload,
                secrets.signing(endpoint.id()));
        WebhookAttempt attempt = new WebhookAttempt(Ids.newId(), endpoint.id(), endpoint.organizationId(), eventId,
                eventType, position, trigger, outcome.at(), outcome.durationMs(), outcome.succeeded(),
                outcome.status(), outcome.body(), outcome.error(), null);
        repository.insertAttempts(List.of(attempt), position == null ? java.util.Collections.singletonList(payload)
                : null);
        return attempt;
    }

    private String checkUrl(String url) {
        if (url == null || url.isBlank()) {
            throw InvalidRequestException.field("url", "A webhook needs a URL.");
        }
        String trimmed = url.trim();
        if (trimmed.length() > MAX_URL) {
            throw InvalidRequestException.field("url", "A URL has at most " + MAX_URL + " characters.");
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        }
        catch (URISyntaxException ex) {
            throw InvalidRequestException.field("url", "Not a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(properties.allowHttp() && scheme.equals("http"))) {
            throw InvalidRequestException.field("url", "The URL must use HTTPS.");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw InvalidRequestException.field("url", "The URL needs a host, and no user info or fragment.");
        }
        try {
            addresses.check(uri);
        }
        catch (OutboundAddresses.RefusedException ex) {
            throw InvalidRequestException.field("url", ex.getMessage());
        }
        return trimmed;
    }

    private static EventTypes requireTypes(List<String> eventTypes) {
        if (eventTypes == null || eventTypes.stream().allMatch(t -> t == null || t.isBlank())) {
            throw InvalidRequestException.field("events", "Name the events to send, such as [\"member.*\"] or [\"*\"].");
        }
        return EventTypes.parse(eventTypes, "events");
    }

    private static String checkDescription(String description) {
        if (description == null || description.isBlank()) {
            return null;
        }
        if (description.length() > MAX_DESCRIPTION) {
            throw InvalidRequestException.field("description", "A description has at most " + MAX_DESCRIPTION
                    + " characters.");
        }
        return description.trim();
    }

    private String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        }
        catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static AuditTarget target(WebhookEndpoint endpoint) {
        return AuditTarget.of("webhook", endpoint.id(), endpoint.url());
    }

    private static Map<String, Object> state(WebhookEndpoint endpoint) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("url", endpoint.url());
        state.put("events", endpoint.events().patterns());
        state.put("enabled", endpoint.enabled());
        if (endpoint.description() != null) {
            state.put("description", endpoint.description());
        }
        return state;
    }
}
