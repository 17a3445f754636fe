package dev.roster.shared.web;

import java.util.List;
import java.util.UUID;

/**
 * One row of a group-mapping table, which SSO connections and SCIM directories share
 * ({@code fragments/group-mappings :: table}): the group by its display name where Roster knows it, the IdP's id of
 * the group (on hover, and as text to select and copy), how a directory mapping matches, the teams it fills, the
 * admin flag and where the form that removes it posts.
 *
 * @param group       the display name, or the matched value when Roster knows no name
 * @param groupId     the group's id at the IdP (an Entra object id, an externalId, Roster's id), null when the value
 *                    is the name itself
 * @param matchedBy   how a directory mapping matches ("externalId"), null for SSO mappings (always the claim value)
 * @param role        the team role the mapping gives in its teams ({@code member}, {@code maintainer}), null when it
 *                    gives no team
 * @param roleAction  where the form that changes that role posts, null when it gives no team
 */
public record GroupMappingRow(UUID id, String group, String groupId, String matchedBy, boolean matchesNothing,
                              List<TeamLink> teams, boolean admin, String removeAction, String role,
                              String roleAction) {

    /** A team the mapping fills, linked to its page. */
    public record TeamLink(UUID id, String name) {
    }

    /** The hover text of the group's name: its id, when the name is not the id. */
    public String title() {
        return groupId == null || groupId.equals(group) ? null : "ID: " + groupId;
    }

    /** The id shown under the name, or null when it would only repeat the name. */
    public String shownId() {
        return groupId == null || groupId.equals(group) ? null : groupId;
    }
}
