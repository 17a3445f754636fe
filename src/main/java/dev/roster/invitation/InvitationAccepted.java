package dev.roster.invitation;

import java.util.UUID;

/**
 * Published in the transaction in which a person accepted an invitation themselves (through its link, or through
 * single sign-on): their consent to be a member. A directory that waits for that consent links its user on it.
 */
public record InvitationAccepted(UUID organizationId, UUID invitationId, UUID accountId, UUID membershipId) {
}
