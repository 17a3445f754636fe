package dev.roster.membership;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;

/**
 * The one write path for memberships and team grants. Admins (UI, API), invitations, SSO, SCIM and bootstrap all
 * change membership through these methods, which enforce the rules and write the audit log and the events for host
 * applications ({@link MembershipEvents}) in the caller's transaction.
 */
@Service
@Transactional
public class MembershipService {

    // Keeps each statement's IN list well below the databases' bind-parameter limits.
    private static final int BATCH_SIZE = 1000;

    private final MembershipRepository memberships;
    private final TeamRepository teams;
    private final AccountService accounts;
    private final AuditLog audit;
    private final MembershipEvents events;
    private final Clock clock;
    private final ApplicationEventPublisher publisher;

    MembershipService(MembershipRepository memberships, TeamRepository teams, AccountService accounts, AuditLog audit,
                      MembershipEvents events, Clock clock, ApplicationEventPublisher publisher) {
        this.memberships = memberships;
        this.teams = teams;
        this.accounts = accounts;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
        this.publisher = publisher;
    }

    /** What joining grants: the admin flag and teams, both granted with the given source. */
    public record Join(boolean admin, MembershipSource source, Set<UUID> teamIds, GrantSource teamSource) {

        public Join {
            teamIds = Set.copyOf(teamIds);
        }

        public static Join of(MembershipSource source) {
            return new Join(false, source, Set.of(), GrantSource.MANUAL);
        }
    }

    /**
     * Adds an account to an organization, or brings back a removed member. An active member keeps their membership
     * and gains what the join grants (admin is only ever added here, never taken). A suspended member is refused
     * on every channel, and a removed one is refused through SSO: only an admin's invitation or the directory that
     * owns the person brings them back.
     */
    public Membership join(UUID organizationId, UUID accountId, Join join, Actor actor) {
        return join(organizationId, accounts.get(accountId), join, actor);
    }

    /** {@link #join(UUID, UUID, Join, Actor)} for a caller that has just read or created the account. */
    public Membership join(UUID organizationId, Account account, Join join, Actor actor) {
        return join(organizationId, account, join, actor, false);
    }

    /**
     * {@link #join(UUID, Account, Join, Actor)} for an account the caller's transaction has just created: nobody else
     * can see it before the commit, so it is a member of nothing and there is no membership to look for or lock (a
     * caller that got this wrong fails on the unique key of organization and account, it cannot make a second
     * membership).
     */
    public Membership joinCreatedAccount(UUID organizationId, Account account, Join join, Actor actor) {
        return joinCreatedAccount(organizationId, account, join, actor, Ids.newId());
    }

    /**
     * {@link #joinCreatedAccount(UUID, Account, Join, Actor)} with the new membership's id chosen by the caller: a
     * SCIM user is written with its link to the account and membership it is about to get (decision 0023).
     */
    public Membership joinCreatedAccount(UUID organizationId, Account account, Join join, Actor actor,
                                         UUID membershipId) {
        List<Team> granted = requireTeams(organizationId, join.teamIds());
        return join(organizationId, account, join, actor, granted, Optional.empty(), membershipId);
    }

    private Membership join(UUID organizationId, Account account, Join join, Actor actor, boolean createdNow) {
        List<Team> granted = requireTeams(organizationId, join.teamIds());
        Optional<Membership> existing = createdNow ? Optional.empty()
                : memberships.lockByAccount(organizationId, account.id());
        return join(organizationId, account, join, actor, granted, existing);
    }

    private Membership join(UUID organizationId, Account account, Join join, Actor actor, List<Team> granted,
                            Optional<Membership> existing) {
        return join(organizationId, account, join, actor, granted, existing, Ids.newId());
    }

