package dev.roster.resource;

import java.time.Instant;
import java.util.UUID;

import dev.roster.membership.MembershipStatus;

/** A member added directly to one resource, with their role there. */
public record Collaborator(UUID resourceId, UUID membershipId, UUID accountId, String email, String displayName,
                           MembershipStatus status, CollaboratorRole role, Instant addedAt, Instant updatedAt) {
}
