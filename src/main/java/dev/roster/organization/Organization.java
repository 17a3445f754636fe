package dev.roster.organization;

import java.time.Instant;
import java.util.UUID;

/**
 * An organization; {@code deletedAt} is set while it is soft-deleted (waiting for its purge or a restore);
 * {@code gettingStartedUrl} is the page its admins point newcomers to, if any.
 */
public record Organization(UUID id, String slug, String name, boolean requireTwoFactor, Instant createdAt,
                           Instant updatedAt, Instant deletedAt, String gettingStartedUrl) {

    public Organization(UUID id, String slug, String name, boolean requireTwoFactor, Instant createdAt,
                        Instant updatedAt) {
        this(id, slug, name, requireTwoFactor, createdAt, updatedAt, null, null);
    }

    public boolean deleted() {
        return deletedAt != null;
    }
}