    /**
     * Locks the account's membership of the organization ({@code SELECT … FOR UPDATE}) until the caller's transaction
     * ends, for a caller that decides on the row and then changes it through the methods that take a
     * {@link LockedMembership}, so the row is read once. It locks the member's row alone: for changes that withdraw
     * no admin power. A caller that may withdraw a directory's admin grant locks with
     * {@link #lockByAccount(UUID, UUID, GrantSource)}.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public LockedMembership lockByAccount(UUID organizationId, UUID accountId) {
        return LockedMembership.held(organizationId, accountId, memberships.lockByAccount(organizationId, accountId));
    }

    /**
     * {@link #lockByAccount(UUID, UUID)} for a caller that may go on to withdraw {@code source}'s admin grant
     * ({@link #revokeAdminUnlessLast(LockedMembership, GrantSource, Actor, String)}): when the member is an active
     * admin that the source made one, the organization's active admins are locked in the same statement, in id
     * order with the member, which is the lock order of every demotion ({@link #setAdmin}, {@link #suspend},
     * {@link #remove}, {@link #revokeAdminUnlessLast(UUID, UUID, GrantSource, Actor, String)}: the admins, then the
     * member). Other members lock their own row only.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public LockedMembership lockByAccount(UUID organizationId, UUID accountId, GrantSource mayWithdrawAdminOf) {
        return LockedMembership.held(organizationId, accountId,
                memberships.lockByAccountWithAdminsIfGrantedBy(organizationId, accountId, mayWithdrawAdminOf));
    }

    /**
     * The membership of an account the caller's transaction has just created: none, and nothing to lock, as for
     * {@link #joinCreatedAccount} (a caller that got this wrong fails on the unique key of organization and account
     * when it joins, it cannot make a second membership).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public LockedMembership lockCreatedAccount(UUID organizationId, Account account) {
        return LockedMembership.held(organizationId, account.id(), Optional.empty());
    }

    /** {@link #join(UUID, Account, Join, Actor)} of the account whose membership the caller has locked. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Membership join(LockedMembership locked, Account account, Join join, Actor actor) {
        if (!locked.accountId().equals(account.id())) {
            throw new IllegalArgumentException("the lock is another account's");
        }
        List<Team> granted = requireTeams(locked.organizationId(), join.teamIds());
        Membership result = join(locked.organizationId(), account, join, actor, granted, locked.membership());
        locked.update(result);
        return result;
    }

    /** Joins under the lock of {@code existing} (or with none to lock: a new member, whose id is {@code newId}). */
    private Membership join(UUID organizationId, Account account, Join join, Actor actor, List<Team> granted,
                            Optional<Membership> existing, UUID newId) {
        UUID accountId = account.id();
        Instant now = clock.instant();
        Membership result;
        // Set when the account joins now (null before: a new member), so the event follows the team grants.
        Membership joinedFrom = null;
        boolean joined = false;
        if (existing.isEmpty()) {
            joined = true;
            result = new Membership(newId, organizationId, accountId, join.admin(), MembershipStatus.ACTIVE,
                    join.source(), actor.channel(), now, now);
            memberships.insert(result);
            if (join.admin()) {
                memberships.insertAdminGrant(organizationId, result.id(), join.teamSource(), now);
            }
            audit.record(organizationId, actor, "member.added", target(result, account), null, state(result));
        }
        else {
            Membership current = existing.get();
            switch (current.status()) {
                case SUSPENDED -> throw new ConflictException("member-suspended",
                        account.email() + " is suspended in this organization. An admin must reactivate them.");
                case REMOVED -> {
                    if (join.source() == MembershipSource.SSO) {
                        throw new ConflictException("member-removed", account.email()
                                + " was removed from this organization and cannot rejoin through single sign-on.");
                    }
                    result = with(current, join.admin(), MembershipStatus.ACTIVE, join.source(), actor, now);
                    memberships.update(result);
                    if (join.admin()) {
                        memberships.insertAdminGrant(organizationId, result.id(), join.teamSource(), now);
                    }
                    joined = true;
                    joinedFrom = current;
                    audit.record(organizationId, actor, "member.rejoined", target(result, account), state(current),
                            state(result));
                }
                default -> {
                    // An active member gains the join's admin grant under the rule of every added grant: the flag
                    // changes for one who was no admin, and an admin gaining another source's grant is recorded (an
                    // invitation to be an admin accepted by someone a directory already makes one: their own grant
                    // by hand now outlasts the directory's). A join that grants no admin role reads nothing here.
                    result = join.admin() ? addAdminGrant(current, () -> account, join.teamSource(), actor, now)
                            : current;
                }
            }
        }
        List<Team> added = new ArrayList<>();
        for (Team team : granted) {
            if (grant(result, account, team, join.teamSource(), actor, now)) {
                added.add(team);
            }
        }
        if (joined && existing.isEmpty() && granted.isEmpty()) {
            // A new member without teams: the event's data is what was just written, no need to read it back. Their
            // only admin grant, if any, is the one the join has just made.
            events.addedWithoutTeams(result, account, join.admin() ? Set.of(join.teamSource()) : Set.of(), actor);
        }
        else if (joined) {
            // The member's teams are in the event's data; a team change of its own would say it twice.
            events.added(joinedFrom, result, actor);
        }
        else {
            events.teamsChanged(organizationId, List.of(result.id()), added, List.of(), join.teamSource(), actor);
        }
        return result;
    }

    /**
     * An admin's (MANUAL) grant of the admin flag, or its withdrawal. The member is an admin while any source grants
     * it, so withdrawing the manual grant leaves a directory's in place; asking to withdraw an admin flag that only a
     * directory grants answers {@code 409 managed-by-directory}, because the directory would grant it straight back.
     * The last active admin cannot lose the flag ({@link LastAdminException}, for callers outside a transaction).
     */
    public Membership setAdmin(UUID organizationId, UUID membershipId, boolean admin, Actor actor) {
        Membership current = admin ? lockLive(organizationId, membershipId)
                : lockLiveForAdminChange(organizationId, membershipId);
        Instant now = clock.instant();
        if (admin) {
            return addAdminGrant(current, GrantSource.MANUAL, actor, now);
        }
        Set<GrantSource> sources = memberships.adminSources(organizationId, membershipId);
        Set<GrantSource> others = EnumSet.noneOf(GrantSource.class);
        others.addAll(sources);
        others.remove(GrantSource.MANUAL);
        if (!sources.contains(GrantSource.MANUAL) && !others.isEmpty()) {
            String by = others.stream().map(Enum::name).sorted().collect(Collectors.joining(", "));
            throw new ConflictException("managed-by-directory", "This member is an admin through the identity "
                    + "provider (" + by + "). Change it there.");
        }
        if (!others.isEmpty()) {
            memberships.deleteAdminGrant(organizationId, membershipId, GrantSource.MANUAL);
            recordAdminGrantWithdrawn(current, GrantSource.MANUAL, others, actor);
            return current;
        }
        if (!current.admin()) {
            return current;
        }
        if (current.isActive()) {
            requireAnotherAdmin(organizationId, "demoted");
        }
        memberships.deleteAdminGrant(organizationId, membershipId, GrantSource.MANUAL);
        return changeAdmin(current, false, actor, now);
    }

