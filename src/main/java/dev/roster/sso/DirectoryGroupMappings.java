package dev.roster.sso;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

import dev.roster.membership.TeamRole;

/**
 * Implemented by the SCIM module, so that one IdP group is mapped once: what the organization's SCIM group mappings
 * grant to the groups a sign-in's group claim names. SSO applies it together with its own mappings, as SSO grants.
 * Without an implementation only SSO's own mappings apply.
 */
public interface DirectoryGroupMappings {

    /**
     * Teams (each with the highest team role of the mappings that give it) and admin that directory mappings give the
     * named groups (Entra object ids, Okta group names).
     */
    Grants forGroupClaims(UUID organizationId, Collection<String> groupClaimValues);

    /**
     * The display names of the organization's directory groups whose externalId is one of the claim values (Entra
     * provisions a group with its object id as externalId, the value its groups claim carries), by claim value.
     */
    default Map<String, String> groupNames(UUID organizationId, Collection<String> groupClaimValues) {
        return Map.of();
    }

    record Grants(Map<UUID, TeamRole> teams, boolean admin) {
    }
}
