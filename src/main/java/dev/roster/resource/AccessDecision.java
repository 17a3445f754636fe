package dev.roster.resource;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.roster.membership.GrantSource;

/**
 * The answer to "may this account use this resource": the verdict, the reason, for {@link AccessReason#TEAM} the
 * team that grants it and through which sources the account is in it, and for {@link AccessReason#COLLABORATOR} the
 * collaborator's role.
 *
 * @param membershipId the account's membership in the organization, null when it has none
 * @param role         the collaborator's role when the reason is {@link AccessReason#COLLABORATOR}, else null
 */
public record AccessDecision(boolean allowed, AccessReason reason, UUID accountId, UUID resourceId,
                             UUID membershipId, List<TeamRef> teams, Set<GrantSource> grantSources,
                             CollaboratorRole role, ResourceKind resourceKind) {

    public record TeamRef(UUID id, String name) {
    }

    public AccessDecision {
        teams = List.copyOf(teams);
        grantSources = Set.copyOf(grantSources);
    }
}