    /**
     * A directory's (SSO, SCIM) grant of the admin flag, idempotent. Other sources' grants are left alone, so a
     * directory's later withdrawal keeps an admin an admin when an admin made them one by hand too.
     */
    public Membership grantAdmin(UUID organizationId, UUID membershipId, GrantSource source, Actor actor) {
        if (!source.isDirectory()) {
            throw new IllegalArgumentException("an admin's grant goes through setAdmin");
        }
        Membership current = lockLive(organizationId, membershipId);
        return addAdminGrant(current, source, actor, clock.instant());
    }

    /** {@link #grantAdmin(UUID, UUID, GrantSource, Actor)} of the member whose row the caller has locked. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Membership grantAdmin(LockedMembership locked, GrantSource source, Actor actor) {
        if (!source.isDirectory()) {
            throw new IllegalArgumentException("an admin's grant goes through setAdmin");
        }
        Membership result = addAdminGrant(locked.live(), source, actor, clock.instant());
        locked.update(result);
        return result;
    }

    /**
     * Locks the organization's active admins in id order until the caller's transaction ends, for a caller that goes
     * on to lock members in batches ({@link #grantTeamToMembers}, {@link #setTeamRoleOfMembers},
     * {@link #revokeTeamFromMembers}) and then to withdraw a directory's admin grant
     * ({@link #revokeAdminUnlessLast(UUID, UUID, GrantSource, Actor, String)}, which locks the admins): taken first,
     * the admins are locked in the order of every demotion (the admins, then the member), so the two wait for each
     * other's commit instead of deadlocking.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lockActiveAdminsFirst(UUID organizationId) {
        memberships.lockActiveAdmins(organizationId);
    }

    /** What {@link #revokeAdminUnlessLast} did. */
    public enum AdminRevocation {
        /** The member is no longer an admin. */
        REVOKED,
        /** The source's grant is withdrawn, and the member stays an admin through another source's grant. */
        KEPT_BY_ANOTHER_GRANT,
        /** The source did not make the member an admin (or they are no live member): nothing to take back. */
        NOT_ADMIN,
        /**
         * The member is the organization's last active admin and stays one, the source's grant with them (the next
         * change from the source takes effect once another admin exists); the audit log says why.
         */
        KEPT_LAST_ADMIN
    }

    /**
     * Withdraws a directory's grant of the admin flag (the member left the IdP's admin group). The member stops being
     * an admin when no other source grants it, unless they are the organization's last active admin: the rule
     * applies to the result, so they then stay one, and {@code member.admin-kept} in the audit log says why. The
     * outcome is answered, not thrown: a caller inside its own transaction could not catch
     * {@link LastAdminException} from this transactional service without that transaction being marked
     * rollback-only, and its commit would fail (an {@code UnexpectedRollbackException}, a 500). Decided under the
     * same locks as {@link #setAdmin}, so two concurrent revocations cannot both pass.
     */
    public AdminRevocation revokeAdminUnlessLast(UUID organizationId, UUID membershipId, GrantSource source,
                                                 Actor actor, String label) {
        if (!source.isDirectory()) {
            throw new IllegalArgumentException("an admin's withdrawal goes through setAdmin");
        }
        // The same lock order as lockLiveForAdminChange, without its NotFoundException: a member removed meanwhile
        // has no admin flag to take back.
        if (memberships.find(organizationId, membershipId).map(m -> m.admin() && m.isActive()).orElse(false)) {
            memberships.lockActiveAdmins(organizationId);
        }
        Optional<Membership> locked = memberships.lock(organizationId, membershipId)
                .filter(m -> m.status() != MembershipStatus.REMOVED);
        if (locked.isEmpty()) {
            return AdminRevocation.NOT_ADMIN;
        }
        return revokeAdminUnlessLast(locked.get(), source, actor, label, written -> { });
    }

