package dev.roster.resource;

import java.time.Instant;
import java.util.UUID;

/**
 * A project, environment or data store of an organization. {@code ownerLabel} names the owner for people: the team's
 * name or the member's email; it is null for organization-owned resources.
 */
public record Resource(UUID id, UUID organizationId, ResourceKind kind, String name, ResourceOwner owner,
                       String ownerLabel, Instant createdAt, Instant updatedAt) {
}
