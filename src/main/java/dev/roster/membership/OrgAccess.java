package dev.roster.membership;

import java.util.UUID;

/**
 * What the security layer needs on every request to an organization: the organization and, if any, the caller's
 * membership. Read from the database each time, so a removal or suspension is seen on the very next request.
 */
public record OrgAccess(UUID organizationId, String slug, String organizationName, boolean requireTwoFactor,
                        UUID membershipId, boolean admin, MembershipStatus status) {

    public boolean isMember() {
        return membershipId != null && status == MembershipStatus.ACTIVE;
    }
}
