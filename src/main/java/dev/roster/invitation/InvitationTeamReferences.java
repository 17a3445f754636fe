package dev.roster.invitation;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.roster.membership.TeamReferences;

/**
 * Pending invitations may name a team. Deleting the team does not stop them (their link to the team goes with it),
 * but the admin is told that those invitations will no longer add people to it.
 */
@Component
class InvitationTeamReferences implements TeamReferences {

    private final InvitationRepository invitations;
    private final Clock clock;

    InvitationTeamReferences(InvitationRepository invitations, Clock clock) {
        this.invitations = invitations;
        this.clock = clock;
    }

    @Override
    public List<String> blockingDeletion(UUID organizationId, UUID teamId) {
        return List.of();
    }

    @Override
    public List<String> affectedByDeletion(UUID organizationId, UUID teamId) {
        long pending = invitations.countOpenNamingTeam(organizationId, teamId, clock.instant());
        if (pending == 0) {
            return List.of();
        }
        return List.of(pending == 1 ? "1 pending invitation will no longer add its person to this team"
                : pending + " pending invitations will no longer add their people to this team");
    }
}