    /**
     * {@link #revokeAdminUnlessLast(UUID, UUID, GrantSource, Actor, String)} of the member whose row the caller has
     * locked, with the same rule and outcome: the organization's active admins are locked and counted when the
     * withdrawal would end the member's admin power. Locked with {@link #lockByAccount(UUID, UUID, GrantSource)}, they
     * are held already, taken in the order every demotion takes them; under a lock of the member's row alone they are
     * locked after it, an order in which two withdrawals, or one and a demotion, may deadlock (PostgreSQL then ends
     * one; neither passes wrongly).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public AdminRevocation revokeAdminUnlessLast(LockedMembership locked, GrantSource source, Actor actor,
                                                 String label) {
        if (!source.isDirectory()) {
            throw new IllegalArgumentException("an admin's withdrawal goes through setAdmin");
        }
        Optional<Membership> live = locked.membership().filter(m -> m.status() != MembershipStatus.REMOVED);
        if (live.isEmpty()) {
            return AdminRevocation.NOT_ADMIN;
        }
        return revokeAdminUnlessLast(live.get(), source, actor, label, locked::update);
    }

    /** The withdrawal, the member's row locked; {@code written} hears of a changed row. */
    private AdminRevocation revokeAdminUnlessLast(Membership current, GrantSource source, Actor actor, String label,
                                                  Consumer<Membership> written) {
        UUID organizationId = current.organizationId();
        UUID membershipId = current.id();
        Set<GrantSource> sources = memberships.adminSources(organizationId, membershipId);
        if (!sources.contains(source)) {
            return AdminRevocation.NOT_ADMIN;
        }
        Set<GrantSource> others = EnumSet.noneOf(GrantSource.class);
        others.addAll(sources);
        others.remove(source);
        if (!others.isEmpty() || !current.admin()) {
            memberships.deleteAdminGrant(organizationId, membershipId, source);
            recordAdminGrantWithdrawn(current, source, others, actor);
            return current.admin() ? AdminRevocation.KEPT_BY_ANOTHER_GRANT : AdminRevocation.NOT_ADMIN;
        }
        if (current.isActive() && memberships.lockActiveAdmins(organizationId) <= 1) {
            Map<String, Object> kept = new LinkedHashMap<>(state(current));
            kept.put("reason", "last-admin");
            kept.put("detail", label + " no longer makes this member an admin, but they are the organization's last "
                    + "active admin, so they stay one. Make another member an admin; the next change from " + label
                    + " then takes effect.");
            audit.record(organizationId, actor, "member.admin-kept", target(current), state(current), kept);
            return AdminRevocation.KEPT_LAST_ADMIN;
        }
        // Another admin remains (and is locked): the flag goes with the source's grant, with all it records.
        memberships.deleteAdminGrant(organizationId, membershipId, source);
        written.accept(changeAdmin(current, false, actor, clock.instant()));
        return AdminRevocation.REVOKED;
    }

    /** Sets the admin flag (the result of the member's grants) with its audit entry and event. */
    private Membership changeAdmin(Membership current, boolean admin, Actor actor, Instant now) {
        return changeAdmin(current, () -> accounts.get(current.accountId()), admin, actor, now);
    }

    /** {@link #changeAdmin(Membership, boolean, Actor, Instant)}, the member's account at hand (or read for it). */
    private Membership changeAdmin(Membership current, Supplier<Account> account, boolean admin, Actor actor,
                                   Instant now) {
        Membership updated = with(current, admin, current.status(), current.source(), actor, now);
        memberships.update(updated);
        audit.record(current.organizationId(), actor, admin ? "member.admin-granted" : "member.admin-revoked",
                target(updated, account.get()), state(current), state(updated));
        events.adminChanged(current, updated, actor);
        return updated;
    }

    /**
     * Adds one source's admin grant, idempotent: the member becomes an admin, or, already one through another source,
     * keeps the flag and gains the grant, which decides whether they stay an admin when that other source withdraws
     * its own (an admin keeping a directory's admin, a directory backing an admin's). That is recorded as a
     * withdrawal is, so the audit log says who made an admin outlast their identity provider.
     */
    private Membership addAdminGrant(Membership current, GrantSource source, Actor actor, Instant now) {
        return addAdminGrant(current, () -> accounts.get(current.accountId()), source, actor, now);
    }

    /**
     * {@link #addAdminGrant(Membership, GrantSource, Actor, Instant)} with the member's account, read only when there
     * is something to record (a join has it at hand). The member's row is locked: their sources, read once, stay
     * as read until the insert.
     */
    private Membership addAdminGrant(Membership current, Supplier<Account> account, GrantSource source, Actor actor,
                                     Instant now) {
        if (!current.admin()) {
            memberships.insertAdminGrant(current.organizationId(), current.id(), source, now);
            return changeAdmin(current, account, true, actor, now);
        }
        Set<GrantSource> before = memberships.adminSources(current.organizationId(), current.id());
        if (!before.contains(source)) {
            memberships.insertNewAdminGrant(current.organizationId(), current.id(), source, now);
            Set<GrantSource> after = EnumSet.of(source);
            after.addAll(before);
            audit.record(current.organizationId(), actor, "member.admin-grant-added", target(current, account.get()),
                    Map.of("adminSources", names(before)),
                    Map.of("adminSource", source.name(), "admin", true, "adminSources", names(after)));
        }
        return current;
    }

    private static List<String> names(Set<GrantSource> sources) {
        return sources.stream().map(Enum::name).sorted().toList();
    }

    /** One source's admin grant withdrawn while the flag stays (another source grants it). */
    private void recordAdminGrantWithdrawn(Membership member, GrantSource source, Set<GrantSource> remaining,
                                           Actor actor) {
        audit.record(member.organizationId(), actor, "member.admin-grant-withdrawn", target(member),
                Map.of("adminSource", source.name()),
                Map.of("admin", member.admin(), "adminSources", names(remaining)));
    }

    /** Ends the member's access while keeping their teams, so {@link #reactivate} restores everything. */
    public Membership suspend(UUID organizationId, UUID membershipId, Actor actor) {
        Membership current = lockLiveForAdminChange(organizationId, membershipId);
        if (current.status() == MembershipStatus.SUSPENDED) {
            return current;
        }
        if (current.admin()) {
            requireAnotherAdmin(organizationId, "suspended");
        }
        Membership updated = with(current, current.admin(), MembershipStatus.SUSPENDED, current.source(), actor,
                clock.instant());
        memberships.update(updated);
        audit.record(organizationId, actor, "member.suspended", target(updated), state(current), state(updated));
        events.statusChanged(current, updated, List.of(), actor);
        return updated;
    }

