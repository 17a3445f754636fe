package dev.roster.organization;

import java.time.Instant;
import java.util.UUID;

public record Organization(UUID id, String slug, String name, boolean requireTwoFactor, Instant createdAt,
                           Instant updatedAt) {
}
