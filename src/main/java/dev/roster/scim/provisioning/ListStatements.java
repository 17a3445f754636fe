package dev.roster.scim.provisioning;

import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The statements of a SCIM list, the same for Users and Groups: a directory's rows of one table, narrowed by the
 * request's filter (whose SQL names the table by its alias, see {@code FilterSql}), in the requested order, one page
 * at a time. Only reads: inserts and updates stay with each repository.
 */
final class ListStatements {

    /** The table of a resource type and the alias its filter SQL uses. */
    enum Table {
        USERS("scim_user", "u"), GROUPS("scim_group", "g");

        private final String name;
        private final String alias;

        Table(String name, String alias) {
            this.name = name;
            this.alias = alias;
        }
    }

    private final JdbcClient jdbc;
    private final Table table;

    ListStatements(JdbcClient jdbc, Table table) {
        this.jdbc = jdbc;
        this.table = table;
    }

    /** The page of {@code query}: its sort column, then id, so that pages do not overlap. */
    JdbcClient.StatementSpec page(UUID organizationId, UUID directoryId, ListQuery query) {
        Map<String, Object> params = new HashMap<>();
        String where = where(organizationId, directoryId, query, params);
        String a = table.alias;
        String order = " ORDER BY " + a + "." + query.sortColumn() + (query.descending() ? " DESC" : " ASC") + ", "
                + a + ".id";
        params.put("limit", query.count());
        params.put("offset", query.offset());
        return jdbc.sql("SELECT " + a + ".* FROM " + table.name + " " + a + where + order
                + " LIMIT :limit OFFSET :offset").params(params);
    }

    /** The page of {@code query} that starts after a row, in the default order (see {@link PageContinuations}). */
    JdbcClient.StatementSpec pageAfter(UUID organizationId, UUID directoryId, ListQuery query,
                                       PageContinuations.After after) {
        Map<String, Object> params = new HashMap<>();
        String where = where(organizationId, directoryId, query, params);
        String a = table.alias;
        // The >= bound lets the (directory_id, created_at, id) index start at the position.
        params.put("afterAt", Timestamp.from(after.createdAt()));
        params.put("afterId", after.id());
        params.put("limit", query.count());
        return jdbc.sql("SELECT " + a + ".* FROM " + table.name + " " + a + where
                + " AND " + a + ".created_at >= :afterAt AND (" + a + ".created_at > :afterAt OR " + a
                + ".id > :afterId) ORDER BY " + a + ".created_at ASC, " + a + ".id LIMIT :limit").params(params);
    }

    /** How many rows {@code query} matches in all. */
    long count(UUID organizationId, UUID directoryId, ListQuery query) {
        Map<String, Object> params = new HashMap<>();
        String where = where(organizationId, directoryId, query, params);
        return jdbc.sql("SELECT COUNT(*) FROM " + table.name + " " + table.alias + where).params(params)
                .query(Long.class).single();
    }

    private String where(UUID organizationId, UUID directoryId, ListQuery query, Map<String, Object> params) {
        params.put("org", organizationId);
        params.put("dir", directoryId);
        StringBuilder where = new StringBuilder(" WHERE " + table.alias + ".organization_id = :org AND "
                + table.alias + ".directory_id = :dir");
        if (query.where() != null) {
            where.append(" AND ").append(query.where().sql());
            params.putAll(query.where().params());
        }
        return where.toString();
    }
}
