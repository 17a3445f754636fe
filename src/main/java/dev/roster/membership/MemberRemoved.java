package dev.roster.membership;

import java.util.UUID;

/**
 * Published by {@link MembershipService#remove} inside the removal's transaction, so that what other modules keep for
 * the member (a resource's collaborators, say) ends with the membership, on the next request, and does not come back
 * if the person rejoins.
 */
public record MemberRemoved(UUID organizationId, UUID membershipId) {
}
