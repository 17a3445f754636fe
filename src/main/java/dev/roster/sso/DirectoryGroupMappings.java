package dev.roster.sso;

import java.util.Collection;
import java.util.Set;
import java.util.UUID;

/**
 * Implemented by the SCIM module, so that one IdP group is mapped once: what the organization's SCIM group mappings
 * grant to the groups a sign-in's group claim names. SSO applies it together with its own mappings, as SSO grants.
 * Without an implementation only SSO's own mappings apply.
 */
public interface DirectoryGroupMappings {

    /** Teams and admin that directory mappings give the named groups (Entra object ids, Okta group names). */
    Grants forGroupClaims(UUID organizationId, Collection<String> groupClaimValues);

    record Grants(Set<UUID> teamIds, boolean admin) {
    }
}
