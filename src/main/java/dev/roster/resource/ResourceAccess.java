package dev.roster.resource;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipStatus;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;

/**
 * Access decisions. Admins reach every resource of their organization; an active member reaches the organization's
 * shared resources, their personal ones, those of every team they are in (through any grant source) and those they
 * were added to as a collaborator; suspended
 * and removed members reach nothing; no one reaches another organization's resources. Nothing is cached: each answer
 * reads the database as it is now.
 */
@Service
@Transactional(readOnly = true)
public class ResourceAccess {

    private final ResourceRepository resources;
    private final MemberReads members;

    ResourceAccess(ResourceRepository resources, MemberReads members) {
        this.resources = resources;
        this.members = members;
    }

    /**
     * May the account use the resource? One query. A resource id that is not this organization's is
     * {@link NotFoundException}, whether it exists elsewhere or not. The one statement runs without a transaction of
     * its own (no BEGIN and COMMIT round trips): a decision is asked for on every request of a host application.
     */
    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public AccessDecision decide(UUID organizationId, UUID accountId, UUID resourceId) {
        List<ResourceRepository.DecisionRow> rows = resources.decision(organizationId, accountId, resourceId);
        if (rows.isEmpty()) {
            throw ResourceService.notFound();
        }
        ResourceRepository.DecisionRow row = rows.get(0);
        AccessReason reason = reason(row, rows);
        List<AccessDecision.TeamRef> teams = reason == AccessReason.TEAM
                ? List.of(new AccessDecision.TeamRef(row.ownerTeamId(), row.teamName())) : List.of();
        return new AccessDecision(reason.allowed(), reason, accountId, resourceId, row.membershipId(), teams,
                reason == AccessReason.TEAM ? ResourceRepository.sources(rows) : Set.of(),
                reason == AccessReason.COLLABORATOR ? row.collaboratorRole() : null, row.kind());
    }

    private static AccessReason reason(ResourceRepository.DecisionRow row, List<ResourceRepository.DecisionRow> rows) {
        if (row.membershipId() == null) {
            return AccessReason.NOT_A_MEMBER;
        }
        if (row.status() == MembershipStatus.REMOVED) {
            return AccessReason.REMOVED;
        }
        if (row.status() == MembershipStatus.SUSPENDED) {
            return AccessReason.SUSPENDED;
        }
        if (row.admin()) {
            return AccessReason.ADMIN;
        }
        AccessReason byOwner = switch (row.ownerType()) {
            case ORGANIZATION -> AccessReason.ORGANIZATION_SHARED;
            case MEMBER -> row.membershipId().equals(row.ownerMembershipId()) ? AccessReason.PERSONAL
                    : AccessReason.NO_ACCESS;
            case TEAM -> rows.stream().anyMatch(r -> r.grantSource() != null) ? AccessReason.TEAM
                    : AccessReason.NO_ACCESS;
        };
        if (byOwner == AccessReason.NO_ACCESS && row.collaboratorRole() != null) {
            return AccessReason.COLLABORATOR;
        }
        return byOwner;
    }

    /**
     * What a member reaches, each with its reason. A suspended or removed member reaches nothing (an empty page);
     * a membership id that is not this organization's is {@link NotFoundException}.
     */
    public PageResult<AccessibleResource> accessible(UUID organizationId, UUID membershipId, ResourceKind kind,
                                                     PageQuery page) {
        Optional<Membership> membership = members.find(organizationId, membershipId);
        if (membership.isEmpty()) {
            throw new NotFoundException("Member not found.");
        }
        if (!membership.get().isActive()) {
            return PageResult.of(List.of(), page, 0);
        }
        boolean admin = membership.get().admin();
        List<AccessibleResource> items = resources.reachable(organizationId, membershipId, admin, kind, page.size(),
                page.offset()).stream().map(ResourceAccess::accessible).toList();
        return PageResult.of(items, page, resources.countReachable(organizationId, membershipId, admin, kind));
    }

    private static AccessibleResource accessible(ResourceRepository.Reached reached) {
        Resource resource = reached.resource();
        List<AccessDecision.TeamRef> teams = reached.reason() == AccessReason.TEAM
                ? List.of(new AccessDecision.TeamRef(resource.owner().id(), resource.ownerLabel())) : List.of();
        return new AccessibleResource(resource, reached.reason(), teams, reached.role());
    }
}
