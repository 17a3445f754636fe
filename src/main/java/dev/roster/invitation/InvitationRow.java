package dev.roster.invitation;

import java.time.Instant;
import java.util.UUID;

/**
 * An invitation as stored, with the hash of its link token. {@code directoryName}: the directory (SCIM) that invited
 * on the organization's behalf, null for an admin's invitation.
 */
record InvitationRow(UUID id, UUID organizationId, String email, String emailNormalized, String pendingEmail,
                     boolean admin, String storedStatus, String tokenHash, UUID invitedBy, UUID acceptedAccountId,
                     Instant createdAt, Instant sentAt, Instant expiresAt, Instant closedAt, String directoryName) {

    /** The status people see: a pending invitation whose time has run out is expired, whatever the row says. */
    InvitationStatus status(Instant now) {
        InvitationStatus stored = InvitationStatus.valueOf(storedStatus);
        if (stored == InvitationStatus.PENDING && !expiresAt.isAfter(now)) {
            return InvitationStatus.EXPIRED;
        }
        return stored;
    }
}
