package dev.roster.membership;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.roster.account.Account;
import dev.roster.events.EventType;
import dev.roster.events.Events;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.web.WireNames;

/**
 * The events of the membership write path (docs/events.md): {@link MembershipService} and {@link TeamService} call
 * these right after a change, inside its transaction, so every channel (admins, invitations, SSO, SCIM, bootstrap)
 * publishes the same events and none of their callers has to. {@code data} is the member or team read back after the
 * change, in the admin API's shape; {@code changes} says what changed.
 * <p>
 * Team events follow a member's <em>effective</em> teams: a member is in a team while any source grants it, so a
 * second source granting a team the member already has, or one of two sources withdrawing it, changes nothing a host
 * application sees and publishes nothing.
 */
@Component
class MembershipEvents {

    private final Events events;
    private final MemberReads directory;
    private final TeamRepository teams;

    MembershipEvents(Events events, MemberReads directory, TeamRepository teams) {
        this.events = events;
        this.directory = directory;
        this.teams = teams;
    }

    /** A team as {@code changes} name it. */
    record TeamRef(UUID id, String name) {

        static TeamRef of(Team team) {
            return new TeamRef(team.id(), team.name());
        }

        static TeamRef of(TeamGrant grant) {
            return new TeamRef(grant.teamId(), grant.teamName());
        }
    }

    /** A value before and after the change. */
    record Change<T>(T from, T to) {
    }

    /**
     * {@code changes} of {@code member.teams_changed}; {@code roles} (absent when none) are the teams the member stays
     * in whose role changed.
     */
    record TeamsChange(List<TeamRef> gained, List<TeamRef> lost, String source, List<RoleChange> roles) {
    }

    /** A member's role in a team before and after the change. */
    record RoleChange(UUID id, String name, String from, String to) {
    }

    /** Someone joined, or a removed member was brought back ({@code before} is then the tombstone). */
    void added(Membership before, Membership after, Actor actor) {
        Map<String, Object> changes = null;
        if (before != null) {
            changes = Map.of("status", new Change<>(WireNames.of(before.status()), WireNames.of(after.status())));
        }
        events.publish(after.organizationId(), EventType.MEMBER_ADDED, actor, member(after), changes);
    }

    /**
     * A new member with no team (nothing granted any): {@link #added} without reading the member back, from the
     * membership, the account it was made from and the source of its admin grant (if the join made one), as
     * {@code membersInAnyStatus} would read them.
     */
    void addedWithoutTeams(Membership membership, Account account, Set<GrantSource> adminSources, Actor actor) {
        Member member = new Member(membership.id(), account.id(), account.email(), account.displayName(),
                membership.admin(), membership.admin() ? adminSources : Set.of(), membership.status(),
                membership.source(), List.of(), asStored(membership.createdAt()));
        events.publish(membership.organizationId(), EventType.MEMBER_ADDED, actor, MemberView.of(member), null);
    }

    /** An instant as the database keeps it, and the driver sends it: to the microsecond, rounded half up. */
    static Instant asStored(Instant instant) {
        return instant.plusNanos(500).truncatedTo(ChronoUnit.MICROS);
    }

    /** The admin flag changed. */
    void adminChanged(Membership before, Membership after, Actor actor) {
        events.publish(after.organizationId(), EventType.MEMBER_UPDATED, actor, member(after),
                Map.of("admin", new Change<>(before.admin(), after.admin())));
    }

    /** Suspended, reactivated or removed; a removal names the teams the member lost with it. */
    void statusChanged(Membership before, Membership after, List<TeamGrant> teamsLost, Actor actor) {
        EventType type = switch (after.status()) {
            case ACTIVE -> EventType.MEMBER_REACTIVATED;
            case SUSPENDED -> EventType.MEMBER_SUSPENDED;
            case REMOVED -> EventType.MEMBER_REMOVED;
        };
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("status", new Change<>(WireNames.of(before.status()), WireNames.of(after.status())));
        if (before.admin() != after.admin()) {
            changes.put("admin", new Change<>(before.admin(), after.admin()));
        }
        if (!teamsLost.isEmpty()) {
            changes.put("teamsLost", teamsLost.stream().map(TeamRef::of).toList());
        }
        events.publish(after.organizationId(), type, actor, member(after), changes);
    }

