package dev.roster.sso.access;

import java.time.Instant;
import java.util.UUID;

import dev.roster.membership.TeamRole;

/**
 * An IdP group that puts its members in a team (with source SSO, with the team role {@code role}) and/or makes them
 * admins. {@code groupValue} is what the group claim carries: the Entra group object id, the Okta group name.
 */
public record GroupMapping(UUID id, UUID connectionId, String groupValue, String groupDisplayName, UUID teamId,
                           String teamName, TeamRole role, boolean admin, Instant createdAt) {
}
