package dev.roster.scim.provisioning;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.roster.membership.GrantSource;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.TeamRole;
import dev.roster.shared.Actor;

/**
 * Keeps members' SCIM team grants (and SCIM-granted admin flags) equal to what their mapped groups say, across every
 * SCIM directory of the organization. A member leaves a team only when no mapped group of theirs maps to it any more;
 * the SCIM grant's role is the highest role of the mappings that grant the team; grants from other sources (an admin's manual grant, SSO) are never touched. Changes go through
 * {@link MembershipService} in batches, so a group of thousands gaining a mapped team is one statement per thousand.
 */
@Component
class TeamSync {

    private static final Logger log = LoggerFactory.getLogger(TeamSync.class);

    private final GroupMappingRepository mappings;
    private final MemberReads members;
    private final MembershipService memberships;

    TeamSync(GroupMappingRepository mappings, MemberReads members, MembershipService memberships) {
        this.mappings = mappings;
        this.members = members;
        this.memberships = memberships;
    }

    /** As {@link #resync}, for callers that do not know whether the organization has mappings. */
    void resyncIfMapped(UUID organizationId, Collection<UUID> membershipIds, Actor actor) {
        // Without mappings SCIM grants nothing, and what earlier mappings granted was withdrawn when they went.
        if (mappings.anyInOrganization(organizationId)) {
            resync(organizationId, membershipIds, actor);
        }
    }

    /**
     * Whether or not any mapping is left: for callers that know there are mappings (a group request that read its
     * directory's once) or that one just changed (the last one may just have been deleted).
     */
    void resync(UUID organizationId, Collection<UUID> membershipIds, Actor actor) {
        Set<UUID> ids = new HashSet<>(membershipIds);
        ids.remove(null);
        if (ids.isEmpty()) {
            return;
        }
        List<Membership> live = members.findAll(organizationId, ids).stream()
                .filter(m -> m.status() != MembershipStatus.REMOVED).toList();
        if (live.isEmpty()) {
            return;
        }
        List<UUID> liveIds = live.stream().map(Membership::id).toList();
        GroupMappingRepository.Desired desired = mappings.desired(organizationId, liveIds);
        // Only SCIM's own grants, with their own roles: an admin's (or SSO's) grant and role are never compared.
        Map<UUID, Map<UUID, TeamRole>> current = members.teamRolesFrom(organizationId, GrantSource.SCIM, liveIds);
        Map<TeamPlace, List<UUID>> toGrant = new HashMap<>();
        Map<TeamPlace, List<UUID>> toChangeRole = new HashMap<>();
        Map<UUID, List<UUID>> toRevoke = new HashMap<>();
        for (UUID member : liveIds) {
            Map<UUID, TeamRole> want = desired.teams().getOrDefault(member, Map.of());
            Map<UUID, TeamRole> have = current.getOrDefault(member, Map.of());
            want.forEach((team, role) -> {
                if (!have.containsKey(team)) {
                    toGrant.computeIfAbsent(new TeamPlace(team, role), k -> new ArrayList<>()).add(member);
                }
                else if (have.get(team) != role) {
                    toChangeRole.computeIfAbsent(new TeamPlace(team, role), k -> new ArrayList<>()).add(member);
                }
            });
            for (UUID team : have.keySet()) {
                if (!want.containsKey(team)) {
                    toRevoke.computeIfAbsent(team, k -> new ArrayList<>()).add(member);
                }
            }
        }
        // The admin grants to sync, read before any lock: a withdrawal locks the organization's active admins, and
        // it must take them before the batches below lock their members, in the order of every demotion (the admins
        // in id order, then the member), or it and a demotion could each hold what the other waits for.
        List<UUID> candidates = live.stream().filter(m -> m.admin() || desired.admins().contains(m.id()))
                .map(Membership::id).toList();
        Set<UUID> granted = candidates.isEmpty() ? Set.of()
                : members.adminGrantedBy(organizationId, GrantSource.SCIM, candidates);
        boolean withdrawsAnAdmin = live.stream().anyMatch(m -> m.admin() && m.isActive()
                && granted.contains(m.id()) && !desired.admins().contains(m.id()));
        if (withdrawsAnAdmin && !(toGrant.isEmpty() && toChangeRole.isEmpty() && toRevoke.isEmpty())) {
            memberships.lockActiveAdminsFirst(organizationId);
        }
        toGrant.forEach((place, who) -> memberships.grantTeamToMembers(organizationId, place.team(), who,
                GrantSource.SCIM, place.role(), actor));
        toChangeRole.forEach((place, who) -> memberships.setTeamRoleOfMembers(organizationId, place.team(), who,
                GrantSource.SCIM, place.role(), actor));
        toRevoke.forEach((team, who) -> memberships.revokeTeamFromMembers(organizationId, team, who, GrantSource.SCIM,
                actor));
        syncAdmins(organizationId, candidates, granted, desired.admins(), actor);
    }

    /** A team with the role a grant of it carries. */
    private record TeamPlace(UUID team, TeamRole role) {
    }

    /**
     * Makes the SCIM admin grants equal what the mapped groups say. Only the SCIM grant is added or withdrawn, so an
     * admin made one by hand (or through SSO) stays one. Members who are neither admins nor wanted as admins hold no
     * SCIM grant, so their grants are not read.
     */
    private void syncAdmins(UUID organizationId, List<UUID> candidates, Set<UUID> granted, Set<UUID> wantAdmin,
                            Actor actor) {
        for (UUID member : candidates) {
            if (wantAdmin.contains(member) && !granted.contains(member)) {
                memberships.grantAdmin(organizationId, member, GrantSource.SCIM, actor);
            }
            else if (!wantAdmin.contains(member) && granted.contains(member)) {
                // The last admin is asked about, not caught: an exception from the membership service would doom
                // the request.
                MembershipService.AdminRevocation revoked = memberships.revokeAdminUnlessLast(organizationId, member,
                        GrantSource.SCIM, actor, "The SCIM directory's groups");
                if (revoked == MembershipService.AdminRevocation.KEPT_LAST_ADMIN) {
                    log.info("Kept the admin flag of membership {}: it is the organization's last admin", member);
                }
            }
        }
    }
}