    /**
     * One source granted {@code granted} (grants that did not exist before) and withdrew {@code revoked} (grants that
     * existed) for these members. Each member whose effective teams changed gets one {@code member.teams_changed}.
     */
    void teamsChanged(UUID organizationId, Collection<UUID> membershipIds, Collection<Team> granted,
                      Collection<Team> revoked, GrantSource source, Actor actor) {
        teamsChanged(organizationId, membershipIds, granted, revoked, Map.of(), source, actor);
    }

    /**
     * As above, and the member's role in a team changed where the change touched it: {@code rolesBefore} holds, per
     * member, the roles (highest of every source's grant) the touched teams had before, and a team the member is
     * still in with another role is named in {@code changes.roles}.
     */
    void teamsChanged(UUID organizationId, Collection<UUID> membershipIds, Collection<Team> granted,
                      Collection<Team> revoked, Map<UUID, Map<UUID, TeamRole>> rolesBefore, GrantSource source,
                      Actor actor) {
        if (membershipIds.isEmpty() || (granted.isEmpty() && revoked.isEmpty() && rolesBefore.isEmpty())) {
            return;
        }
        String sourceName = sourceName(source, actor);
        for (Member member : directory.membersInAnyStatus(organizationId, membershipIds)) {
            Map<UUID, TeamGrant> now = new LinkedHashMap<>();
            member.teams().forEach(grant -> now.put(grant.teamId(), grant));
            List<TeamRef> gained = new ArrayList<>();
            for (Team team : granted) {
                TeamGrant grant = now.get(team.id());
                // Newly granted and granted by nothing else: the member was not in the team before.
                if (grant != null && grant.sources().equals(Set.of(source))) {
                    gained.add(TeamRef.of(team));
                }
            }
            List<TeamRef> lost = revoked.stream().filter(team -> !now.containsKey(team.id())).map(TeamRef::of)
                    .toList();
            List<RoleChange> roles = new ArrayList<>();
            rolesBefore.getOrDefault(member.id(), Map.of()).forEach((teamId, before) -> {
                TeamGrant grant = now.get(teamId);
                if (grant != null && grant.role() != before) {
                    roles.add(new RoleChange(teamId, grant.teamName(), WireNames.of(before),
                            WireNames.of(grant.role())));
                }
            });
            if (!gained.isEmpty() || !lost.isEmpty() || !roles.isEmpty()) {
                events.publish(organizationId, EventType.MEMBER_TEAMS_CHANGED, actor, MemberView.of(member),
                        new TeamsChange(gained, lost, sourceName, roles.isEmpty() ? null : roles));
            }
        }
    }

    void teamCreated(Team team, Actor actor) {
        events.publish(team.organizationId(), EventType.TEAM_CREATED, actor, TeamView.of(team, 0L));
    }

    void teamRenamed(Team before, Team after, Actor actor) {
        events.publish(after.organizationId(), EventType.TEAM_RENAMED, actor,
                TeamView.of(after, teams.memberCount(after.organizationId(), after.id())),
                Map.of("name", new Change<>(before.name(), after.name())));
    }

    /** {@code data} is the team as it was, with the number of members who lost it. */
    void teamDeleted(Team team, long memberCount, Actor actor) {
        events.publish(team.organizationId(), EventType.TEAM_DELETED, actor, TeamView.of(team, memberCount));
    }

    private MemberView member(Membership membership) {
        return directory.membersInAnyStatus(membership.organizationId(), List.of(membership.id())).stream()
                .findFirst().map(MemberView::of)
                .orElseThrow(() -> new IllegalStateException("membership " + membership.id() + " not found"));
    }

    /**
     * Where team changes came from, as hosts see it: {@code sso}, {@code scim}, {@code manual}, or
     * {@code invitation} for the teams an accepted invitation grants (manual grants made while joining through an
     * invitation, also when a directory completes the invitation).
     */
    static String sourceName(GrantSource source, Actor actor) {
        if (source == GrantSource.MANUAL && (actor.channel() == Channel.INVITATION || actor.channel() == Channel.SSO
                || actor.channel() == Channel.SCIM)) {
            return "invitation";
        }
        return WireNames.of(source);
    }
}
