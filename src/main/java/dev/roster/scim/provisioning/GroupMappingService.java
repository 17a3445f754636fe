package dev.roster.scim.provisioning;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.membership.Team;
import dev.roster.membership.TeamRole;
import dev.roster.membership.TeamService;
import dev.roster.scim.directory.ScimDirectory;
import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;

/**
 * Admins map a directory's groups to teams. A new mapping applies at once to the group's current members, and a
 * deleted one withdraws what only it granted; unmapped groups are kept and can be mapped later.
 */
@Service
@Transactional
public class GroupMappingService {

    public static final int MAX_TEAMS = 50;

    private final GroupMappingRepository mappings;
    private final ScimGroupRepository groups;
    private final ScimUserRepository users;
    private final ScimDirectoryService directories;
    private final TeamService teamService;
    private final TeamSync teams;
    private final AuditLog audit;
    private final Clock clock;

    GroupMappingService(GroupMappingRepository mappings, ScimGroupRepository groups, ScimUserRepository users,
                        ScimDirectoryService directories, TeamService teamService, TeamSync teams, AuditLog audit,
                        Clock clock) {
        this.mappings = mappings;
        this.groups = groups;
        this.users = users;
        this.directories = directories;
        this.teamService = teamService;
        this.teams = teams;
        this.audit = audit;
        this.clock = clock;
    }

    /** A mapping with the groups of the directory it matches right now. */
    public record MappingView(GroupMapping mapping, List<UUID> matchedGroups) {
    }

    /** A mapping as asked for, checked, not yet stored. */
    record CreateInput(ScimDirectory directory, GroupMapping.MatchBy matchBy, String value, List<Team> teams,
                       TeamRole role, boolean admin) {
    }

    /** {@link #create(UUID, UUID, String, String, List, TeamRole, boolean, Actor)} with the team role member. */
    public MappingView create(UUID organizationId, UUID directoryId, String by, String value, List<String> teamRefs,
                              boolean admin, Actor actor) {
        return create(organizationId, directoryId, by, value, teamRefs, null, admin, actor);
    }

    /**
     * Maps the directory's groups to teams, whose members get {@code role} there (null: member), and/or admin; the
     * group's current members get it at once.
     */
    public MappingView create(UUID organizationId, UUID directoryId, String by, String value, List<String> teamRefs,
                              TeamRole role, boolean admin, Actor actor) {
        CreateInput input = checkCreate(organizationId, directoryId, by, value, teamRefs, role, admin);
        ScimDirectory directory = input.directory();
        GroupMapping mapping = new GroupMapping(Ids.newId(), organizationId, directoryId, input.matchBy(),
                input.value(), admin, input.teams().stream().map(t -> new GroupMapping.TeamRef(t.id(), t.name()))
                .toList(), input.role(), clock.instant());
        mappings.insert(mapping);
        audit.record(organizationId, actor, "scim-group-mapping.created", target(directory, mapping), null,
                state(mapping));
        List<UUID> matched = mappings.matchingGroups(organizationId, mapping.id());
        resyncMembers(directory, matched);
        return new MappingView(mapping, matched);
    }

    /** What {@link #create} would store, or the error it would answer. */
    CreateInput checkCreate(UUID organizationId, UUID directoryId, String by, String value, List<String> teamRefs,
                            TeamRole role, boolean admin) {
        ScimDirectory directory = directories.get(organizationId, directoryId);
        GroupMapping.MatchBy matchBy = GroupMapping.MatchBy.parse(by);
        if (value == null || value.isBlank() || value.trim().length() > 320) {
            throw InvalidRequestException.field("group.value", "Give the group's " + matchBy.apiName()
                    + " (1 to 320 characters).");
        }
        if (mappings.exists(organizationId, directoryId, matchBy, value)) {
            throw new ConflictException("mapping-exists", "This group is already mapped; delete that mapping first.");
        }
        List<Team> mapped = resolveTeams(organizationId, teamRefs == null ? List.of() : teamRefs);
        if (mapped.isEmpty() && !admin) {
            throw InvalidRequestException.field("teams", "Map the group to at least one team, or to admin.");
        }
        if (mapped.isEmpty() && role == TeamRole.MAINTAINER) {
            throw InvalidRequestException.field("role", "A team role needs a team: choose the teams the group's "
                    + "members maintain.");
        }
        return new CreateInput(directory, matchBy, value.trim(), mapped, role == null ? TeamRole.MEMBER : role,
                admin);
    }

    /**
     * Changes the team role a mapping gives; the members of the groups it matches get the new role at once (their
     * SCIM grant's role is the highest of their mappings', so another mapping may keep them maintainers).
     */
    public MappingView changeRole(UUID organizationId, UUID directoryId, UUID mappingId, TeamRole role, Actor actor) {
        ScimDirectory directory = directories.get(organizationId, directoryId);
        GroupMapping mapping = mappings.find(organizationId, directoryId, mappingId)
                .orElseThrow(() -> new NotFoundException("Group mapping not found."));
        if (mapping.teams().isEmpty()) {
            throw InvalidRequestException.field("role", "This mapping gives admin only, no team to hold a role in.");
        }
        List<UUID> matched = mappings.matchingGroups(organizationId, mapping.id());
        if (mapping.role() != role) {
            mappings.updateRole(organizationId, mapping.id(), role);
            GroupMapping changed = mappings.find(organizationId, directoryId, mappingId).orElseThrow();
            audit.record(organizationId, actor, "scim-group-mapping.changed", target(directory, changed),
                    state(mapping), state(changed));
            resyncMembers(directory, matched);
        }
        return new MappingView(mappings.find(organizationId, directoryId, mappingId).orElseThrow(), matched);
    }

