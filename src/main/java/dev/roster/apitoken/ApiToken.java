package dev.roster.apitoken;

import java.time.Instant;
import java.util.UUID;

public record ApiToken(UUID id, UUID accountId, String name, Instant createdAt, Instant expiresAt,
                       Instant lastUsedAt, Instant revokedAt) {

    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
