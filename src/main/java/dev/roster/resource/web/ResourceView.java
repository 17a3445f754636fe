package dev.roster.resource.web;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.roster.resource.AccessDecision;
import dev.roster.resource.AccessibleResource;
import dev.roster.resource.OwnerType;
import dev.roster.resource.Resource;
import dev.roster.shared.OrgContext;
import dev.roster.shared.web.WireNames;

/** A resource as the API shows it; the owner carries a name for people (team name, member email, organization). */
record ResourceView(UUID id, String kind, String name, OwnerView owner, Integer defaultTeamQuota, Instant createdAt,
                    Instant updatedAt) {

    ResourceView withDefaultTeamQuota(Integer value) {
        return new ResourceView(id, kind, name, owner, value, createdAt, updatedAt);
    }

    record OwnerView(String type, UUID id, String name) {
    }

    /**
     * A resource someone reaches, with why; {@code teamIds}/{@code teamNames} only for the reason "team", {@code role}
     * only for the reason "collaborator".
     */
    record Reachable(UUID id, String kind, String name, OwnerView owner, String reason, List<UUID> teamIds,
                     List<String> teamNames, String role) {

        static Reachable of(AccessibleResource reachable, OrgContext org) {
            ResourceView view = ResourceView.of(reachable.resource(), org);
            List<AccessDecision.TeamRef> teams = reachable.teams();
            return new Reachable(view.id(), view.kind(), view.name(), view.owner(), reachable.reason().code(),
                    teams.isEmpty() ? null : teams.stream().map(AccessDecision.TeamRef::id).toList(),
                    teams.isEmpty() ? null : teams.stream().map(AccessDecision.TeamRef::name).toList(),
                    WireNames.of(reachable.role()));
        }
    }

    static ResourceView of(Resource resource, OrgContext org) {
        OwnerView owner = resource.owner().type() == OwnerType.ORGANIZATION
                ? new OwnerView(WireNames.of(OwnerType.ORGANIZATION), org.organizationId(), org.organizationName())
                : new OwnerView(WireNames.of(resource.owner().type()), resource.owner().id(), resource.ownerLabel());
        return new ResourceView(resource.id(), WireNames.of(resource.kind()), resource.name(), owner, null,
                resource.createdAt(), resource.updatedAt());
    }
}
