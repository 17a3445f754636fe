package dev.roster.scim.provisioning;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.membership.AccessImpact;
import dev.roster.membership.GrantSource;
import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.scim.directory.ScimDirectory;

/**
 * What creating or deleting a group mapping would do, before it is done: the current members of the groups it matches,
 * the teams their mapped groups grant now and would grant after (over every SCIM directory of the organization, as
 * {@link TeamSync} computes them), and the admin flags that would follow. SCIM applies a mapping change at once.
 */
@Service
@Transactional(readOnly = true)
public class GroupMappingPreview {

    private static final int GROUPS_NAMED = 5;

    private final GroupMappingService service;
    private final GroupMappingRepository mappings;
    private final ScimGroupRepository groups;
    private final ScimUserRepository users;
    private final MemberReads members;

    GroupMappingPreview(GroupMappingService service, GroupMappingRepository mappings, ScimGroupRepository groups,
                        ScimUserRepository users, MemberReads members) {
        this.service = service;
        this.mappings = mappings;
        this.groups = groups;
        this.users = users;
        this.members = members;
    }

    /** Creating a mapping, as {@link GroupMappingService#create} would. */
    public AccessImpact create(UUID organizationId, UUID directoryId, String by, String value, List<String> teamRefs,
                               boolean admin) {
        GroupMappingService.CreateInput input = service.checkCreate(organizationId, directoryId, by, value, teamRefs,
                null, admin);
        ScimDirectory directory = input.directory();
        List<UUID> matched = mappings.groupsMatching(organizationId, directoryId, input.matchBy(), input.value());
        List<Member> affected = membersOf(directory, matched);
        GroupMappingRepository.Desired before = mappings.desired(organizationId, ids(affected));
        Set<UUID> added = input.teams().stream().map(t -> t.id()).collect(Collectors.toSet());
        Set<UUID> madeAdmin = members.adminOnlyFrom(organizationId, GrantSource.SCIM, ids(affected));
        List<AccessImpact.Subject> subjects = new ArrayList<>();
        for (Member member : affected) {
            Set<UUID> now = before.teamIds(member.id());
            Set<UUID> after = new HashSet<>(now);
            after.addAll(added);
            boolean adminNow = before.admins().contains(member.id());
            subjects.add(new AccessImpact.Subject(member, now, after, adminNow, adminNow || admin,
                    madeAdmin.contains(member.id())));
        }
        Map<UUID, String> names = new HashMap<>();
        input.teams().forEach(t -> names.put(t.id(), t.name()));
        List<String> notes = new ArrayList<>();
        notes.add(matched.isEmpty()
                ? "No group of " + directory.name() + " has the " + input.matchBy().apiName() + " \"" + input.value()
                + "\" yet. The mapping applies as soon as the directory sends one."
                : matchedNote(directory, matched, affected.size()));
        return AccessImpact.of(GrantSource.SCIM, subjects, names, List.of(), null, notes);
    }

    /** Deleting a mapping: what only it granted is withdrawn. */
    public AccessImpact delete(UUID organizationId, UUID directoryId, UUID mappingId) {
        GroupMappingService.MappingView view = service.get(organizationId, directoryId, mappingId);
        ScimDirectory directory = service.directory(organizationId, directoryId);
        List<Member> affected = membersOf(directory, view.matchedGroups());
        GroupMappingRepository.Desired before = mappings.desired(organizationId, ids(affected));
        GroupMappingRepository.Desired after = mappings.desired(organizationId, ids(affected), mappingId);
        Set<UUID> madeAdmin = members.adminOnlyFrom(organizationId, GrantSource.SCIM, ids(affected));
        List<AccessImpact.Subject> subjects = new ArrayList<>();
        for (Member member : affected) {
            subjects.add(new AccessImpact.Subject(member, before.teamIds(member.id()),
                    after.teamIds(member.id()), before.admins().contains(member.id()),
                    after.admins().contains(member.id()), madeAdmin.contains(member.id())));
        }
        Map<UUID, String> names = new HashMap<>();
        view.mapping().teams().forEach(t -> names.put(t.id(), t.name()));
        List<String> notes = new ArrayList<>();
        notes.add(view.matchedGroups().isEmpty() ? "The mapping matches no group of " + directory.name()
                + " right now, so deleting it changes nobody's teams."
                : matchedNote(directory, view.matchedGroups(), affected.size()));
        notes.add("People stay in a team while another mapped group of theirs, or an admin's own grant, still puts "
                + "them there.");
        AccessImpact impact = AccessImpact.of(GrantSource.SCIM, subjects, names, List.of(), null, notes);
        if (!impact.loseAdmin().isEmpty()) {
            List<String> withNote = new ArrayList<>(impact.notes());
            withNote.add("The organization's last admin always stays an admin.");
            impact = new AccessImpact(impact.teams(), impact.becomeAdmin(), impact.loseAdmin(), impact.admitted(),
                    impact.timing(), withNote);
        }
        return impact;
    }

    /** The live members linked to users of the groups. */
    private List<Member> membersOf(ScimDirectory directory, Collection<UUID> groupIds) {
        Set<UUID> userIds = new LinkedHashSet<>();
        for (UUID group : groupIds) {
            userIds.addAll(groups.memberIds(directory.id(), group));
        }
        Collection<UUID> membershipIds = new LinkedHashSet<>(users.memberships(directory.organizationId(),
                directory.id(), userIds).values());
        return members.members(directory.organizationId(), membershipIds);
    }

    private String matchedNote(ScimDirectory directory, List<UUID> matched, int memberCount) {
        List<String> names = new ArrayList<>();
        for (UUID id : matched.subList(0, Math.min(matched.size(), GROUPS_NAMED))) {
            groups.find(directory.organizationId(), directory.id(), id).ifPresent(g -> names.add(g.displayName()));
        }
        String groupsText = String.join(", ", names) + (matched.size() > GROUPS_NAMED ? " and "
                + (matched.size() - GROUPS_NAMED) + " more" : "");
        return "It matches the group" + (matched.size() == 1 ? " " : "s ") + groupsText + " of " + directory.name()
                + ", with " + (memberCount == 1 ? "1 member" : memberCount + " members") + " in Roster.";
    }

    private static List<UUID> ids(List<Member> members) {
        return members.stream().map(Member::id).toList();
    }
}
