package dev.roster.sso.access;

import java.time.Instant;
import java.util.UUID;

/**
 * An IdP group that puts its members in a team (with source SSO) and/or makes them admins. {@code groupValue} is what
 * the group claim carries: the Entra group object id, the Okta group name.
 */
public record GroupMapping(UUID id, UUID connectionId, String groupValue, String groupDisplayName, UUID teamId,
                           String teamName, boolean admin, Instant createdAt) {
}
