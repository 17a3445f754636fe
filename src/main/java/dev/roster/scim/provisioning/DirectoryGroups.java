package dev.roster.scim.provisioning;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;

/** The groups a directory pushed, as admins see them before mapping one: name, ids, size, and whether it is mapped. */
@Service
@Transactional(readOnly = true)
public class DirectoryGroups {

    private final JdbcClient jdbc;
    private final ScimDirectoryService directories;

    DirectoryGroups(JdbcClient jdbc, ScimDirectoryService directories) {
        this.jdbc = jdbc;
        this.directories = directories;
    }

    public record GroupSummary(UUID id, String displayName, String externalId, long members, boolean mapped) {
    }

    public PageResult<GroupSummary> list(UUID organizationId, UUID directoryId, PageQuery page) {
        directories.get(organizationId, directoryId);
        long total = jdbc.sql("SELECT COUNT(*) FROM scim_group WHERE organization_id = ? AND directory_id = ?")
                .params(organizationId, directoryId).query(Long.class).single();
        var items = jdbc.sql("""
                SELECT g.id, g.display_name, g.external_id,
                       (SELECT COUNT(*) FROM scim_group_member m WHERE m.group_id = g.id) AS members,
                       EXISTS (SELECT 1 FROM group_mapping gm WHERE""" + GroupMappingRepository.MATCHES + """
                       ) AS mapped
                FROM scim_group g WHERE g.organization_id = ? AND g.directory_id = ?
                ORDER BY g.display_name_normalized, g.id LIMIT ? OFFSET ?""")
                .params(organizationId, directoryId, page.size(), page.offset())
                .query((rs, row) -> new GroupSummary(rs.getObject("id", UUID.class), rs.getString("display_name"),
                        rs.getString("external_id"), rs.getLong("members"), rs.getBoolean("mapped")))
                .list();
        return PageResult.of(items, page, total);
    }
}