    public Membership reactivate(UUID organizationId, UUID membershipId, Actor actor) {
        Membership current = lockLive(organizationId, membershipId);
        if (current.isActive()) {
            return current;
        }
        Membership updated = with(current, current.admin(), MembershipStatus.ACTIVE, current.source(), actor,
                clock.instant());
        memberships.update(updated);
        audit.record(organizationId, actor, "member.reactivated", target(updated), state(current), state(updated));
        events.statusChanged(current, updated, List.of(), actor);
        return updated;
    }

    /** Removes the member: no access, no teams, no admin flag. Personal resources stay with the organization. */
    public void remove(UUID organizationId, UUID membershipId, Actor actor) {
        Membership current = lockLiveForAdminChange(organizationId, membershipId);
        if (current.admin() && current.isActive()) {
            requireAnotherAdmin(organizationId, "removed");
        }
        List<TeamGrant> teamsBefore = memberships.grants(organizationId, membershipId);
        memberships.deleteAllGrants(organizationId, membershipId);
        memberships.deleteAdminGrants(organizationId, membershipId);
        Membership updated = with(current, false, MembershipStatus.REMOVED, current.source(), actor, clock.instant());
        memberships.update(updated);
        Map<String, Object> before = new LinkedHashMap<>(state(current));
        before.put("teams", teamsBefore.stream().map(TeamGrant::teamName).toList());
        audit.record(organizationId, actor, "member.removed", target(updated), before, state(updated));
        events.statusChanged(current, updated, teamsBefore, actor);
        // Listeners run now, in this transaction: what they end for the member ends with the removal or not at all.
        publisher.publishEvent(new MemberRemoved(organizationId, membershipId));
    }

    /**
     * Sets the member's role in a team through one source's grant (an admin's is MANUAL), adding that grant when the
     * member has none from the source. Other sources' grants and roles stay as they are.
     */
    public void setTeamRole(UUID organizationId, UUID membershipId, UUID teamId, TeamRole role, GrantSource source,
                            Actor actor) {
        Membership member = lockLive(organizationId, membershipId);
        Team team = requireTeam(organizationId, teamId);
        Instant now = clock.instant();
        Map<UUID, Map<UUID, TeamRole>> rolesBefore = memberships.effectiveRoles(organizationId, List.of(teamId),
                List.of(membershipId));
        Optional<TeamRole> before = memberships.grantRole(organizationId, teamId, membershipId, source);
        List<Team> added = new ArrayList<>();
        if (before.isEmpty() && grant(member, accounts.get(member.accountId()), team, source, actor, now)) {
            added.add(team);
        }
        if (before.orElse(TeamRole.MEMBER) != role) {
            memberships.setGrantRole(organizationId, teamId, membershipId, source, role);
            recordRoleChange(member, team, before.orElse(TeamRole.MEMBER), role, source, actor);
        }
        events.teamsChanged(organizationId, List.of(membershipId), added, List.of(), rolesBefore, source, actor);
    }

    /** Grants a team from one source. Idempotent: granting what is already granted changes nothing. */
    public void grantTeam(UUID organizationId, UUID membershipId, UUID teamId, GrantSource source, Actor actor) {
        Membership member = lockLive(organizationId, membershipId);
        Team team = requireTeam(organizationId, teamId);
        if (grant(member, accounts.get(member.accountId()), team, source, actor, clock.instant())) {
            events.teamsChanged(organizationId, List.of(membershipId), List.of(team), List.of(), source, actor);
        }
    }

    /**
     * Withdraws one source's grant of a team. An admin (MANUAL) asking to remove a place that only a directory grants
     * is told so, because the directory would put the member straight back.
     */
    public void revokeTeam(UUID organizationId, UUID membershipId, UUID teamId, GrantSource source, Actor actor) {
        Membership member = lockLive(organizationId, membershipId);
        Team team = requireTeam(organizationId, teamId);
        Map<UUID, Map<UUID, TeamRole>> rolesBefore = memberships.effectiveRoles(organizationId, List.of(teamId),
                List.of(membershipId));
        if (!memberships.deleteGrant(organizationId, teamId, membershipId, source)) {
            Optional<TeamGrant> grant = memberships.grants(organizationId, membershipId).stream()
                    .filter(g -> g.teamId().equals(teamId)).findFirst();
            if (grant.isPresent() && source == GrantSource.MANUAL) {
                String by = grant.get().sources().stream().map(s -> s.name()).sorted().collect(Collectors.joining(", "));
                throw new ConflictException("managed-by-directory", "This member is in " + team.name()
                        + " through the identity provider (" + by + "). Change it there.");
            }
            if (grant.isEmpty() && source == GrantSource.MANUAL) {
                throw new NotFoundException("This member is not in " + team.name() + ".");
            }
            return;
        }
        audit.record(organizationId, actor, "team.member-removed", teamTarget(team),
                Map.of("member", label(member), "source", source.name()), null);
        events.teamsChanged(organizationId, List.of(membershipId), List.of(), List.of(team), rolesBefore, source,
                actor);
    }

    /**
     * Makes one directory source's grants equal {@code teamIds}, each with the role {@code member}; see
     * {@link #syncTeams(UUID, UUID, GrantSource, Map, Actor)}.
     */
    public void syncTeams(UUID organizationId, UUID membershipId, GrantSource source, Set<UUID> teamIds, Actor actor) {
        Map<UUID, TeamRole> teams = new LinkedHashMap<>();
        teamIds.forEach(id -> teams.put(id, TeamRole.MEMBER));
        syncTeams(organizationId, membershipId, source, teams, actor);
    }

