package dev.roster.resource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.TeamGrant;
import dev.roster.membership.TeamService;
import dev.roster.shared.ConflictException;
import dev.roster.shared.ForbiddenException;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;

/**
 * Leases: a host application takes one of a team's places on an environment for a person, for a while. A lease is
 * counted against one of the person's teams that reaches the environment (the team that owns it, or any of their
 * teams for an organization-shared one), the one asked for or else the one with most room.
 *
 * <p>Every acquisition and renewal on one environment locks that environment's resource row first ({@code SELECT …
 * FOR UPDATE}), so they run one after the other on every Roster instance sharing the database: each counts the
 * leases held after the previous one committed, and a team never holds more than its quota. Expired leases count
 * for nothing (every count compares {@code expires_at} with now), so they free their place without any call.
 */
@Service
@Transactional
public class Leases {

    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    public static final Duration MAX_TTL = Duration.ofDays(1);

    private final ResourceRepository resources;
    private final QuotaRepository repository;
    private final Quotas quotas;
    private final MemberReads members;
    private final TeamService teams;
    private final Clock clock;

    Leases(ResourceRepository resources, QuotaRepository repository, Quotas quotas, MemberReads members,
           TeamService teams, Clock clock) {
        this.resources = resources;
        this.repository = repository;
        this.quotas = quotas;
        this.members = members;
        this.teams = teams;
        this.clock = clock;
    }

    /** A lease just taken, with the places its team has left there (null when unlimited). */
    public record Acquired(Lease lease, Long remaining) {
    }

    public Acquired acquire(UUID organizationId, UUID environmentId, UUID accountId, UUID teamId, Long ttlSeconds) {
        Duration ttl = ttl(ttlSeconds);
        // What needs no lock is read before taking it, so the lock is held for the count and the insert only. An id
        // that is not an environment of this organization is answered first, whoever the person is.
        if (resources.find(organizationId, environmentId).isEmpty()) {
            throw ResourceService.notFound();
        }
        Membership member = activeMember(organizationId, accountId);
        List<TeamGrant> grants = members.teams(organizationId, member.id());
        Resource environment = lockEnvironment(organizationId, environmentId);
        List<AccessDecision.TeamRef> reaching = reaching(environment, grants);
        if (reaching.isEmpty()) {
            throw new ConflictException("no-team", "Leases are counted against a team, and this person is in no team "
                    + "that reaches " + environment.name() + ".");
        }
        if (teamId != null && reaching.stream().noneMatch(t -> t.id().equals(teamId))) {
            throw InvalidRequestException.field("team", "This person is not in that team, or the team does not "
                    + "reach " + environment.name() + ".");
        }
        Instant now = clock.instant();
        List<QuotaUsage> usage = quotas.usage(organizationId, environment, reaching, now);
        Optional<QuotaUsage> chosen = teamId != null
                ? usage.stream().filter(u -> u.teamId().equals(teamId)).filter(QuotaUsage::hasRoom).findFirst()
                : usage.stream().filter(QuotaUsage::hasRoom).max(Comparator.comparing(Leases::room));
        if (chosen.isEmpty()) {
            throw new QuotaExhaustedException((teamId != null ? "The team has" : "Every team of this person that "
                    + "reaches " + environment.name() + " has") + " all its places on " + environment.name()
                    + " in use. Try again when a lease ends.", usage);
        }
        QuotaUsage team = chosen.get();
        Lease lease = new Lease(Ids.newId(), organizationId, environment.id(), team.teamId(), team.teamName(),
                member.id(), accountId, null, now, now.plus(ttl));
        repository.insertLease(lease);
        return new Acquired(repository.lease(organizationId, lease.id()).orElseThrow(),
                team.maxConcurrent() == null ? null : team.maxConcurrent() - team.inUse() - 1);
    }

    /**
     * Extends a lease that has not expired, for someone who still reaches the environment through its team. An expired
     * lease is gone (its place may be someone else's now): 409 {@code lease-expired}, take a new one.
     */
    public Lease renew(UUID organizationId, UUID leaseId, Long ttlSeconds) {
        Duration ttl = ttl(ttlSeconds);
        Lease lease = repository.lease(organizationId, leaseId).orElseThrow(Leases::notFound);
        Resource environment = lockEnvironment(organizationId, lease.environmentId());
        Instant now = clock.instant();
        lease = repository.lease(organizationId, leaseId).orElseThrow(Leases::notFound);
        if (!lease.expiresAt().isAfter(now)) {
            throw new ConflictException("lease-expired", "This lease expired and its place was freed. Take a new one.");
        }
        Membership member = activeMember(organizationId, lease.accountId());
        UUID teamId = lease.teamId();
        if (reaching(environment, members.teams(organizationId, member.id())).stream()
                .noneMatch(t -> t.id().equals(teamId))) {
            throw new ForbiddenException("no-access", "This person no longer reaches " + environment.name()
                    + " through " + lease.teamName() + ".");
        }
        repository.renew(organizationId, leaseId, now.plus(ttl));
        return repository.lease(organizationId, leaseId).orElseThrow();
    }

