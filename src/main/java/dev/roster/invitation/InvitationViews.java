package dev.roster.invitation;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.roster.account.AccountService;
import dev.roster.membership.Team;
import dev.roster.membership.TeamService;

/** Turns stored invitations into what admins see: with team names and who invited. */
@Component
class InvitationViews {

    private final InvitationRepository invitations;
    private final TeamService teams;
    private final AccountService accounts;

    InvitationViews(InvitationRepository invitations, TeamService teams, AccountService accounts) {
        this.invitations = invitations;
        this.teams = teams;
        this.accounts = accounts;
    }

    Invitation view(InvitationRow row, Instant now) {
        return views(row.organizationId(), List.of(row), now).get(0);
    }

    List<Invitation> views(UUID organizationId, List<InvitationRow> rows, Instant now) {
        Map<UUID, Set<UUID>> teamIds = invitations.teamIds(organizationId, rows.stream().map(InvitationRow::id).toList());
        Set<UUID> allTeams = new HashSet<>();
        teamIds.values().forEach(allTeams::addAll);
        Map<UUID, Team> teamsById = new HashMap<>();
        teams.findAll(organizationId, allTeams).forEach(team -> teamsById.put(team.id(), team));
        Map<UUID, Optional<Invitation.Inviter>> inviters = new HashMap<>();
        return rows.stream().map(row -> new Invitation(row.id(), row.email(), row.admin(), row.status(now),
                        teamRefs(teamIds.getOrDefault(row.id(), Set.of()), teamsById),
                        row.invitedBy() == null ? null
                                : inviters.computeIfAbsent(row.invitedBy(), this::inviter).orElse(null),
                        row.acceptedAccountId(), row.createdAt(), row.sentAt(), row.expiresAt(),
                        closedAt(row, now), row.directoryName()))
                .toList();
    }

    Optional<Invitation.Inviter> inviter(UUID accountId) {
        return accounts.find(accountId).map(a -> new Invitation.Inviter(a.id(), a.email(), a.displayName()));
    }

    /** The teams an invitation grants, by name, for emails and the acceptance page. */
    List<Team> teams(UUID organizationId, UUID invitationId) {
        Set<UUID> ids = invitations.teamIds(organizationId, List.of(invitationId)).getOrDefault(invitationId, Set.of());
        return teams.findAll(organizationId, ids);
    }

    private static List<Invitation.TeamRef> teamRefs(Collection<UUID> ids, Map<UUID, Team> teamsById) {
        return ids.stream().map(teamsById::get).filter(Objects::nonNull)
                .sorted(Comparator.comparing(team -> team.name().toLowerCase(Locale.ROOT)))
                .map(team -> new Invitation.TeamRef(team.id(), team.name())).toList();
    }

    // An invitation that ran out without being marked so closed when it expired.
    private static Instant closedAt(InvitationRow row, Instant now) {
        if (row.closedAt() == null && row.status(now) == InvitationStatus.EXPIRED) {
            return row.expiresAt();
        }
        return row.closedAt();
    }
}