    /**
     * Makes one directory source's grants equal {@code teams} (team → the role that source gives): adds what is
     * missing, withdraws what is no longer there, sets the role of grants whose role changed, and leaves other
     * sources' grants alone, so a directory never lowers a role an admin gave with their own grant.
     */
    public void syncTeams(UUID organizationId, UUID membershipId, GrantSource source, Map<UUID, TeamRole> teams,
                          Actor actor) {
        if (!source.isDirectory()) {
            throw new IllegalArgumentException("only directories synchronise teams");
        }
        syncTeams(lockLive(organizationId, membershipId), source, teams, actor);
    }

    /**
     * {@link #syncTeams(UUID, UUID, GrantSource, Map, Actor)} of the member whose row the caller has locked (team
     * grants are rows of their own: the member's row does not change).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void syncTeams(LockedMembership locked, GrantSource source, Map<UUID, TeamRole> teams, Actor actor) {
        if (!source.isDirectory()) {
            throw new IllegalArgumentException("only directories synchronise teams");
        }
        syncTeams(locked.live(), source, teams, actor);
    }

    private void syncTeams(Membership member, GrantSource source, Map<UUID, TeamRole> teams, Actor actor) {
        UUID organizationId = member.organizationId();
        UUID membershipId = member.id();
        Map<UUID, TeamRole> current = memberships.grantRoles(organizationId, source, List.of(membershipId))
                .getOrDefault(membershipId, Map.of());
        Instant now = clock.instant();
        Set<UUID> toAdd = new HashSet<>(teams.keySet());
        toAdd.removeAll(current.keySet());
        Set<UUID> toRemove = new HashSet<>(current.keySet());
        toRemove.removeAll(teams.keySet());
        Set<UUID> toChange = new HashSet<>();
        current.forEach((team, role) -> {
            if (teams.containsKey(team) && teams.get(team) != role) {
                toChange.add(team);
            }
        });
        if (toAdd.isEmpty() && toRemove.isEmpty() && toChange.isEmpty()) {
            // The usual sign-in: nothing changes, so the account (for the audit entries) is not read.
            return;
        }
        Set<UUID> touched = new HashSet<>(teams.keySet());
        touched.addAll(toRemove);
        Map<UUID, Map<UUID, TeamRole>> rolesBefore = memberships.effectiveRoles(organizationId, touched,
                List.of(membershipId));
        Account account = accounts.get(member.accountId());
        List<Team> added = new ArrayList<>();
        for (Team team : requireTeams(organizationId, toAdd)) {
            if (grant(member, account, team, source, teams.get(team.id()), actor, now)) {
                added.add(team);
            }
        }
        for (Team team : this.teams.findAll(organizationId, toChange)) {
            memberships.setGrantRole(organizationId, team.id(), membershipId, source, teams.get(team.id()));
            recordRoleChange(member, team, current.get(team.id()), teams.get(team.id()), source, actor);
        }
        List<Team> withdrawn = new ArrayList<>();
        for (Team team : this.teams.findAll(organizationId, toRemove)) {
            if (memberships.deleteGrant(organizationId, team.id(), membershipId, source)) {
                withdrawn.add(team);
            }
            audit.record(organizationId, actor, "team.member-removed", teamTarget(team),
                    Map.of("member", account.email(), "source", source.name()), null);
        }
        events.teamsChanged(organizationId, List.of(membershipId), added, withdrawn, rolesBefore, source, actor);
    }

    /**
     * Grants one team from one source to many members in one go (a directory group of thousands gaining a mapped
     * team), with the same rules as {@link #grantTeam}: removed members are skipped, existing grants stay as they are.
     * One audit entry names every member who gained the team. Returns those members.
     */
    public List<UUID> grantTeamToMembers(UUID organizationId, UUID teamId, Collection<UUID> membershipIds,
                                         GrantSource source, Actor actor) {
        return grantTeamToMembers(organizationId, teamId, membershipIds, source, TeamRole.MEMBER, actor);
    }

    /**
     * As {@link #grantTeamToMembers(UUID, UUID, Collection, GrantSource, Actor)}, the new grants carrying
     * {@code role}. Existing grants of the source keep their role ({@link #setTeamRoleOfMembers} changes it).
     */
    public List<UUID> grantTeamToMembers(UUID organizationId, UUID teamId, Collection<UUID> membershipIds,
                                         GrantSource source, TeamRole role, Actor actor) {
        Team team = requireTeam(organizationId, teamId);
        Instant now = clock.instant();
        List<UUID> granted = new ArrayList<>();
        Map<UUID, Map<UUID, TeamRole>> rolesBefore = new HashMap<>();
        for (List<UUID> chunk : chunks(membershipIds)) {
            List<UUID> live = memberships.lockLive(organizationId, chunk).stream().map(Membership::id).toList();
            Set<UUID> holding = memberships.holdingGrant(organizationId, teamId, source, live);
            List<UUID> missing = live.stream().filter(id -> !holding.contains(id)).toList();
            if (role != TeamRole.MEMBER) {
                // A maintainer grant raises the role of those already in the team through another source.
                rolesBefore.putAll(memberships.effectiveRoles(organizationId, List.of(teamId), missing));
            }
            memberships.insertGrants(organizationId, teamId, missing, source, role, now);
            granted.addAll(missing);
        }
        recordBatch(organizationId, team, granted, source, actor, "team.member-added", "team.members-added", true);
        events.teamsChanged(organizationId, granted, List.of(team), List.of(), rolesBefore, source, actor);
        return granted;
    }

