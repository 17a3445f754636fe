package dev.roster.webhook;

import java.time.Instant;
import java.util.UUID;

import dev.roster.events.EventTypes;

/**
 * A host application's endpoint and how delivery to it stands.
 *
 * @param streamPosition   the last position of the organization's stream passed to it (delivered, or not of its types)
 * @param failingPosition  the event that fails and holds the ones after it, if any
 * @param failures         failed attempts since the last delivery that succeeded
 * @param nextAttemptAt    when delivery is due again (in the past for a healthy endpoint)
 * @param disabledReason   {@code failing} (every retry failed), {@code gone} (it answered 410) or {@code admin}
 * @param previousSecretUntil while in the future, the secret before the last rotation signs too
 */
public record WebhookEndpoint(UUID id, UUID organizationId, String url, String description, EventTypes events,
                              boolean enabled, String disabledReason, long streamPosition, Long failingPosition,
                              int failures, Instant nextAttemptAt, Instant lastSuccessAt, Instant lastFailureAt,
                              Instant previousSecretUntil, Instant createdAt, Instant updatedAt) {
}
