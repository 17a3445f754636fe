package dev.roster.resource;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;

/**
 * Team quotas on environments: how many leases each team may hold at once there. A team without a quota of its own
 * uses the environment's default ({@code defaultTeamQuota}); without one it is unlimited. Admins set them.
 */
@Service
@Transactional
public class Quotas {

    /** The most a quota may be; far above any real use, so a typo does not overflow anything. */
    public static final int MAX = 1_000_000;

    private final ResourceRepository resources;
    private final QuotaRepository quotas;
    private final TeamService teams;
    private final AuditLog audit;
    private final Clock clock;

    Quotas(ResourceRepository resources, QuotaRepository quotas, TeamService teams, AuditLog audit, Clock clock) {
        this.resources = resources;
        this.quotas = quotas;
        this.teams = teams;
        this.audit = audit;
        this.clock = clock;
    }

    public QuotaUsage set(UUID organizationId, UUID teamId, UUID environmentId, Integer maxConcurrent, Actor actor) {
        Team team = teams.get(organizationId, teamId);
        Resource environment = environment(organizationId, environmentId);
        int max = check(maxConcurrent, "maxConcurrent");
        Instant now = clock.instant();
        Integer before = quotas.quota(organizationId, teamId, environmentId).orElse(null);
        if (before == null) {
            quotas.insertQuota(organizationId, teamId, environmentId, max, now);
        }
        else {
            quotas.updateQuota(organizationId, teamId, environmentId, max, now);
        }
        audit.record(organizationId, actor, "team.quota-set", AuditTarget.of("team", team.id(), team.name()),
                before == null ? null : Map.of("environment", environment.name(), "maxConcurrent", before),
                Map.of("environment", environment.name(), "maxConcurrent", max));
        return usage(organizationId, team, environment);
    }

    @Transactional(readOnly = true)
    public QuotaUsage get(UUID organizationId, UUID teamId, UUID environmentId) {
        Team team = teams.get(organizationId, teamId);
        Resource environment = environment(organizationId, environmentId);
        if (quotas.quota(organizationId, teamId, environmentId).isEmpty()) {
            throw new NotFoundException(team.name() + " has no quota of its own on " + environment.name() + ".");
        }
        return usage(organizationId, team, environment);
    }

    public void delete(UUID organizationId, UUID teamId, UUID environmentId, Actor actor) {
        Team team = teams.get(organizationId, teamId);
        Resource environment = environment(organizationId, environmentId);
        Integer before = quotas.quota(organizationId, teamId, environmentId).orElseThrow(() ->
                new NotFoundException(team.name() + " has no quota of its own on " + environment.name() + "."));
        quotas.deleteQuota(organizationId, teamId, environmentId);
        audit.record(organizationId, actor, "team.quota-removed", AuditTarget.of("team", team.id(), team.name()),
                Map.of("environment", environment.name(), "maxConcurrent", before), null);
    }

    /** The team's own quotas, each with its usage, by environment name. */
    @Transactional(readOnly = true)
    public List<QuotaUsage> ofTeam(UUID organizationId, UUID teamId) {
        Team team = teams.get(organizationId, teamId);
        Map<UUID, Integer> own = quotas.quotasOfTeam(organizationId, teamId);
        Map<UUID, Long> held = quotas.inUseByTeam(organizationId, teamId, clock.instant());
        List<QuotaUsage> result = new ArrayList<>();
        for (UUID environmentId : own.keySet()) {
            resources.find(organizationId, environmentId).ifPresent(environment -> result.add(new QuotaUsage(
                    team.id(), team.name(), environment.id(), environment.name(), own.get(environmentId), false,
                    held.getOrDefault(environmentId, 0L))));
        }
        result.sort(Comparator.comparing(QuotaUsage::environmentName, String.CASE_INSENSITIVE_ORDER));
        return result;
    }