    /**
     * Sets the role of one source's grant of a team for many members in one go (a directory mapping whose role
     * changed); members without that source's grant are left alone, and so are other sources' grants. One audit entry
     * names every member whose grant changed. Returns those members.
     */
    public List<UUID> setTeamRoleOfMembers(UUID organizationId, UUID teamId, Collection<UUID> membershipIds,
                                           GrantSource source, TeamRole role, Actor actor) {
        if (!source.isDirectory()) {
            throw new IllegalArgumentException("only directories change roles in bulk");
        }
        Team team = requireTeam(organizationId, teamId);
        List<UUID> changed = new ArrayList<>();
        Map<UUID, Map<UUID, TeamRole>> rolesBefore = new HashMap<>();
        for (List<UUID> chunk : chunks(membershipIds)) {
            List<UUID> live = memberships.lockLive(organizationId, chunk).stream().map(Membership::id).toList();
            List<UUID> differing = memberships.grantRoles(organizationId, source, live).entrySet().stream()
                    .filter(e -> e.getValue().containsKey(teamId) && e.getValue().get(teamId) != role)
                    .map(Map.Entry::getKey).toList();
            rolesBefore.putAll(memberships.effectiveRoles(organizationId, List.of(teamId), differing));
            memberships.setGrantRoles(organizationId, teamId, differing, source, role);
            changed.addAll(differing);
        }
        if (!changed.isEmpty()) {
            Map<UUID, String> emails = memberships.emails(organizationId, changed);
            Map<String, Object> details = new LinkedHashMap<>();
            if (changed.size() == 1) {
                details.put("member", emails.getOrDefault(changed.get(0), changed.get(0).toString()));
            }
            else {
                details.put("members", List.copyOf(emails.values()));
                details.put("count", changed.size());
            }
            details.put("role", role.name());
            details.put("source", source.name());
            audit.record(organizationId, actor, changed.size() == 1 ? "team.member-role-changed"
                    : "team.members-role-changed", teamTarget(team), null, details);
        }
        events.teamsChanged(organizationId, changed, List.of(), List.of(), rolesBefore, source, actor);
        return changed;
    }

    /**
     * Withdraws one source's grant of a team from many members in one go; the counterpart of
     * {@link #grantTeamToMembers}. Other sources' grants are left alone. Returns the members who lost the grant.
     */
    public List<UUID> revokeTeamFromMembers(UUID organizationId, UUID teamId, Collection<UUID> membershipIds,
                                            GrantSource source, Actor actor) {
        if (!source.isDirectory()) {
            throw new IllegalArgumentException("only directories withdraw grants in bulk");
        }
        Team team = requireTeam(organizationId, teamId);
        List<UUID> revoked = new ArrayList<>();
        Map<UUID, Map<UUID, TeamRole>> rolesBefore = new HashMap<>();
        for (List<UUID> chunk : chunks(membershipIds)) {
            List<UUID> live = memberships.lockLive(organizationId, chunk).stream().map(Membership::id).toList();
            List<UUID> holding = List.copyOf(memberships.holdingGrant(organizationId, teamId, source, live));
            // Withdrawing a maintainer grant lowers the role of those another source keeps in the team.
            rolesBefore.putAll(memberships.effectiveRoles(organizationId, List.of(teamId), holding));
            memberships.deleteGrants(organizationId, teamId, holding, source);
            revoked.addAll(holding);
        }
        recordBatch(organizationId, team, revoked, source, actor, "team.member-removed", "team.members-removed", false);
        events.teamsChanged(organizationId, revoked, List.of(), List.of(team), rolesBefore, source, actor);
        return revoked;
    }

    private void recordBatch(UUID organizationId, Team team, List<UUID> members, GrantSource source, Actor actor,
                             String singleAction, String batchAction, boolean added) {
        if (members.isEmpty()) {
            return;
        }
        Map<UUID, String> emails = memberships.emails(organizationId, members);
        Map<String, Object> details;
        String action;
        if (members.size() == 1) {
            action = singleAction;
            details = Map.of("member", emails.getOrDefault(members.get(0), members.get(0).toString()),
                    "source", source.name());
        }
        else {
            action = batchAction;
            details = new LinkedHashMap<>();
            details.put("members", List.copyOf(emails.values()));
            details.put("count", members.size());
            details.put("source", source.name());
        }
        audit.record(organizationId, actor, action, teamTarget(team), added ? null : details, added ? details : null);
    }

