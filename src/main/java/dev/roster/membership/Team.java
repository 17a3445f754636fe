package dev.roster.membership;

import java.time.Instant;
import java.util.UUID;

public record Team(UUID id, UUID organizationId, String name, String description, Instant createdAt,
                   Instant updatedAt) {
}
