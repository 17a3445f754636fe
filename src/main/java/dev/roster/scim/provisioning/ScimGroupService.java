package dev.roster.scim.provisioning;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.scim.directory.ScimDirectory;
import dev.roster.scim.protocol.GroupPatch;
import dev.roster.scim.protocol.ResourceShape;
import dev.roster.scim.protocol.ScimError;
import dev.roster.scim.protocol.ScimSchemas;
import dev.roster.shared.Ids;

/**
 * The /Groups endpoint's operations, each one transaction. Member changes lock the group row, so parallel PATCHes
 * to one group apply one after another and none is lost; they are applied in SQL and then handed to
 * {@link TeamSync}, which changes team grants only where the group is mapped.
 */
@Service
@Transactional
public class ScimGroupService {

    public static final int MAX_DISPLAY_NAME = 320;

    private final ScimGroupRepository groups;
    private final ScimUserRepository users;
    private final GroupMappingRepository mappings;
    private final TeamSync teams;
    private final AuditLog audit;
    private final DirectoryEvents events;
    private final Clock clock;

    ScimGroupService(ScimGroupRepository groups, ScimUserRepository users, GroupMappingRepository mappings,
                     TeamSync teams, AuditLog audit, DirectoryEvents events, Clock clock) {
        this.groups = groups;
        this.users = users;
        this.mappings = mappings;
        this.teams = teams;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
    }

    /** A group and, when they were asked for, its members (null when not loaded). */
    public record GroupView(StoredGroup group, List<ScimUserService.Ref> members) {
    }

    public record Page(List<GroupView> groups, long total) {
    }

    public GroupView create(ScimDirectory directory, ObjectNode body) {
        ObjectNode attributes = shape(body);
        String displayName = attributes.get("displayName").textValue().trim();
        requireUniqueName(directory, displayName, null);
        Set<UUID> members = requireUsers(directory, GroupPatch.memberIds(body.get("members")));
        Instant now = clock.instant();
        StoredGroup group = new StoredGroup(Ids.newId(), directory.organizationId(), directory.id(), displayName,
                text(attributes, "externalId"), attributes, 1, now, now);
        try {
            groups.insert(group);
        }
        catch (DuplicateKeyException ex) {
            throw duplicateName(displayName);
        }
        List<UUID> added = groups.addMembers(directory.id(), group.id(), members);
        audit.record(directory.organizationId(), directory.actor(), "scim-group.created", target(group), null,
                Map.of("displayName", displayName, "members", added.size()));
        syncTeams(directory, added);
        events.groupSynced(directory, group, "created", added.size(), 0);
        return view(directory, group, true);
    }

    // No transaction for reads (see ScimUserService).
    @Transactional(propagation = Propagation.SUPPORTS)
    public GroupView get(ScimDirectory directory, String id, boolean withMembers) {
        StoredGroup group = Ids.parse(id).flatMap(uuid -> groups.find(directory.organizationId(), directory.id(), uuid))
                .orElseThrow(() -> notFound(id));
        return view(directory, group, withMembers);
    }

    /** PUT: the group's attributes are replaced; its members too when the body lists them. */
    public GroupView replace(ScimDirectory directory, String id, ObjectNode body, Preconditions conditions) {
        StoredGroup current = lock(directory, id);
        conditions.check(current.version());
        ObjectNode attributes = shape(body);
        GroupPatch.MemberChanges changes = body.has("members")
                ? new GroupPatch.MemberChanges(true, new LinkedHashSet<>(GroupPatch.memberIds(body.get("members"))),
                Set.of())
                : new GroupPatch.MemberChanges(false, Set.of(), Set.of());
        return store(directory, current, attributes, changes, true);
    }

    /** PATCH answers without members: a client that wants them back reads the group (or asks with attributes). */
    public GroupView patch(ScimDirectory directory, String id, ObjectNode body, Preconditions conditions) {
        StoredGroup current = lock(directory, id);
        conditions.check(current.version());
        GroupPatch.Result result = GroupPatch.apply(current.attributes(), body, current.id().toString());
        ObjectNode attributes = result.attributesChanged() ? shape(result.attributes()) : current.attributes();
        return store(directory, current, attributes, result.members(), false);
    }