    /**
     * Every team with a quota of its own on the environment or a lease there now, with its usage, by team name; the
     * environment's default applies to the teams without their own.
     */
    @Transactional(readOnly = true)
    public List<QuotaUsage> onEnvironment(UUID organizationId, UUID environmentId) {
        Resource environment = environment(organizationId, environmentId);
        Map<UUID, Integer> own = quotas.quotas(organizationId, environmentId, null);
        Map<UUID, Long> held = quotas.inUse(organizationId, environmentId, null, clock.instant());
        Set<UUID> teamIds = new java.util.HashSet<>(own.keySet());
        teamIds.addAll(held.keySet());
        Integer fallback = quotas.defaultQuota(organizationId, environmentId).orElse(null);
        return teams.findAll(organizationId, teamIds).stream()
                .map(team -> new QuotaUsage(team.id(), team.name(), environment.id(), environment.name(),
                        own.containsKey(team.id()) ? own.get(team.id()) : fallback, !own.containsKey(team.id())
                        && fallback != null, held.getOrDefault(team.id(), 0L)))
                .sorted(Comparator.comparing(QuotaUsage::teamName, String.CASE_INSENSITIVE_ORDER))
                .toList();
    }

    /** The environment's default quota for teams without their own; null when there is none. */
    @Transactional(readOnly = true)
    public Integer defaultQuota(UUID organizationId, UUID environmentId) {
        return quotas.defaultQuota(organizationId, environmentId).orElse(null);
    }

    /** Usage of the given teams on the environment at {@code now}, in the order given. */
    List<QuotaUsage> usage(UUID organizationId, Resource environment, List<AccessDecision.TeamRef> teamsToCount,
                           Instant now) {
        List<UUID> ids = teamsToCount.stream().map(AccessDecision.TeamRef::id).toList();
        Map<UUID, Integer> own = quotas.quotas(organizationId, environment.id(), ids);
        Map<UUID, Long> held = quotas.inUse(organizationId, environment.id(), ids, now);
        Integer fallback = quotas.defaultQuota(organizationId, environment.id()).orElse(null);
        return teamsToCount.stream().map(team -> new QuotaUsage(team.id(), team.name(), environment.id(),
                environment.name(), own.containsKey(team.id()) ? own.get(team.id()) : fallback,
                !own.containsKey(team.id()) && fallback != null, held.getOrDefault(team.id(), 0L)))
                .collect(Collectors.toList());
    }

    /** Sets or (with null) clears the environment's default quota; in the caller's transaction. */
    void setDefault(UUID organizationId, Resource resource, Integer value, Actor actor) {
        if (resource.kind() != ResourceKind.ENVIRONMENT) {
            throw InvalidRequestException.field("defaultTeamQuota", "Only environments have team quotas.");
        }
        Integer checked = value == null ? null : check(value, "defaultTeamQuota");
        Integer before = quotas.defaultQuota(organizationId, resource.id()).orElse(null);
        if (java.util.Objects.equals(before, checked)) {
            return;
        }
        quotas.setDefaultQuota(organizationId, resource.id(), checked);
        Map<String, Object> was = new LinkedHashMap<>();
        was.put("defaultTeamQuota", before);
        Map<String, Object> now = new LinkedHashMap<>();
        now.put("defaultTeamQuota", checked);
        audit.record(organizationId, actor, "resource.default-quota-changed",
                AuditTarget.of("resource", resource.id(), resource.name()), was, now);
    }

    private QuotaUsage usage(UUID organizationId, Team team, Resource environment) {
        return usage(organizationId, environment, List.of(new AccessDecision.TeamRef(team.id(), team.name())),
                clock.instant()).get(0);
    }

    Resource environment(UUID organizationId, UUID environmentId) {
        Resource resource = resources.find(organizationId, environmentId).orElseThrow(ResourceService::notFound);
        if (resource.kind() != ResourceKind.ENVIRONMENT) {
            throw new InvalidRequestException("Quotas and leases are for environments; " + resource.name()
                    + " is not one.");
        }
        return resource;
    }

    private static int check(Integer value, String field) {
        if (value == null) {
            throw InvalidRequestException.field(field, field + " is required.");
        }
        if (value < 0 || value > MAX) {
            throw InvalidRequestException.field(field, field + " must be between 0 and " + MAX + ".");
        }
        return value;
    }
}
