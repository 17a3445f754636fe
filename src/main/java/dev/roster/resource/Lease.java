package dev.roster.resource;

import java.time.Instant;
import java.util.UUID;

/** A place on an environment held for one person, counted against one team, until {@code expiresAt}. */
public record Lease(UUID id, UUID organizationId, UUID environmentId, UUID teamId, String teamName,
                    UUID membershipId, UUID accountId, String email, Instant acquiredAt, Instant expiresAt) {
}