    public void delete(ScimDirectory directory, String id, Preconditions conditions) {
        StoredGroup current = lock(directory, id);
        conditions.check(current.version());
        List<UUID> members = groups.memberIds(directory.id(), current.id());
        groups.delete(directory.organizationId(), directory.id(), current.id());
        audit.record(directory.organizationId(), directory.actor(), "scim-group.deleted", target(current),
                Map.of("displayName", current.displayName()), null);
        syncTeams(directory, members);
        events.groupSynced(directory, current, "deleted", 0, members.size());
    }

    @Transactional(propagation = Propagation.SUPPORTS)
    public Page search(ScimDirectory directory, ListQuery query, boolean withMembers) {
        List<StoredGroup> found = query.count() == 0 ? List.of()
                : groups.search(directory.organizationId(), directory.id(), query);
        Long implied = query.totalFrom(found.size());
        long total = implied != null ? implied : groups.count(directory.organizationId(), directory.id(), query);
        Map<UUID, List<ScimGroupRepository.MemberRef>> members = withMembers
                ? groups.members(directory.organizationId(), directory.id(), found.stream().map(StoredGroup::id).toList())
                : Map.of();
        List<GroupView> views = found.stream().map(g -> new GroupView(g, withMembers
                ? refs(members.get(g.id())) : null)).toList();
        return new Page(views, total);
    }

    private GroupView store(ScimDirectory directory, StoredGroup current, ObjectNode attributes,
                            GroupPatch.MemberChanges changes, boolean withMembers) {
        String displayName = attributes.get("displayName").textValue().trim();
        boolean renamed = !displayName.equals(current.displayName());
        boolean attributesChanged = !attributes.equals(current.attributes());
        if (renamed) {
            requireUniqueName(directory, displayName, current.id());
        }
        Set<UUID> toAdd = requireUsers(directory, changes.added());
        Set<UUID> toRemove = knownIds(changes.removed());
        Set<UUID> affected = new HashSet<>();
        if (changes.replaceAll()) {
            List<UUID> before = groups.memberIds(directory.id(), current.id());
            Set<UUID> leaving = new HashSet<>(before);
            leaving.removeAll(toAdd);
            affected.addAll(groups.removeMembers(directory.id(), current.id(), leaving));
        }
        else {
            affected.addAll(groups.removeMembers(directory.id(), current.id(), toRemove));
        }
        int removed = affected.size();
        List<UUID> added = groups.addMembers(directory.id(), current.id(), toAdd);
        affected.addAll(added);
        StoredGroup result = current;
        if (attributesChanged || !affected.isEmpty()) {
            result = new StoredGroup(current.id(), current.organizationId(), current.directoryId(), displayName,
                    text(attributes, "externalId"), attributes, current.version() + 1, current.createdAt(),
                    clock.instant());
            try {
                groups.update(result);
            }
            catch (DuplicateKeyException ex) {
                throw duplicateName(displayName);
            }
        }
        if (renamed) {
            audit.record(directory.organizationId(), directory.actor(), "scim-group.renamed", target(result),
                    Map.of("displayName", current.displayName()), Map.of("displayName", displayName));
        }
        boolean matchChanged = renamed || !Objects.equals(current.externalId(), result.externalId());
        // Read once per request whether the directory maps any group; the re-evaluation below goes by this answer.
        boolean mapped = (matchChanged || !affected.isEmpty()) && mappings.any(directory.organizationId(),
                directory.id());
        if (matchChanged && mapped) {
            // A mapping by display name or externalId may start or stop matching: every member is re-evaluated.
            affected.addAll(groups.memberIds(directory.id(), current.id()));
        }
        syncTeams(directory, affected, mapped);
        if (result != current) {
            events.groupSynced(directory, result, "updated", added.size(), removed);
        }
        return view(directory, result, withMembers);
    }

    /** Re-evaluates the teams of these users' members, when the directory has mappings at all. */
    private void syncTeams(ScimDirectory directory, Collection<UUID> userIds) {
        syncTeams(directory, userIds, !userIds.isEmpty() && mappings.any(directory.organizationId(), directory.id()));
    }

