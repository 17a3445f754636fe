package dev.roster.resource.web;

import java.util.List;
import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.resource.AccessDecision;
import dev.roster.resource.Leases;
import dev.roster.resource.ResourceAccess;
import dev.roster.resource.ResourceKind;
import dev.roster.shared.ForbiddenException;
import dev.roster.shared.MemberAccess;
import dev.roster.shared.OrgContext;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.web.WireNames;

/**
 * For host applications: may account X use resource Y, and why; and what a member reaches. Admins ask about anyone in
 * their organization, a member only about themselves.
 */
@RestController
class AccessApiController {

    private final ResourceAccess access;
    private final Leases leases;

    AccessApiController(ResourceAccess access, Leases leases) {
        this.access = access;
        this.leases = leases;
    }

    /** One team's quota on an environment, as decisions show it; {@code maxConcurrent} absent means unlimited. */
    record QuotaView(UUID team, String name, Integer maxConcurrent, long inUse) {
    }

    record DecisionView(boolean allowed, String reason, UUID account, UUID resource, UUID membership,
                        List<UUID> teamIds, List<String> teamNames, List<String> grantSources, String role,
                        List<QuotaView> quota) {

        DecisionView withQuota(List<QuotaView> quota) {
            return new DecisionView(allowed, reason, account, resource, membership, teamIds, teamNames, grantSources,
                    role, quota);
        }

        static DecisionView of(AccessDecision decision) {
            boolean team = !decision.teams().isEmpty();
            return new DecisionView(decision.allowed(), decision.reason().code(), decision.accountId(),
                    decision.resourceId(), decision.membershipId(),
                    team ? decision.teams().stream().map(AccessDecision.TeamRef::id).toList() : null,
                    team ? decision.teams().stream().map(AccessDecision.TeamRef::name).toList() : null,
                    team ? decision.grantSources().stream().sorted().map(WireNames::of).toList() : null,
                    WireNames.of(decision.role()), null);
        }
    }

    /**
     * {@code account} defaults to the caller. An unknown resource id, or one of another organization, is 404; an
     * account that is not a member is answered (denied, {@code not-a-member}).
     */
    @MemberAccess
    @GetMapping("/api/v1/orgs/{slug}/decisions")
    DecisionView decide(OrgContext org, @RequestParam(required = false) UUID account, @RequestParam UUID resource) {
        UUID subject = account == null ? org.accountId() : account;
        if (!org.admin() && !subject.equals(org.accountId())) {
            throw new ForbiddenException("admin-required",
                    "Members can ask only about their own access; admins can ask about anyone.");
        }
        AccessDecision decision = access.decide(org.organizationId(), subject, resource);
        DecisionView view = DecisionView.of(decision);
        if (decision.allowed() && decision.resourceKind() == ResourceKind.ENVIRONMENT) {
            // Only environments carry quotas; other decisions stay one query.
            view = view.withQuota(leases.quotaFor(org.organizationId(), resource, decision.membershipId()).stream()
                    .map(q -> new QuotaView(q.teamId(), q.teamName(), q.maxConcurrent(), q.inUse())).toList());
        }
        return view;
    }

    /** Empty for a suspended or removed member; 404 for an id that is not a membership of this organization. */
    @GetMapping("/api/v1/orgs/{slug}/members/{id}/accessible-resources")
    PageResult<ResourceView.Reachable> accessible(OrgContext org, @PathVariable UUID id,
                                                  @RequestParam(required = false) String kind,
                                                  @RequestParam(required = false) Integer page,
                                                  @RequestParam(required = false) Integer size) {
        return access.accessible(org.organizationId(), id, WireNames.parse(ResourceKind.class, kind, "kind"),
                PageQuery.of(page, size)).map(r -> ResourceView.Reachable.of(r, org));
    }
}
