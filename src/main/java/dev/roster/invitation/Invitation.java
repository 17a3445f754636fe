package dev.roster.invitation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An invitation as admins see it. {@code invitedBy} is absent when the system or a directory invited;
 * {@code invitedByDirectory} names the SCIM directory that invited on the organization's behalf (an existing account
 * its policy would not link without the person's consent); {@code acceptedAccountId} and {@code closedAt} are set once
 * it is no longer pending.
 */
public record Invitation(UUID id, String email, boolean admin, InvitationStatus status, List<TeamRef> teams,
                         Inviter invitedBy, UUID acceptedAccountId, Instant createdAt, Instant sentAt,
                         Instant expiresAt, Instant closedAt, String invitedByDirectory) {

    public record TeamRef(UUID id, String name) {
    }

    public record Inviter(UUID accountId, String email, String displayName) {
    }
}