    /**
     * As above, with whether the directory has mappings read once by the caller ({@code mapped}). A directory with
     * mappings means its organization has some, so TeamSync need not ask again.
     */
    private void syncTeams(ScimDirectory directory, Collection<UUID> userIds, boolean mapped) {
        if (userIds.isEmpty() || !mapped) {
            return;
        }
        Map<UUID, UUID> memberships = users.memberships(directory.organizationId(), directory.id(), userIds);
        teams.resync(directory.organizationId(), memberships.values(), directory.actor());
    }

    private static ObjectNode shape(ObjectNode body) {
        ObjectNode withoutMembers = body.deepCopy();
        withoutMembers.remove("members");
        ObjectNode attributes = ResourceShape.writable(withoutMembers, ScimSchemas.GROUP_TYPE);
        attributes.remove("members");
        ResourceShape.check(attributes, ScimSchemas.GROUP_TYPE);
        JsonNode displayName = attributes.get("displayName");
        if (displayName == null || !displayName.isTextual() || displayName.textValue().isBlank()) {
            throw ScimError.badRequest(ScimError.INVALID_VALUE, "displayName is required.");
        }
        if (displayName.textValue().length() > MAX_DISPLAY_NAME) {
            throw ScimError.badRequest(ScimError.INVALID_VALUE,
                    "displayName has at most " + MAX_DISPLAY_NAME + " characters.");
        }
        JsonNode externalId = attributes.get("externalId");
        if (externalId != null && externalId.isTextual() && externalId.textValue().length() > 320) {
            throw ScimError.badRequest(ScimError.INVALID_VALUE, "externalId has at most 320 characters.");
        }
        return attributes;
    }

    private void requireUniqueName(ScimDirectory directory, String displayName, UUID except) {
        Optional<UUID> existing = groups.idByDisplayName(directory.organizationId(), directory.id(), displayName);
        if (existing.isPresent() && !existing.get().equals(except)) {
            throw duplicateName(displayName);
        }
    }

    private static ScimError duplicateName(String displayName) {
        return ScimError.conflict("A group named '" + displayName + "' exists in this directory.");
    }

    /** Member ids must be users of this directory; any other id is refused, naming it, and nothing changes. */
    private Set<UUID> requireUsers(ScimDirectory directory, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        Set<UUID> parsed = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String id : ids) {
            Ids.parse(id.toLowerCase(Locale.ROOT)).ifPresentOrElse(parsed::add, () -> unknown.add(id));
        }
        Set<UUID> existing = users.existing(directory.organizationId(), directory.id(), parsed);
        parsed.stream().filter(id -> !existing.contains(id)).forEach(id -> unknown.add(id.toString()));
        if (!unknown.isEmpty()) {
            throw ScimError.badRequest(ScimError.INVALID_VALUE, "Not users of this directory: "
                    + String.join(", ", unknown.stream().limit(10).toList())
                    + (unknown.size() > 10 ? " and " + (unknown.size() - 10) + " more" : "") + ".");
        }
        return parsed;
    }

    private static Set<UUID> knownIds(Collection<String> ids) {
        Set<UUID> parsed = new LinkedHashSet<>();
        for (String id : ids) {
            Ids.parse(id.toLowerCase(Locale.ROOT)).ifPresent(parsed::add);
        }
        return parsed;
    }

    private StoredGroup lock(ScimDirectory directory, String id) {
        return Ids.parse(id).flatMap(uuid -> groups.lock(directory.organizationId(), directory.id(), uuid))
                .orElseThrow(() -> notFound(id));
    }

    private GroupView view(ScimDirectory directory, StoredGroup group, boolean withMembers) {
        if (!withMembers) {
            return new GroupView(group, null);
        }
        var members = groups.members(directory.organizationId(), directory.id(), List.of(group.id()));
        return new GroupView(group, refs(members.get(group.id())));
    }

    private static List<ScimUserService.Ref> refs(List<ScimGroupRepository.MemberRef> members) {
        return members == null ? List.of()
                : members.stream().map(m -> new ScimUserService.Ref(m.userId(), m.display())).toList();
    }

    private static ScimError notFound(String id) {
        return ScimError.notFound("Group " + id + " not found.");
    }

    private static String text(ObjectNode resource, String field) {
        JsonNode value = resource.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    private static AuditTarget target(StoredGroup group) {
        return AuditTarget.of("scim-group", group.id(), group.displayName());
    }
}