    private static List<List<UUID>> chunks(Collection<UUID> ids) {
        // In the database's order of ids, as lockLive locks each chunk: the chunks' locks come in one order too.
        List<UUID> sorted = ids.stream().distinct().sorted(Ids.DATABASE_ORDER).toList();
        List<List<UUID>> chunks = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i += BATCH_SIZE) {
            chunks.add(sorted.subList(i, Math.min(sorted.size(), i + BATCH_SIZE)));
        }
        return chunks;
    }

    /**
     * Deletes a team (its blockers were asked about by {@link TeamService#delete}): every member who holds it, through
     * any source, suspended ones too, loses it with an audit entry and a {@code member.teams_changed} (source manual,
     * an admin's act), then {@code team.deleted} says how many lost it. The grants are withdrawn here rather than by
     * the foreign key's cascade, so the change is recorded like every other loss of a team.
     */
    void deleteTeam(Team team, Actor actor) {
        UUID organizationId = team.organizationId();
        Map<UUID, Set<GrantSource>> holders = memberships.holdersOfTeam(organizationId, team.id());
        Map<UUID, String> emails = memberships.emails(organizationId, holders.keySet());
        memberships.deleteGrantsOfTeam(organizationId, team.id());
        for (Map.Entry<UUID, Set<GrantSource>> holder : holders.entrySet()) {
            Map<String, Object> before = new LinkedHashMap<>();
            before.put("member", emails.getOrDefault(holder.getKey(), holder.getKey().toString()));
            before.put("sources", holder.getValue().stream().map(Enum::name).sorted().toList());
            before.put("reason", "team-deleted");
            audit.record(organizationId, actor, "team.member-removed", teamTarget(team), before, null);
        }
        events.teamsChanged(organizationId, holders.keySet(), List.of(), List.of(team), GrantSource.MANUAL, actor);
        teams.delete(organizationId, team.id());
        audit.record(organizationId, actor, "team.deleted", teamTarget(team), team.description() == null
                        ? Map.of("name", team.name()) : Map.of("name", team.name(), "description", team.description()),
                Map.of("membersAffected", (long) holders.size()));
        events.teamDeleted(team, holders.size(), actor);
    }

    /** Grants the team from the source; true when the grant is new. */
    private boolean grant(Membership member, Account account, Team team, GrantSource source, Actor actor, Instant now) {
        return grant(member, account, team, source, TeamRole.MEMBER, actor, now);
    }

    /** Grants the team from the source with a role; true when the grant is new. */
    private boolean grant(Membership member, Account account, Team team, GrantSource source, TeamRole role,
                          Actor actor, Instant now) {
        if (memberships.insertGrant(member.organizationId(), team.id(), member.id(), source, role, now)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("member", account.email());
            details.put("source", source.name());
            if (role != TeamRole.MEMBER) {
                details.put("role", role.name());
            }
            audit.record(member.organizationId(), actor, "team.member-added", teamTarget(team), null, details);
            return true;
        }
        return false;
    }

    private void recordRoleChange(Membership member, Team team, TeamRole from, TeamRole to, GrantSource source,
                                  Actor actor) {
        audit.record(member.organizationId(), actor, "team.member-role-changed", teamTarget(team),
                Map.of("member", label(member), "role", from.name(), "source", source.name()),
                Map.of("member", label(member), "role", to.name(), "source", source.name()));
    }

    private Membership lockLive(UUID organizationId, UUID membershipId) {
        return memberships.lock(organizationId, membershipId)
                .filter(m -> m.status() != MembershipStatus.REMOVED)
                .orElseThrow(() -> new NotFoundException("Member not found."));
    }

    /**
     * Locks a member who may be about to lose admin power. When the member is an active admin, the organization's
     * admins are locked first, in id order, and only then the member: two admins demoting (or removing) each other
     * at once then queue on the same first row instead of each holding the row the other needs, so the second
     * waits, sees the first's change, and is refused as the last admin rather than failing on a deadlock.
     */
    private Membership lockLiveForAdminChange(UUID organizationId, UUID membershipId) {
        boolean activeAdmin = memberships.find(organizationId, membershipId)
                .map(m -> m.admin() && m.isActive()).orElse(false);
        if (activeAdmin) {
            memberships.lockActiveAdmins(organizationId);
        }
        return lockLive(organizationId, membershipId);
    }

    private void requireAnotherAdmin(UUID organizationId, String what) {
        if (memberships.lockActiveAdmins(organizationId) <= 1) {
            throw new LastAdminException(what);
        }
    }

    private Team requireTeam(UUID organizationId, UUID teamId) {
        return teams.find(organizationId, teamId).orElseThrow(() -> new NotFoundException("Team not found."));
    }

    private List<Team> requireTeams(UUID organizationId, Set<UUID> teamIds) {
        List<Team> found = teams.findAll(organizationId, teamIds);
        if (found.size() != teamIds.size()) {
            throw InvalidRequestException.field("teams", "One or more teams do not exist in this organization.");
        }
        return found;
    }

    private static Membership with(Membership m, boolean admin, MembershipStatus status, MembershipSource source,
                                   Actor actor, Instant now) {
        return new Membership(m.id(), m.organizationId(), m.accountId(), admin, status, source,
                status == m.status() ? m.statusChangedBy() : actor.channel(), m.createdAt(), now);
    }

    private static Map<String, Object> state(Membership m) {
        return Map.of("admin", m.admin(), "status", m.status().name(), "source", m.source().name());
    }

    private AuditTarget target(Membership m) {
        return target(m, accounts.get(m.accountId()));
    }

    private static AuditTarget target(Membership m, Account account) {
        return AuditTarget.of("member", m.id(), account.email());
    }

    private String label(Membership m) {
        return accounts.get(m.accountId()).email();
    }

    private static AuditTarget teamTarget(Team team) {
        return AuditTarget.of("team", team.id(), team.name());
    }
}
