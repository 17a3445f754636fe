package dev.roster.sso.access;

import java.time.Instant;
import java.util.UUID;

/**
 * An email domain an organization claims. To verify it, the organization publishes {@code txtRecord} as a TXT record
 * at {@code txtName}.
 */
public record VerifiedDomain(UUID id, String domain, boolean verified, String txtName, String txtRecord,
                             Instant verifiedAt, String verifiedBy, Instant createdAt) {
}
