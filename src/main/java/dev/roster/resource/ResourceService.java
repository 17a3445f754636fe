package dev.roster.resource;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.shared.ForbiddenException;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;

/** Creates, renames, transfers and deletes resources. Names are unique per organization and kind, ignoring case. */
@Service
@Transactional
public class ResourceService {

    private final ResourceRepository resources;
    private final TeamService teams;
    private final MemberReads members;
    private final AuditLog audit;
    private final ResourceEvents events;
    private final Quotas quotas;
    private final Clock clock;

    ResourceService(ResourceRepository resources, TeamService teams, MemberReads members, AuditLog audit,
                    ResourceEvents events, Quotas quotas, Clock clock) {
        this.resources = resources;
        this.teams = teams;
        this.members = members;
        this.audit = audit;
        this.events = events;
        this.quotas = quotas;
        this.clock = clock;
    }

    /** A change of an environment's default team quota: {@code value} null clears it (teams become unlimited). */
    public record DefaultQuota(Integer value) {
    }

    /**
     * Renames, transfers and/or sets the default team quota of an environment, in one transaction; a null argument
     * leaves that part as it is.
     */
    public Resource update(UUID organizationId, UUID id, String name, ResourceOwner owner, DefaultQuota defaultQuota,
                           Actor actor) {
        Resource updated = update(organizationId, id, name, owner, actor);
        if (defaultQuota != null) {
            quotas.setDefault(organizationId, updated, defaultQuota.value(), actor);
        }
        return updated;
    }

    /** Filters for the admin list; null means "any". {@code search} matches the name. */
    public record ResourceFilter(ResourceKind kind, OwnerType ownerType, UUID teamId, UUID membershipId,
                                 String search) {

        public static ResourceFilter none() {
            return new ResourceFilter(null, null, null, null, null);
        }
    }

    public Resource create(UUID organizationId, ResourceKind kind, String name, ResourceOwner owner, Actor actor) {
        if (kind == null) {
            throw InvalidRequestException.field("kind", "kind is required.");
        }
        String checked = checkName(name);
        String ownerLabel = checkOwner(organizationId, owner);
        requireFreeName(organizationId, kind, checked, null);
        Instant now = clock.instant();
        Resource resource = new Resource(Ids.newId(), organizationId, kind, checked, owner, ownerLabel, now, now);
        resources.insert(resource);
        audit.record(organizationId, actor, "resource.created", target(resource), null, state(resource));
        return resource;
    }

    /** A member's own (personal) resource. */
    public Resource createPersonal(UUID organizationId, UUID membershipId, ResourceKind kind, String name,
                                   Actor actor) {
        return create(organizationId, kind, name, ResourceOwner.member(membershipId), actor);
    }

    /** Renames and/or transfers a resource; a null argument leaves that part as it is. */
    public Resource update(UUID organizationId, UUID id, String name, ResourceOwner owner, Actor actor) {
        Resource before = lock(organizationId, id);
        String newName = name == null ? before.name() : checkName(name);
        ResourceOwner newOwner = owner == null ? before.owner() : owner;
        String ownerLabel = owner == null ? before.ownerLabel() : checkOwner(organizationId, owner);
        if (!newName.equals(before.name())) {
            requireFreeName(organizationId, before.kind(), newName, id);
        }
        if (newName.equals(before.name()) && newOwner.equals(before.owner())) {
            return before;
        }
        Resource after = new Resource(id, organizationId, before.kind(), newName, newOwner, ownerLabel,
                before.createdAt(), clock.instant());
        resources.update(after);
        audit.record(organizationId, actor, newOwner.equals(before.owner()) ? "resource.renamed"
                : "resource.transferred", target(after), state(before), state(after));
        if (!newOwner.equals(before.owner())) {
            events.ownerChanged(before, after, actor);
        }
        return after;
    }

    public void delete(UUID organizationId, UUID id, Actor actor) {
        Resource resource = lock(organizationId, id);
        resources.delete(organizationId, id);
        audit.record(organizationId, actor, "resource.deleted", target(resource), state(resource), null);
    }

    /** A member deletes one of their personal resources; anything else is an admin's to delete. */
    public void deletePersonal(UUID organizationId, UUID membershipId, UUID id, Actor actor) {
        Resource resource = lock(organizationId, id);
        if (!resource.owner().equals(ResourceOwner.member(membershipId))) {
            throw new ForbiddenException("not-your-resource",
                    "Only the resource's owner or an admin can delete it, and this is not your personal resource.");
        }
        resources.delete(organizationId, id);
        audit.record(organizationId, actor, "resource.deleted", target(resource), state(resource), null);
    }

    @Transactional(readOnly = true)
    public Resource get(UUID organizationId, UUID id) {
        return resources.find(organizationId, id).orElseThrow(ResourceService::notFound);
    }

    @Transactional(readOnly = true)
    public PageResult<Resource> list(UUID organizationId, ResourceFilter filter, PageQuery page) {
        var query = new ResourceRepository.Filter(filter.kind(), filter.ownerType(), filter.teamId(),
                filter.membershipId(), filter.search());
        return PageResult.of(resources.page(organizationId, query, page.size(), page.offset()), page,
                resources.count(organizationId, query));
    }

    private Resource lock(UUID organizationId, UUID id) {
        return resources.lock(organizationId, id).orElseThrow(ResourceService::notFound);
    }

    /** Checks that the owner belongs to this organization; answers the owner's label. */
    private String checkOwner(UUID organizationId, ResourceOwner owner) {
        if (owner == null) {
            throw InvalidRequestException.field("owner", "owner is required.");
        }
        return switch (owner.type()) {
            case ORGANIZATION -> null;
            case TEAM -> teams.findAll(organizationId, List.of(owner.id())).stream().findFirst().map(Team::name)
                    .orElseThrow(() -> InvalidRequestException.field("owner.id",
                            "No team with this id in this organization."));
            case MEMBER -> members.member(organizationId, owner.id())
                    .filter(m -> m.status() != MembershipStatus.REMOVED)
                    .map(m -> m.email())
                    .orElseThrow(() -> InvalidRequestException.field("owner.id",
                            "No member with this id in this organization."));
        };
    }

    private void requireFreeName(UUID organizationId, ResourceKind kind, String name, UUID except) {
        if (resources.nameTaken(organizationId, kind, name, except)) {
            throw new ConflictException("resource-exists",
                    "A " + kind.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " named '" + name + "' exists.");
        }
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw InvalidRequestException.field("name", "A resource needs a name.");
        }
        String trimmed = name.trim();
        if (trimmed.length() > 200) {
            throw InvalidRequestException.field("name", "A resource name has at most 200 characters.");
        }
        return trimmed;
    }

    static NotFoundException notFound() {
        return new NotFoundException("Resource not found.");
    }

    private static AuditTarget target(Resource resource) {
        return AuditTarget.of("resource", resource.id(), resource.name());
    }

    private static Map<String, Object> state(Resource resource) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("kind", resource.kind().name());
        state.put("name", resource.name());
        state.put("ownerType", resource.owner().type().name());
        if (resource.owner().id() != null) {
            state.put("ownerId", resource.owner().id().toString());
            state.put("owner", resource.ownerLabel());
        }
        return state;
    }
}
