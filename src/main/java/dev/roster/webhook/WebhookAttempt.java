package dev.roster.webhook;

import java.time.Instant;
import java.util.UUID;

/**
 * One attempt to deliver an event to an endpoint.
 *
 * @param position      the event's position in the organization's stream (null for a test event)
 * @param trigger       {@code delivery} (in order, by the outbox), {@code retry} (an admin asked) or {@code test}
 * @param responseStatus the HTTP status the endpoint answered, null when it did not answer
 * @param responseBody  the answer's first kilobyte
 * @param error         why there was no usable answer (timeout, refused address, ...)
 * @param nextAttemptAt when the outbox tries this event again after this failure (null when it will not)
 */
public record WebhookAttempt(UUID id, UUID endpointId, UUID organizationId, UUID eventId, String eventType,
                             Long position, String trigger, Instant attemptedAt, int durationMs, boolean succeeded,
                             Integer responseStatus, String responseBody, String error, Instant nextAttemptAt) {

    static final String DELIVERY = "delivery";
    static final String RETRY = "retry";
    static final String TEST = "test";
}
