package dev.roster.membership;

import java.time.Instant;
import java.util.UUID;

import dev.roster.shared.Channel;

public record Membership(UUID id, UUID organizationId, UUID accountId, boolean admin, MembershipStatus status,
                         MembershipSource source, Channel statusChangedBy, Instant createdAt, Instant updatedAt) {

    public boolean isActive() {
        return status == MembershipStatus.ACTIVE;
    }
}