    public void release(UUID organizationId, UUID leaseId) {
        if (!repository.deleteLease(organizationId, leaseId)) {
            throw notFound();
        }
    }

    @Transactional(readOnly = true)
    public Lease get(UUID organizationId, UUID leaseId) {
        return repository.lease(organizationId, leaseId).orElseThrow(Leases::notFound);
    }

    /** Leases held now, soonest to expire first; on one environment and/or of one team when given. */
    @Transactional(readOnly = true)
    public List<Lease> held(UUID organizationId, UUID environmentId, UUID teamId, int limit) {
        if (environmentId != null) {
            quotas.environment(organizationId, environmentId);
        }
        if (teamId != null) {
            teams.get(organizationId, teamId);
        }
        return repository.active(organizationId, environmentId, teamId, clock.instant(), limit);
    }

    /**
     * The quota of each of the account's teams that reach the environment, for the decision endpoint; empty for a
     * resource that is not an environment or an account with no such team.
     */
    @Transactional(readOnly = true)
    public List<QuotaUsage> quotaFor(UUID organizationId, UUID resourceId, UUID membershipId) {
        Resource resource = resources.find(organizationId, resourceId).orElse(null);
        if (resource == null || resource.kind() != ResourceKind.ENVIRONMENT || membershipId == null) {
            return List.of();
        }
        List<AccessDecision.TeamRef> reaching = reaching(resource, members.teams(organizationId, membershipId));
        return reaching.isEmpty() ? List.of() : quotas.usage(organizationId, resource, reaching, clock.instant());
    }

    /** Expired leases hold nothing already; deleting them a day later only keeps the table small. */
    @Scheduled(cron = "${roster.leases.purge-cron:0 41 * * * *}")
    public void purgeExpired() {
        repository.purgeExpired(clock.instant().minus(Duration.ofDays(1)));
    }

    /**
     * The person's teams through which they reach the environment (any of their teams for an organization-shared
     * one, the owning team for a team's), by name.
     */
    private static List<AccessDecision.TeamRef> reaching(Resource environment, List<TeamGrant> grants) {
        return grants.stream()
                .filter(g -> switch (environment.owner().type()) {
                    case ORGANIZATION -> true;
                    case TEAM -> g.teamId().equals(environment.owner().id());
                    case MEMBER -> false;
                })
                .map(g -> new AccessDecision.TeamRef(g.teamId(), g.teamName())).toList();
    }

    private Membership activeMember(UUID organizationId, UUID accountId) {
        Membership member = members.findByAccount(organizationId, accountId).orElseThrow(() ->
                new ForbiddenException("no-access", "This account is not a member of this organization."));
        if (member.status() != MembershipStatus.ACTIVE) {
            throw new ForbiddenException("no-access", "This member is " + member.status().name()
                    .toLowerCase(java.util.Locale.ROOT) + " and takes no lease.");
        }
        return member;
    }

    private Resource lockEnvironment(UUID organizationId, UUID environmentId) {
        Resource resource = resources.lock(organizationId, environmentId).orElseThrow(ResourceService::notFound);
        if (resource.kind() != ResourceKind.ENVIRONMENT) {
            throw InvalidRequestException.field("environment", resource.name() + " is not an environment.");
        }
        return resource;
    }

    private static long room(QuotaUsage usage) {
        return usage.maxConcurrent() == null ? Long.MAX_VALUE : usage.maxConcurrent() - usage.inUse();
    }

    private static Duration ttl(Long seconds) {
        if (seconds == null) {
            return DEFAULT_TTL;
        }
        if (seconds < 1 || seconds > MAX_TTL.toSeconds()) {
            throw InvalidRequestException.field("ttlSeconds", "ttlSeconds must be between 1 and "
                    + MAX_TTL.toSeconds() + ".");
        }
        return Duration.ofSeconds(seconds);
    }

    private static NotFoundException notFound() {
        return new NotFoundException("Lease not found.");
    }
}
