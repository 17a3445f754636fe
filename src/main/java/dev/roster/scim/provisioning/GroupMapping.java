package dev.roster.scim.provisioning;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.roster.membership.TeamRole;
import dev.roster.shared.InvalidRequestException;

/**
 * A SCIM group mapped to teams (and optionally admin); {@code role} is the team role its members get in those teams.
 * Matching by {@code ID} or {@code EXTERNAL_ID} survives a
 * rename of the group; matching by {@code DISPLAY_NAME} follows the name, so a renamed group stops matching and a
 * group that takes the name starts to.
 */
public record GroupMapping(UUID id, UUID organizationId, UUID directoryId, MatchBy matchBy, String matchValue,
                           boolean admin, List<TeamRef> teams, TeamRole role, Instant createdAt) {

    public record TeamRef(UUID id, String name) {
    }

    public enum MatchBy {
        ID("id"), EXTERNAL_ID("externalId"), DISPLAY_NAME("displayName");

        private final String apiName;

        MatchBy(String apiName) {
            this.apiName = apiName;
        }

        public String apiName() {
            return apiName;
        }

        public static MatchBy parse(String value) {
            if (value != null) {
                for (MatchBy by : values()) {
                    if (by.apiName.equalsIgnoreCase(value.trim())) {
                        return by;
                    }
                }
            }
            throw InvalidRequestException.field("group.by", "Match a group by id, externalId or displayName.");
        }

        /** Ids and display names compare case-insensitively; an externalId is the IdP's and compares exactly. */
        public String normalize(String value) {
            return this == EXTERNAL_ID ? value.trim() : value.trim().toLowerCase(Locale.ROOT);
        }
    }
}
