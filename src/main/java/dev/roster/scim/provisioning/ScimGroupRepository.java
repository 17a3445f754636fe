package dev.roster.scim.provisioning;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.roster.scim.protocol.ScimJson;

/** Provisioned groups and their members. Every statement names the organization and the directory. */
@Repository
class ScimGroupRepository {

    private final JdbcClient jdbc;
    private final ListStatements lists;

    ScimGroupRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.lists = new ListStatements(jdbc, ListStatements.Table.GROUPS);
    }

    void insert(StoredGroup group) {
        jdbc.sql("""
                INSERT INTO scim_group (id, organization_id, directory_id, display_name, display_name_normalized,
                                        external_id, resource, version, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(group.id(), group.organizationId(), group.directoryId(), group.displayName(),
                        ScimUserRepository.normalize(group.displayName()), group.externalId(),
                        ScimJson.write(group.attributes()), group.version(), Timestamp.from(group.createdAt()),
                        Timestamp.from(group.updatedAt()))
                .update();
    }

    void update(StoredGroup group) {
        jdbc.sql("""
                UPDATE scim_group SET display_name = ?, display_name_normalized = ?, external_id = ?, resource = ?,
                       version = ?, updated_at = ?
                WHERE organization_id = ? AND directory_id = ? AND id = ?""")
                .params(group.displayName(), ScimUserRepository.normalize(group.displayName()), group.externalId(),
                        ScimJson.write(group.attributes()), group.version(), Timestamp.from(group.updatedAt()),
                        group.organizationId(), group.directoryId(), group.id())
                .update();
    }

    Optional<StoredGroup> find(UUID organizationId, UUID directoryId, UUID id) {
        return jdbc.sql("SELECT * FROM scim_group g WHERE organization_id = ? AND directory_id = ? AND id = ?")
                .params(organizationId, directoryId, id).query(ScimGroupRepository::map).optional();
    }

    /**
     * The display names of the organization's groups (in any of its directories) by externalId, for the given
     * externalIds; where two directories hold a group with the same externalId, the most recently changed one names
     * it.
     */
    Map<String, String> displayNamesByExternalId(UUID organizationId, Collection<String> externalIds) {
        List<String> wanted = externalIds.stream().filter(v -> v != null && !v.isBlank()).distinct().limit(1000)
                .toList();
        Map<String, String> names = new HashMap<>();
        if (wanted.isEmpty()) {
            return names;
        }
        jdbc.sql("""
                SELECT external_id, display_name FROM scim_group
                WHERE organization_id = :org AND external_id IN (:ids)
                ORDER BY updated_at""")
                .param("org", organizationId).param("ids", wanted)
                .query(rs -> {
                    names.put(rs.getString("external_id"), rs.getString("display_name"));
                });
        return names;
    }

    /** Locks the group row: member changes to one group are applied one request at a time, so none is lost. */
    Optional<StoredGroup> lock(UUID organizationId, UUID directoryId, UUID id) {
        return jdbc.sql("SELECT * FROM scim_group g WHERE organization_id = ? AND directory_id = ? AND id = ? FOR UPDATE")
                .params(organizationId, directoryId, id).query(ScimGroupRepository::map).optional();
    }

    Optional<UUID> idByDisplayName(UUID organizationId, UUID directoryId, String displayName) {
        return jdbc.sql("""
                SELECT id FROM scim_group WHERE organization_id = ? AND directory_id = ? AND display_name_normalized = ?""")
                .params(organizationId, directoryId, ScimUserRepository.normalize(displayName)).query(UUID.class)
                .optional();
    }

    List<StoredGroup> search(UUID organizationId, UUID directoryId, ListQuery query) {
        return lists.page(organizationId, directoryId, query).query(ScimGroupRepository::map).list();
    }

    long count(UUID organizationId, UUID directoryId, ListQuery query) {
        return lists.count(organizationId, directoryId, query);
    }

    void delete(UUID organizationId, UUID directoryId, UUID id) {
        jdbc.sql("DELETE FROM scim_group WHERE organization_id = ? AND directory_id = ? AND id = ?")
                .params(organizationId, directoryId, id).update();
    }

    /** Members of the groups, with the name a member is shown by, in a stable order. */
    Map<UUID, List<MemberRef>> members(UUID organizationId, UUID directoryId, Collection<UUID> groupIds) {
        Map<UUID, List<MemberRef>> result = new HashMap<>();
        for (List<UUID> chunk : ScimUserRepository.chunks(groupIds)) {
            jdbc.sql("""
                    SELECT m.group_id, u.id, u.display_name, u.user_name FROM scim_group_member m
                    JOIN scim_user u ON u.id = m.user_id
                    WHERE u.organization_id = :org AND u.directory_id = :dir AND m.group_id IN (:ids)
                    ORDER BY m.group_id, u.created_at, u.id""")
                    .param("org", organizationId).param("dir", directoryId).param("ids", chunk)
                    .query(rs -> {
                        String display = rs.getString("display_name");
                        result.computeIfAbsent(rs.getObject("group_id", UUID.class), k -> new ArrayList<>())
                                .add(new MemberRef(rs.getObject("id", UUID.class),
                                        display == null ? rs.getString("user_name") : display));
                    });
        }
        return result;
    }

    record MemberRef(UUID userId, String display) {
    }

    List<UUID> memberIds(UUID directoryId, UUID groupId) {
        return jdbc.sql("SELECT user_id FROM scim_group_member WHERE directory_id = ? AND group_id = ?")
                .params(directoryId, groupId).query(UUID.class).list();
    }

    /** Adds members (users of this directory, checked by the caller); returns those who were not members yet. */
    List<UUID> addMembers(UUID directoryId, UUID groupId, Collection<UUID> userIds) {
        List<UUID> added = new ArrayList<>();
        for (List<UUID> chunk : ScimUserRepository.chunks(userIds)) {
            Set<UUID> present = new HashSet<>(jdbc.sql("""
                    SELECT user_id FROM scim_group_member WHERE group_id = :group AND user_id IN (:ids)""")
                    .param("group", groupId).param("ids", chunk).query(UUID.class).list());
            List<UUID> missing = chunk.stream().filter(id -> !present.contains(id)).toList();
            if (!missing.isEmpty()) {
                jdbc.sql("""
                        INSERT INTO scim_group_member (group_id, user_id, directory_id)
                        SELECT :group, u.id, u.directory_id FROM scim_user u
                        WHERE u.directory_id = :dir AND u.id IN (:ids)""")
                        .param("group", groupId).param("dir", directoryId).param("ids", missing).update();
                added.addAll(missing);
            }
        }
        return added;
    }

    /** Removes members; returns those who were members. */
    List<UUID> removeMembers(UUID directoryId, UUID groupId, Collection<UUID> userIds) {
        List<UUID> removed = new ArrayList<>();
        for (List<UUID> chunk : ScimUserRepository.chunks(userIds)) {
            List<UUID> present = jdbc.sql("""
                    SELECT user_id FROM scim_group_member
                    WHERE directory_id = :dir AND group_id = :group AND user_id IN (:ids)""")
                    .param("dir", directoryId).param("group", groupId).param("ids", chunk).query(UUID.class).list();
            if (!present.isEmpty()) {
                jdbc.sql("DELETE FROM scim_group_member WHERE directory_id = :dir AND group_id = :group AND user_id IN (:ids)")
                        .param("dir", directoryId).param("group", groupId).param("ids", present).update();
                removed.addAll(present);
            }
        }
        return removed;
    }

    /** Removes every member; returns who they were. */
    List<UUID> clearMembers(UUID directoryId, UUID groupId) {
        List<UUID> members = memberIds(directoryId, groupId);
        jdbc.sql("DELETE FROM scim_group_member WHERE directory_id = ? AND group_id = ?").params(directoryId, groupId)
                .update();
        return members;
    }

    static StoredGroup map(ResultSet rs, int row) throws SQLException {
        return new StoredGroup(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getObject("directory_id", UUID.class), rs.getString("display_name"), rs.getString("external_id"),
                ScimJson.parseStored(rs.getString("resource")), rs.getLong("version"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
