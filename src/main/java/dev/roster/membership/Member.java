package dev.roster.membership;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A membership as admins see it: the person, their status and their teams. {@code adminSources} are the sources that
 * grant the admin flag (an admin by hand, SSO, SCIM), empty for a member who is no admin; like a team grant, the flag
 * holds while any of them grants it.
 */
public record Member(UUID id, UUID accountId, String email, String displayName, boolean admin,
                     Set<GrantSource> adminSources, MembershipStatus status, MembershipSource source,
                     List<TeamGrant> teams, Instant joinedAt) {

    public Member {
        adminSources = Set.copyOf(adminSources);
    }

    /** A directory (SSO or SCIM) makes the member an admin: only the directory can take that grant away. */
    public boolean adminManagedByDirectory() {
        return adminSources.stream().anyMatch(GrantSource::isDirectory);
    }
}
