package dev.roster.membership;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A membership as admins see it: the person, their status and their teams. */
public record Member(UUID id, UUID accountId, String email, String displayName, boolean admin,
                     MembershipStatus status, MembershipSource source, List<TeamGrant> teams, Instant joinedAt) {
}
