package dev.roster.account;

import java.time.Instant;
import java.util.UUID;

public record Account(UUID id, String email, String displayName, boolean hasPassword, Instant createdAt,
                      Instant updatedAt) {
}
