package dev.roster.scim.web;

import dev.roster.scim.provisioning.GroupMapping;

/** How the pages name the ways a mapping matches a group. */
final class MappingLabels {

    private MappingLabels() {
    }

    static String by(GroupMapping.MatchBy by) {
        return switch (by) {
            case ID -> "Roster group id";
            case EXTERNAL_ID -> "externalId";
            case DISPLAY_NAME -> "display name";
        };
    }
}
