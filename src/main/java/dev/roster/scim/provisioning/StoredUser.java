package dev.roster.scim.provisioning;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A provisioned user as stored: the SCIM attributes the IdP sent, the columns filters need, and the link to the
 * account and membership it became (empty until the user has an email address Roster can link). An unlinked user
 * the account-linking policy keeps unlinked says why in {@code heldReason}, and {@code invitationId} is the
 * invitation whose acceptance links it.
 */
public record StoredUser(UUID id, UUID organizationId, UUID directoryId, String userName, String externalId,
                         String displayName, boolean active, UUID accountId, UUID membershipId,
                         ObjectNode resource, long version, Instant createdAt, Instant updatedAt, String heldReason,
                         UUID invitationId) {

    public StoredUser withLink(UUID accountId, UUID membershipId) {
        return new StoredUser(id, organizationId, directoryId, userName, externalId, displayName, active, accountId,
                membershipId, resource, version, createdAt, updatedAt, null, null);
    }

    public StoredUser held(String reason, UUID invitation) {
        return new StoredUser(id, organizationId, directoryId, userName, externalId, displayName, active, accountId,
                membershipId, resource, version, createdAt, updatedAt, reason, invitation);
    }
}
