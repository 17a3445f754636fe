package dev.roster.scim.directory;

import java.time.Instant;
import java.util.UUID;

/** A directory's bearer token as admins see it: never the secret, which is only shown when it is issued. */
public record ScimToken(UUID id, UUID directoryId, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {

    public boolean active() {
        return revokedAt == null;
    }
}
