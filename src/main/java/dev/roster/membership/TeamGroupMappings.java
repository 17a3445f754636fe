package dev.roster.membership;

import java.util.List;
import java.util.UUID;

/**
 * Implemented by the features that map identity provider groups to teams (single sign-on, SCIM), so that a team's
 * page can show which groups fill it and link to where each mapping is edited.
 */
public interface TeamGroupMappings {

    /** The groups mapped to the team, in the order to show them. */
    List<MappedGroup> mappedTo(UUID organizationId, UUID teamId);

    /**
     * One group that puts people in the team. {@code source} names where it comes from ("SSO: Okta"), {@code group}
     * is how people recognise the group, {@code detail} what the IdP calls it when that differs, and {@code editPath}
     * the page where the mapping is changed.
     */
    record MappedGroup(String source, String group, String detail, boolean admin, String editPath) {
    }
}
