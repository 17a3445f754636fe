package dev.roster.organization;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Purges deleted organizations once {@code roster.orgs.retention} has passed: every row whose {@code organization_id}
 * names the organization, in every table, children before parents (as the foreign keys say), and then the
 * organization itself. Tables are found in the database's catalogue rather than listed here, so a table a feature
 * adds later is purged too without anyone remembering to add it (decisions/0009). Large tables are deleted in slices,
 * each its own short statement, so the purge never holds a long transaction; an interrupted purge resumes at the next
 * sweep. Accounts are people's own, not the organization's, and stay.
 * <p>
 * The sweep runs on one instance at a time: it claims the {@code organization_sweep} row for a while (renewed as it
 * goes) with a conditional update and releases it at the end.
 */
@Component
public class OrganizationPurge {

    private static final Logger log = LoggerFactory.getLogger(OrganizationPurge.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int SLICE = 5000;
    private static final Duration CLAIM = Duration.ofMinutes(10);

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final OrganizationRepository organizations;
    private final OrganizationProperties properties;
    private final Clock clock;
    private final String instance = UUID.randomUUID().toString();

    OrganizationPurge(JdbcClient jdbc, DataSource dataSource, OrganizationRepository organizations,
                      OrganizationProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.organizations = organizations;
        this.properties = properties;
        this.clock = clock;
    }

    /** What one sweep did: whether this instance held the sweep, and the organizations it purged. */
    public record Sweep(boolean ran, List<UUID> purged) {
    }

    @Scheduled(cron = "${roster.orgs.purge-cron:0 41 * * * *}")
    void scheduled() {
        try {
            Sweep sweep = sweep();
            if (!sweep.purged().isEmpty()) {
                log.info("Purged {} deleted organization(s) whose retention of {} had ended", sweep.purged().size(),
                        properties.retention());
            }
        }
        catch (RuntimeException ex) {
            log.warn("Could not purge deleted organizations; the next sweep tries again: {}", ex.toString());
        }
    }

    /** Purges every deleted organization whose retention ended, unless another instance is sweeping. */
    public Sweep sweep() {
        if (!claim()) {
            return new Sweep(false, List.of());
        }
        List<UUID> purged = new ArrayList<>();
        try {
            Instant now = clock.instant();
            Instant deletedBefore = now.minus(properties.retention());
            for (UUID id : organizations.due(deletedBefore)) {
                if (!organizations.startPurge(id, deletedBefore, now)) {
                    continue;
                }
                purge(id);
                purged.add(id);
            }
        }
        finally {
            release();
        }
        return new Sweep(true, purged);
    }

    private void purge(UUID organizationId) {
        for (Table table : tablesChildrenFirst()) {
            int deleted;
            do {
                renew();
                deleted = table.sliceBy() == null
                        ? jdbc.sql("DELETE FROM " + table.name() + " WHERE organization_id = ?").param(organizationId)
                                .update()
                        : jdbc.sql("DELETE FROM " + table.name() + " WHERE " + table.sliceBy() + " IN (SELECT "
                                + table.sliceBy() + " FROM " + table.name() + " WHERE organization_id = ? LIMIT "
                                + SLICE + ")").param(organizationId).update();
            } while (table.sliceBy() != null && deleted == SLICE);
        }
        organizations.deleteRow(organizationId);
        log.info("Purged organization {}: its retention of {} after deletion ended", organizationId,
                properties.retention());
    }

    /** A table with an organization_id column; {@code sliceBy} its single-column primary key, if it has one. */
    record Table(String name, String sliceBy) {
    }

    /** Every table that carries organization_id, ordered so that a table comes before the tables it references. */
    List<Table> tablesChildrenFirst() {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            String catalog = connection.getCatalog();
            String schema = connection.getSchema();
            Map<String, Table> tables = new LinkedHashMap<>();
            try (ResultSet columns = meta.getColumns(catalog, schema, "%", "%")) {
                while (columns.next()) {
                    String table = columns.getString("TABLE_NAME");
                    if ("organization_id".equalsIgnoreCase(columns.getString("COLUMN_NAME"))
                            && !"organization".equalsIgnoreCase(table) && NAME.matcher(table).matches()) {
                        tables.put(key(table), new Table(table, singleKey(meta, catalog, schema, table)));
                    }
                }
            }
            // parent -> the tables referencing it (among these tables)
            Map<String, Set<String>> referencedBy = new HashMap<>();
            for (Table table : tables.values()) {
                try (ResultSet keys = meta.getImportedKeys(catalog, schema, table.name())) {
                    while (keys.next()) {
                        String parent = key(keys.getString("PKTABLE_NAME"));
                        if (tables.containsKey(parent) && !parent.equals(key(table.name()))) {
                            referencedBy.computeIfAbsent(parent, p -> new HashSet<>()).add(key(table.name()));
                        }
                    }
                }
            }
            List<Table> ordered = new ArrayList<>();
            Set<String> done = new HashSet<>();
            while (done.size() < tables.size()) {
                boolean progress = false;
                for (var entry : tables.entrySet()) {
                    if (!done.contains(entry.getKey())
                            && done.containsAll(referencedBy.getOrDefault(entry.getKey(), Set.of()))) {
                        ordered.add(entry.getValue());
                        done.add(entry.getKey());
                        progress = true;
                    }
                }
                if (!progress) {
                    throw new IllegalStateException("The foreign keys between organization tables form a cycle; "
                            + "cannot choose an order to purge them in: " + referencedBy);
                }
            }
            return ordered;
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot read the database's catalogue: " + ex.getMessage(), ex);
        }
    }

    private static String singleKey(DatabaseMetaData meta, String catalog, String schema, String table)
            throws SQLException {
        List<String> key = new ArrayList<>();
        try (ResultSet columns = meta.getPrimaryKeys(catalog, schema, table)) {
            while (columns.next()) {
                key.add(columns.getString("COLUMN_NAME"));
            }
        }
        return key.size() == 1 && NAME.matcher(key.get(0)).matches() ? key.get(0) : null;
    }

    private static String key(String table) {
        return table.toLowerCase(Locale.ROOT);
    }

    private boolean claim() {
        Instant now = clock.instant();
        return jdbc.sql("""
                UPDATE organization_sweep SET claimed_by = ?, claimed_until = ?
                WHERE id = 1 AND (claimed_until IS NULL OR claimed_until < ? OR claimed_by = ?)""")
                .params(instance, Timestamp.from(now.plus(CLAIM)), Timestamp.from(now), instance).update() == 1;
    }

    private void renew() {
        int renewed = jdbc.sql("UPDATE organization_sweep SET claimed_until = ? WHERE id = 1 AND claimed_by = ?")
                .params(Timestamp.from(clock.instant().plus(CLAIM)), instance).update();
        if (renewed != 1) {
            throw new IllegalStateException("Another instance took over the organization sweep; stopping this one");
        }
    }

    private void release() {
        jdbc.sql("UPDATE organization_sweep SET claimed_by = NULL, claimed_until = NULL WHERE id = 1 AND claimed_by = ?")
                .param(instance).update();
    }
}
