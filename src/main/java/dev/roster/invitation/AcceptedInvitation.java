package dev.roster.invitation;

import java.util.UUID;

/** The outcome of accepting: who joined which organization. */
public record AcceptedInvitation(UUID organizationId, String organizationSlug, String organizationName,
                                 UUID accountId, String email, UUID membershipId, boolean accountCreated) {
}