    ScimDirectory directory(UUID organizationId, UUID directoryId) {
        return directories.get(organizationId, directoryId);
    }

    /** The display names of the groups a mapping matches right now. */
    @Transactional(readOnly = true)
    public List<String> matchedGroupNames(UUID organizationId, GroupMapping mapping) {
        return matchedGroups(organizationId, mapping).stream().map(StoredGroup::displayName).toList();
    }

    /** The groups a mapping matches right now. */
    @Transactional(readOnly = true)
    public List<StoredGroup> matchedGroups(UUID organizationId, GroupMapping mapping) {
        List<StoredGroup> matched = new ArrayList<>();
        for (UUID id : mappings.matchingGroups(organizationId, mapping.id())) {
            groups.find(organizationId, mapping.directoryId(), id).ifPresent(matched::add);
        }
        return matched;
    }

    /** Every SCIM mapping of the organization that grants the team, over all directories. */
    @Transactional(readOnly = true)
    public List<GroupMapping> mappingsForTeam(UUID organizationId, UUID teamId) {
        return mappings.forTeam(organizationId, teamId);
    }

    @Transactional(readOnly = true)
    public PageResult<MappingView> list(UUID organizationId, UUID directoryId, PageQuery page) {
        directories.get(organizationId, directoryId);
        List<MappingView> views = mappings.list(organizationId, directoryId, page.size(), page.offset()).stream()
                .map(m -> new MappingView(m, mappings.matchingGroups(organizationId, m.id()))).toList();
        return PageResult.of(views, page, mappings.count(organizationId, directoryId));
    }

    @Transactional(readOnly = true)
    public MappingView get(UUID organizationId, UUID directoryId, UUID mappingId) {
        GroupMapping mapping = mappings.find(organizationId, directoryId, mappingId)
                .orElseThrow(() -> new NotFoundException("Group mapping not found."));
        return new MappingView(mapping, mappings.matchingGroups(organizationId, mapping.id()));
    }

    public void delete(UUID organizationId, UUID directoryId, UUID mappingId, Actor actor) {
        ScimDirectory directory = directories.get(organizationId, directoryId);
        GroupMapping mapping = mappings.find(organizationId, directoryId, mappingId)
                .orElseThrow(() -> new NotFoundException("Group mapping not found."));
        List<UUID> matched = mappings.matchingGroups(organizationId, mapping.id());
        mappings.delete(organizationId, mapping.id());
        audit.record(organizationId, actor, "scim-group-mapping.deleted", target(directory, mapping), state(mapping),
                null);
        resyncMembers(directory, matched);
    }

    private void resyncMembers(ScimDirectory directory, List<UUID> groupIds) {
        Set<UUID> userIds = new HashSet<>();
        for (UUID group : groupIds) {
            userIds.addAll(groups.memberIds(directory.id(), group));
        }
        if (userIds.isEmpty()) {
            return;
        }
        teams.resync(directory.organizationId(),
                users.memberships(directory.organizationId(), directory.id(), userIds).values(), directory.actor());
    }

    /** Teams by id or by name (case-insensitive); every unknown one is named in the error. */
    private List<Team> resolveTeams(UUID organizationId, List<String> refs) {
        if (refs.size() > MAX_TEAMS) {
            throw InvalidRequestException.field("teams", "A mapping grants at most " + MAX_TEAMS + " teams.");
        }
        Map<UUID, Team> resolved = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>();
        List<UUID> ids = new ArrayList<>();
        for (String ref : refs) {
            if (ref == null || ref.isBlank()) {
                throw InvalidRequestException.field("teams", "Team names cannot be blank.");
            }
            Ids.parse(ref.trim().toLowerCase(Locale.ROOT)).ifPresentOrElse(ids::add, () -> names.add(ref));
        }
        List<Team> byId = teamService.findAll(organizationId, ids);
        byId.forEach(t -> resolved.put(t.id(), t));
        for (UUID id : ids) {
            if (!resolved.containsKey(id)) {
                // Not a team id here: perhaps a team whose name looks like an id.
                names.add(id.toString());
            }
        }
        if (!names.isEmpty()) {
            teamService.requireByNames(organizationId, names).forEach(t -> resolved.put(t.id(), t));
        }
        return List.copyOf(resolved.values());
    }

    private static AuditTarget target(ScimDirectory directory, GroupMapping mapping) {
        return AuditTarget.of("scim-group-mapping", mapping.id(), directory.name() + ": "
                + mapping.matchBy().apiName() + " " + mapping.matchValue());
    }

    private static Map<String, Object> state(GroupMapping mapping) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("group", Map.of("by", mapping.matchBy().apiName(), "value", mapping.matchValue()));
        state.put("teams", mapping.teams().stream().map(GroupMapping.TeamRef::name).toList());
        state.put("role", mapping.role().name());
        state.put("admin", mapping.admin());
        return state;
    }
}
