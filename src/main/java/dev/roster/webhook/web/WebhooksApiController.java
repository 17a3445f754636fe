package dev.roster.webhook.web;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.OrgContext;
import dev.roster.webhook.WebhookAttempt;
import dev.roster.webhook.WebhookEndpoint;
import dev.roster.webhook.WebhookService;

/**
 * Webhook endpoints, for admins: create (the secret is in this answer only), list, read, change, delete, rotate the
 * secret, send a test event, list delivery attempts and retry one (docs/events.md).
 */
@RestController
@RequestMapping("/api/v1/orgs/{slug}/webhooks")
class WebhooksApiController {

    static final int DEFAULT_ATTEMPTS = 50;
    static final int MAX_ATTEMPTS = 200;

    private final WebhookService webhooks;

    WebhooksApiController(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    record NewEndpoint(String url, List<String> events, String description) {
    }

    /** Absent fields stay as they are; an empty description clears it. */
    record EndpointChange(String url, List<String> events, Boolean enabled, String description) {
    }

    /**
     * How delivery stands: the last success and failure, failed attempts in a row, when the held event is tried
     * again, and how many positions of the organization's stream the endpoint has not been passed yet.
     */
    record Health(Instant lastSuccessAt, Instant lastFailureAt, int failuresInARow, Instant nextAttemptAt,
                  long eventsBehind) {
    }

    record EndpointView(UUID id, String url, String description, List<String> events, boolean enabled,
                        String disabledReason, Health health, Instant previousSecretSignsUntil, Instant createdAt,
                        Instant updatedAt, String secret) {
    }

    record SecretView(String secret, Instant previousSecretSignsUntil) {
    }

    record AttemptView(UUID id, UUID eventId, String eventType, String trigger, Instant attemptedAt, int durationMs,
                       String status, Integer responseStatus, String response, String error, Instant nextAttemptAt) {

        static AttemptView of(WebhookAttempt a) {
            return new AttemptView(a.id(), a.eventId(), a.eventType(), a.trigger(), a.attemptedAt(), a.durationMs(),
                    a.succeeded() ? "succeeded" : "failed", a.responseStatus(), a.responseBody(), a.error(),
                    a.nextAttemptAt());
        }
    }

    record AttemptsPage(List<AttemptView> data, String next) {
    }

    @PostMapping
    ResponseEntity<EndpointView> create(OrgContext org, @RequestBody NewEndpoint body) {
        WebhookService.Created created = webhooks.create(org.organizationId(), body.url(), body.events(),
                body.description(), org.actor());
        return ResponseEntity.created(URI.create("/api/v1/orgs/" + org.slug() + "/webhooks/" + created.endpoint().id()))
                .body(view(created.endpoint(), created.secret()));
    }

    @GetMapping
    List<EndpointView> list(OrgContext org) {
        return webhooks.list(org.organizationId()).stream().map(e -> view(e, null)).toList();
    }

    @GetMapping("/{id}")
    EndpointView get(OrgContext org, @PathVariable UUID id) {
        return view(webhooks.get(org.organizationId(), id), null);
    }

    @PatchMapping("/{id}")
    EndpointView update(OrgContext org, @PathVariable UUID id, @RequestBody EndpointChange change) {
        return view(webhooks.update(org.organizationId(), id, new WebhookService.Change(change.url(), change.events(),
                change.enabled(), change.description()), org.actor()), null);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(OrgContext org, @PathVariable UUID id) {
        webhooks.delete(org.organizationId(), id, org.actor());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/rotate-secret")
    SecretView rotate(OrgContext org, @PathVariable UUID id) {
        WebhookService.Rotated rotated = webhooks.rotate(org.organizationId(), id, org.actor());
        return new SecretView(rotated.secret(), rotated.previousSecretUntil());
    }

    /** Sends a {@code webhook.test} event now and answers what the endpoint said. */
    @PostMapping("/{id}/test")
    AttemptView test(OrgContext org, @PathVariable UUID id) {
        return AttemptView.of(webhooks.test(org.organizationId(), id, org.actor()));
    }

    /** Attempts, newest first; {@code before} (an attempt id, {@code next} of the page before) continues the list. */
    @GetMapping("/{id}/deliveries")
    AttemptsPage deliveries(OrgContext org, @PathVariable UUID id, @RequestParam(required = false) UUID before,
                            @RequestParam(required = false) Integer limit) {
        int size = limit == null ? DEFAULT_ATTEMPTS : limit;
        if (size < 1 || size > MAX_ATTEMPTS) {
            throw InvalidRequestException.field("limit", "limit must be between 1 and " + MAX_ATTEMPTS + ".");
        }
        List<WebhookAttempt> attempts = webhooks.attempts(org.organizationId(), id, before, size);
        String next = attempts.size() < size ? null : attempts.get(attempts.size() - 1).id().toString();
        return new AttemptsPage(attempts.stream().map(AttemptView::of).toList(), next);
    }

    /**
     * Sends the attempt's event again now and answers the new attempt. When it is the event holding the endpoint
     * and the endpoint takes it, delivery goes on with the events after it.
     */
    @PostMapping("/{id}/deliveries/{deliveryId}/retry")
    AttemptView retry(OrgContext org, @PathVariable UUID id, @PathVariable UUID deliveryId) {
        return AttemptView.of(webhooks.retry(org.organizationId(), id, deliveryId, org.actor()));
    }

    private EndpointView view(WebhookEndpoint e, String secret) {
        WebhookService.Backlog backlog = webhooks.backlog(e);
        Health health = new Health(e.lastSuccessAt(), e.lastFailureAt(), e.failures(),
                e.failures() > 0 && e.enabled() ? e.nextAttemptAt() : null, backlog.behind());
        Instant previousUntil = e.previousSecretUntil() != null && e.previousSecretUntil().isAfter(Instant.now())
                ? e.previousSecretUntil() : null;
        return new EndpointView(e.id(), e.url(), e.description(), e.events().patterns(), e.enabled(),
                e.disabledReason(), health, previousUntil, e.createdAt(), e.updatedAt(), secret);
    }
}
