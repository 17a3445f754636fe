package dev.roster.scim.provisioning;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.roster.account.AccountJoins;
import dev.roster.invitation.InvitationJoins;
import dev.roster.scim.protocol.ScimJson;
import dev.roster.shared.database.DatabaseUrls;
import dev.roster.shared.database.DeferredWrite;
import dev.roster.shared.database.DeferredWrites;
import dev.roster.shared.database.TableStatistics;
import dev.roster.sso.SsoDomainJoins;

/** Provisioned users. Every statement names the organization and the directory the caller's token belongs to. */
@Repository
class ScimUserRepository {

    private final JdbcClient jdbc;
    private final TableStatistics statistics;
    private final boolean postgres;
    private final ListStatements lists;
    private final DeferredWrites deferred;

    ScimUserRepository(JdbcClient jdbc, TableStatistics statistics, DataSourceProperties dataSource,
                       DeferredWrites deferred) {
        this.jdbc = jdbc;
        this.statistics = statistics;
        this.deferred = deferred;
        // The demo's H2 has no data-modifying CTEs: it takes the same rows one statement at a time.
        this.postgres = DatabaseUrls.postgres(dataSource);
        this.lists = new ListStatements(jdbc, ListStatements.Table.USERS);
    }

    static String normalize(String value) {
        return value == null ? null : value.trim().toLowerCase(Locale.ROOT);
    }

    private static final String INSERT_USER_INTO = """
            INSERT INTO scim_user (id, organization_id, directory_id, user_name, user_name_normalized, external_id,
                                   display_name, display_name_normalized, active, account_id, membership_id,
                                   resource, version, created_at, updated_at)""";

    private static final String INSERT_USER = INSERT_USER_INTO + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** {@link #INSERT_USER} with the link given as SQL expressions, and no parameters for it. */
    private static String insertUserLinkedBy(String account, String membership) {
        return INSERT_USER_INTO + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, " + account + ", " + membership + ", ?, ?, ?, ?)";
    }

    void insert(StoredUser user) {
        jdbc.sql(INSERT_USER).params(userParams(user)).update();
        statistics.inserted("scim_user", 1);
        writeEmails(user);
    }

    private static List<Object> userParams(StoredUser user) {
        return java.util.Arrays.asList(user.id(), user.organizationId(), user.directoryId(), user.userName(),
                normalize(user.userName()), user.externalId(), user.displayName(), normalize(user.displayName()),
                user.active(), user.accountId(), user.membershipId(),
                ScimJson.write(user.resource()), user.version(), Timestamp.from(user.createdAt()),
                Timestamp.from(user.updatedAt()));
    }

    /**
     * {@link #insert} and {@link #claimEmail} for a new user, in one statement on PostgreSQL (data-modifying CTEs;
     * the foreign keys of the email rows and the claim are checked at its end, when the user is there): the
     * organization that verified the address's domain (the sso module's named join, {@link SsoDomainJoins}), the
     * user, its email rows and, unless another organization verified the domain, the directory's claim on the
     * address. Answers the domain's owner, and the user that holds the claim when that is someone else; a duplicate
     * userName fails the whole statement as {@link #insert} does. The claim is decided by its primary key exactly as
     * in {@link #claimEmail}: a concurrent claim makes this one wait and then insert nothing. On H2 the same rows one
     * statement at a time, the domain's owner first.
     * <p>
     * {@code upFront} (PostgreSQL only, may be null): the ids of the account and membership the caller will create
     * when the address turns out free. When this statement claims the address and sees no account with it, the user
     * is written already linked to them, which saves rewriting the row (and its nine index entries) a moment later;
     * the link's foreign keys are checked at the commit (V280), so the caller must create both or write the link
     * again before then, or the commit fails ({@link Claimed#linkedUpFront}, decision 0023).
     */
    Claimed insertClaiming(StoredUser user, String emailNormalized, String domain, Instant now,
                           UpFrontLink upFront) {
        if (!postgres) {
            Optional<UUID> owner = verifiedOwner(domain);
            insert(user);
            if (owner.filter(id -> !id.equals(user.organizationId())).isPresent()) {
                return new Claimed(owner, Optional.empty(), true, false);
            }
            return new Claimed(owner, claimEmail(user, emailNormalized, now, true), true, false);
        }
        List<Object> params = new ArrayList<>();
        params.add(domain);
        // An address of a domain another organization verified is not claimed: that user is held, never linked.
        StringBuilder sql = new StringBuilder("WITH d AS (SELECT " + SsoDomainJoins.verifiedOwner("?")
                + " AS owner_id),\n" + """
                c AS (INSERT INTO scim_email_claim (directory_id, email_normalized, organization_id, user_id, claimed_at)
                      SELECT CAST(? AS UUID), CAST(? AS VARCHAR(320)), CAST(? AS UUID), CAST(? AS UUID),
                             CAST(? AS TIMESTAMP WITH TIME ZONE)
                      FROM d WHERE d.owner_id IS NULL OR d.owner_id = ?
                      ON CONFLICT DO NOTHING RETURNING user_id),
                """);
        params.addAll(List.of(user.directoryId(), emailNormalized, user.organizationId(), user.id(),
                Timestamp.from(now), user.organizationId()));
        String account = "NULL";
        String membership = "NULL";
        if (upFront != null) {
            sql.append("l AS (SELECT CAST(? AS UUID) AS account_id, CAST(? AS UUID) AS membership_id FROM c WHERE NOT ")
                    .append(AccountJoins.addressTaken("?")).append("),\n");
            params.addAll(List.of(upFront.accountId(), upFront.membershipId(), emailNormalized));
            account = "(SELECT account_id FROM l)";
            membership = "(SELECT membership_id FROM l)";
        }
        sql.append("u AS (").append(insertUserLinkedBy(account, membership)).append(" RETURNING account_id)");
        // The user's own link is not bound: a new user has none, and the up-front one is the expression above.
        List<Object> userParams = new ArrayList<>(userParams(user));
        userParams.subList(9, 11).clear();
        params.addAll(userParams);
        List<Object[]> emails = emailRows(user);
        if (!emails.isEmpty()) {
            sql.append(",\ne AS (INSERT INTO scim_user_email (user_id, position, directory_id, value_normalized, ")
                    .append("type_normalized, is_primary) VALUES ");
            for (int i = 0; i < emails.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?)");
                params.addAll(java.util.Arrays.asList(emails.get(i)));
            }
            sql.append(')');
        }
        sql.append("""

                SELECT (SELECT owner_id FROM d) AS domain_owner,
                       (SELECT COUNT(*) FROM c) AS claimed,
                       (SELECT user_id FROM scim_email_claim WHERE directory_id = ? AND email_normalized = ?) AS holder,
                       (SELECT account_id FROM u) AS linked_account,
                       """).append(InvitationJoins.openFor("?", "?", "?")).append(" AS invited");
        params.addAll(List.of(user.directoryId(), emailNormalized, user.organizationId(), emailNormalized,
                Timestamp.from(now)));
        ClaimAttempt attempt = jdbc.sql(sql.toString()).params(params)
                .query((rs, row) -> new ClaimAttempt(Optional.ofNullable(rs.getObject("domain_owner", UUID.class)),
                        rs.getLong("claimed") == 1, rs.getObject("holder", UUID.class), rs.getBoolean("invited"),
                        rs.getObject("linked_account", UUID.class) != null))
                .single();
        statistics.inserted("scim_user", 1);
        statistics.inserted("scim_user_email", emails.size());
        statistics.inserted("scim_email_claim", attempt.claimed() ? 1 : 0);
        if (attempt.domainOwner().filter(id -> !id.equals(user.organizationId())).isPresent()) {
            // Nothing was claimed, whoever holds the address here: the caller holds this user.
            return new Claimed(attempt.domainOwner(), Optional.empty(), attempt.invited(), attempt.linkedUpFront());
        }
        if (attempt.claimed()) {
            return new Claimed(attempt.domainOwner(), Optional.empty(), attempt.invited(), attempt.linkedUpFront());
        }
        if (attempt.holder() != null) {
            // The statement's snapshot shows claims committed before it began: the holder's.
            return new Claimed(attempt.domainOwner(),
                    Optional.of(attempt.holder()).filter(id -> !id.equals(user.id())), attempt.invited(),
                    attempt.linkedUpFront());
        }
        // The claim was committed by a concurrent request after this statement began: read it again.
        return new Claimed(attempt.domainOwner(), claimEmail(user, emailNormalized, now, true), true,
                attempt.linkedUpFront());
    }

    /** Whether {@link #insertClaiming} can write a user linked up front (PostgreSQL, whose link is checked at commit). */
    boolean linksUpFront() {
        return postgres;
    }

    /** The ids of the account and membership a new user's create will make if the address is free. */
    record UpFrontLink(UUID accountId, UUID membershipId) {
    }

    /** The organization that verified the (lower-case) domain, through the sso module's named join. */
    private Optional<UUID> verifiedOwner(String domain) {
        return jdbc.sql("SELECT " + SsoDomainJoins.verifiedOwner("?") + " AS owner").param(domain)
                .query((rs, row) -> Optional.ofNullable(rs.getObject("owner", UUID.class))).single();
    }

    private record ClaimAttempt(Optional<UUID> domainOwner, boolean claimed, UUID holder, boolean invited,
                                boolean linkedUpFront) {
    }

    /**
     * What {@link #insertClaiming} found: the organization that verified the address's domain (as the statement saw
     * it), the user holding the address's claim when it is another (never looked at when another organization
     * verified the domain: then nothing was claimed), and whether an open invitation of the organization may wait for
     * the address ({@code false} only when the statement saw none; H2, which writes the rows one statement at a time,
     * always answers {@code true}, so the invitation is looked up), and whether the user was written linked to the
     * caller's {@link UpFrontLink}.
     */
    record Claimed(Optional<UUID> domainOwner, Optional<UUID> otherHolder, boolean invitationMayWait,
                   boolean linkedUpFront) {
    }

    void update(StoredUser user) {
        jdbc.sql("""
                UPDATE scim_user SET user_name = ?, user_name_normalized = ?, external_id = ?, display_name = ?,
                       display_name_normalized = ?, active = ?, account_id = ?, membership_id = ?,
                       resource = ?, version = ?, updated_at = ?
                WHERE organization_id = ? AND directory_id = ? AND id = ?""")
                .params(user.userName(), normalize(user.userName()), user.externalId(), user.displayName(),
                        normalize(user.displayName()), user.active(), user.accountId(), user.membershipId(),
                        ScimJson.write(user.resource()), user.version(),
                        Timestamp.from(user.updatedAt()), user.organizationId(), user.directoryId(), user.id())
                .update();
        jdbc.sql("DELETE FROM scim_user_email WHERE user_id = ?").param(user.id()).update();
        writeEmails(user);
    }

    /** Updates only the link columns (and why an unlinked user is held), which change without the IdP's doing. */
    /**
     * Handed over rather than run (DeferredWrites): it goes with the transaction's next statement or its commit, so a
     * create's link travels with its membership, events and audit entry. The user is this transaction's to change
     * (inserted or locked by it), so the one row is written.
     */
    void updateLink(StoredUser user) {
        deferred.beforeNextStatement(DeferredWrite.of("scim_user", """
                UPDATE scim_user SET account_id = ?, membership_id = ?, held_reason = ?, invitation_id = ?
                WHERE organization_id = ? AND directory_id = ? AND id = ?""", 7, (ps, first) -> {
            uuid(ps, first, user.accountId());
            uuid(ps, first + 1, user.membershipId());
            text(ps, first + 2, user.heldReason());
            uuid(ps, first + 3, user.invitationId());
            ps.setObject(first + 4, user.organizationId());
            ps.setObject(first + 5, user.directoryId());
            ps.setObject(first + 6, user.id());
        }, 1));
    }

    // Typed nulls, so the statement's parameter types do not change between a linked and an unlinked user.
    private static void uuid(PreparedStatement ps, int index, UUID value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.OTHER);
        }
        else {
            ps.setObject(index, value);
        }
    }

    private static void text(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        }
        else {
            ps.setString(index, value);
        }
    }

    /**
     * Takes the directory's claim on an address for this user (letting go of a claim it held on another address), and
     * answers the user that holds it when that is someone else. The primary key decides, not a look-up: a concurrent
     * claim waits for the other transaction and then inserts nothing, so of any number of users with one address
     * exactly one stands for it. {@code ON CONFLICT DO NOTHING} leaves this transaction usable either way.
     */
    Optional<UUID> claimEmail(StoredUser user, String emailNormalized, Instant now, boolean userCreatedNow) {
        if (!userCreatedNow) {
            // A user inserted by this transaction holds no other claim to let go of.
            jdbc.sql("DELETE FROM scim_email_claim WHERE user_id = ? AND email_normalized <> ?")
                    .params(user.id(), emailNormalized).update();
        }
        // A claim released between the insert and the read is tried again: twice is plenty, a third time is a loop.
        for (int attempt = 0; attempt < 3; attempt++) {
            int inserted = jdbc.sql("""
                    INSERT INTO scim_email_claim (directory_id, email_normalized, organization_id, user_id, claimed_at)
                    VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT DO NOTHING""")
                    .params(user.directoryId(), emailNormalized, user.organizationId(), user.id(), Timestamp.from(now))
                    .update();
            if (inserted == 1) {
                statistics.inserted("scim_email_claim", 1);
                return Optional.empty();
            }
            Optional<UUID> holder = claimant(user.directoryId(), emailNormalized);
            if (holder.isPresent()) {
                return holder.filter(id -> !id.equals(user.id()));
            }
        }
        throw new IllegalStateException("The claim on an address kept changing hands.");
    }

    /** The user that holds the directory's claim on an address. */
    Optional<UUID> claimant(UUID directoryId, String emailNormalized) {
        return jdbc.sql("SELECT user_id FROM scim_email_claim WHERE directory_id = ? AND email_normalized = ?")
                .params(directoryId, emailNormalized).query(UUID.class).optional();
    }

    /** The address this user holds the directory's claim on, if any. */
    Optional<String> claimedEmail(UUID userId) {
        return jdbc.sql("SELECT email_normalized FROM scim_email_claim WHERE user_id = ?")
                .param(userId).query(String.class).list().stream().findFirst();
    }

    /** Lets go of the user's claim; answers the address it was on. */
    Optional<String> releaseEmailClaim(UUID userId) {
        Optional<String> claimed = claimedEmail(userId);
        claimed.ifPresent(email -> jdbc.sql("DELETE FROM scim_email_claim WHERE user_id = ?").param(userId).update());
        return claimed;
    }

    /**
     * The directory's users kept unlinked because another user held the address, that may have it (by an email value
     * or their userName), oldest first; the caller checks each one's preferred address.
     */
    List<StoredUser> keptForEmail(UUID organizationId, UUID directoryId, String emailNormalized, String reason) {
        return jdbc.sql("""
                SELECT * FROM scim_user u
                WHERE organization_id = ? AND directory_id = ? AND held_reason = ?
                  AND (user_name_normalized = ? OR EXISTS (SELECT 1 FROM scim_user_email e
                                                           WHERE e.user_id = u.id AND e.value_normalized = ?))
                ORDER BY created_at, id""")
                .params(organizationId, directoryId, reason, emailNormalized, emailNormalized)
                .query(ScimUserRepository::map).list();
    }

    /** The users of the organization (any directory) that wait for the person to accept this invitation. */
    List<StoredUser> awaiting(UUID organizationId, UUID invitationId) {
        return jdbc.sql("SELECT * FROM scim_user u WHERE organization_id = ? AND invitation_id = ? AND account_id IS NULL")
                .params(organizationId, invitationId).query(ScimUserRepository::map).list();
    }

    /** A page of the directory's users that are kept unlinked, oldest first. */
    List<StoredUser> held(UUID organizationId, UUID directoryId, int limit, long offset) {
        return jdbc.sql("""
                SELECT * FROM scim_user u WHERE organization_id = ? AND directory_id = ? AND held_reason IS NOT NULL
                ORDER BY created_at, id LIMIT ? OFFSET ?""")
                .params(organizationId, directoryId, limit, offset).query(ScimUserRepository::map).list();
    }

    long countHeld(UUID organizationId, UUID directoryId) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM scim_user WHERE organization_id = ? AND directory_id = ? AND held_reason IS NOT NULL""")
                .params(organizationId, directoryId).query(Long.class).single();
    }

    private void writeEmails(StoredUser user) {
        List<Object[]> rows = emailRows(user);
        statistics.inserted("scim_user_email", rows.size());
        for (Object[] row : rows) {
            jdbc.sql("""
                    INSERT INTO scim_user_email (user_id, position, directory_id, value_normalized, type_normalized,
                                                 is_primary)
                    VALUES (?, ?, ?, ?, ?, ?)""")
                    .params(row)
                    .update();
        }
    }

    /** The rows of scim_user_email for the user's emails with a value, in the order sent. */
    private static List<Object[]> emailRows(StoredUser user) {
        JsonNode emails = user.resource().get("emails");
        if (emails == null || !emails.isArray()) {
            return List.of();
        }
        List<Object[]> rows = new ArrayList<>();
        int position = 0;
        for (JsonNode email : emails) {
            JsonNode value = email.get("value");
            if (value == null || !value.isTextual() || value.textValue().isBlank()) {
                continue;
            }
            JsonNode type = email.get("type");
            JsonNode primary = email.get("primary");
            rows.add(new Object[] {user.id(), position++, user.directoryId(), truncate(normalize(value.textValue()), 320),
                    type != null && type.isTextual() ? truncate(normalize(type.textValue()), 64) : null,
                    primary != null && primary.isBoolean() && primary.booleanValue()});
        }
        return rows;
    }

    Optional<StoredUser> find(UUID organizationId, UUID directoryId, UUID id) {
        return jdbc.sql("SELECT * FROM scim_user u WHERE organization_id = ? AND directory_id = ? AND id = ?")
                .params(organizationId, directoryId, id).query(ScimUserRepository::map).optional();
    }

    Optional<StoredUser> lock(UUID organizationId, UUID directoryId, UUID id) {
        return jdbc.sql("SELECT * FROM scim_user u WHERE organization_id = ? AND directory_id = ? AND id = ? FOR UPDATE")
                .params(organizationId, directoryId, id).query(ScimUserRepository::map).optional();
    }

    Optional<UUID> idByUserName(UUID organizationId, UUID directoryId, String userName) {
        return jdbc.sql("""
                SELECT id FROM scim_user WHERE organization_id = ? AND directory_id = ? AND user_name_normalized = ?""")
                .params(organizationId, directoryId, normalize(userName)).query(UUID.class).optional();
    }

    /** Another user of this directory already linked to the membership, if any. */
    Optional<UUID> linkedToMembership(UUID organizationId, UUID directoryId, UUID membershipId, UUID exceptUserId) {
        return jdbc.sql("""
                SELECT id FROM scim_user
                WHERE organization_id = ? AND directory_id = ? AND membership_id = ? AND id <> ?""")
                .params(organizationId, directoryId, membershipId, exceptUserId).query(UUID.class).list().stream()
                .findFirst();
    }

    /** Users in other directories of the organization that manage the same membership. */
    int otherDirectoryLinks(UUID organizationId, UUID membershipId, UUID exceptUserId) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM scim_user WHERE organization_id = ? AND membership_id = ? AND id <> ?""")
                .params(organizationId, membershipId, exceptUserId).query(Integer.class).single();
    }

    List<StoredUser> search(UUID organizationId, UUID directoryId, ListQuery query) {
        return lists.page(organizationId, directoryId, query).query(ScimUserRepository::map).list();
    }

    /** The page of {@code query} that starts after a user, in the default order (see {@link PageContinuations}). */
    List<StoredUser> searchAfter(UUID organizationId, UUID directoryId, ListQuery query,
                                 PageContinuations.After after) {
        return lists.pageAfter(organizationId, directoryId, query, after).query(ScimUserRepository::map).list();
    }

    long count(UUID organizationId, UUID directoryId, ListQuery query) {
        return lists.count(organizationId, directoryId, query);
    }

    void delete(UUID organizationId, UUID directoryId, UUID id) {
        jdbc.sql("DELETE FROM scim_user WHERE organization_id = ? AND directory_id = ? AND id = ?")
                .params(organizationId, directoryId, id).update();
    }

    /** Which of the ids are users of this directory. */
    Set<UUID> existing(UUID organizationId, UUID directoryId, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        List<UUID> found = new ArrayList<>();
        for (List<UUID> chunk : chunks(ids)) {
            found.addAll(jdbc.sql("""
                    SELECT id FROM scim_user WHERE organization_id = :org AND directory_id = :dir AND id IN (:ids)""")
                    .param("org", organizationId).param("dir", directoryId).param("ids", chunk)
                    .query(UUID.class).list());
        }
        return Set.copyOf(found);
    }

    /** The membership each user is linked to, for users that are linked. */
    Map<UUID, UUID> memberships(UUID organizationId, UUID directoryId, Collection<UUID> userIds) {
        Map<UUID, UUID> result = new LinkedHashMap<>();
        for (List<UUID> chunk : chunks(userIds)) {
            jdbc.sql("""
                    SELECT id, membership_id FROM scim_user
                    WHERE organization_id = :org AND directory_id = :dir AND id IN (:ids) AND membership_id IS NOT NULL""")
                    .param("org", organizationId).param("dir", directoryId).param("ids", chunk)
                    .query(rs -> {
                        result.put(rs.getObject("id", UUID.class), rs.getObject("membership_id", UUID.class));
                    });
        }
        return result;
    }

    /** The groups each user is a member of (the read-only {@code groups} attribute). */
    Map<UUID, List<GroupRef>> groups(UUID organizationId, UUID directoryId, Collection<UUID> userIds) {
        Map<UUID, List<GroupRef>> result = new HashMap<>();
        if (userIds.isEmpty()) {
            return result;
        }
        for (List<UUID> chunk : chunks(userIds)) {
            jdbc.sql("""
                    SELECT m.user_id, g.id, g.display_name FROM scim_group_member m
                    JOIN scim_group g ON g.id = m.group_id
                    WHERE g.organization_id = :org AND g.directory_id = :dir AND m.user_id IN (:ids)
                    ORDER BY g.display_name_normalized, g.id""")
                    .param("org", organizationId).param("dir", directoryId).param("ids", chunk)
                    .query(rs -> {
                        result.computeIfAbsent(rs.getObject("user_id", UUID.class), k -> new ArrayList<>())
                                .add(new GroupRef(rs.getObject("id", UUID.class), rs.getString("display_name")));
                    });
        }
        return result;
    }

    record GroupRef(UUID id, String displayName) {
    }

    static List<List<UUID>> chunks(Collection<UUID> ids) {
        List<UUID> all = List.copyOf(ids);
        List<List<UUID>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 1000) {
            chunks.add(all.subList(i, Math.min(all.size(), i + 1000)));
        }
        return chunks;
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    static StoredUser map(ResultSet rs, int row) throws SQLException {
        return new StoredUser(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getObject("directory_id", UUID.class), rs.getString("user_name"), rs.getString("external_id"),
                rs.getString("display_name"), rs.getBoolean("active"), rs.getObject("account_id", UUID.class),
                rs.getObject("membership_id", UUID.class),
                ScimJson.parseStored(rs.getString("resource")), rs.getLong("version"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                rs.getString("held_reason"), rs.getObject("invitation_id", UUID.class));
    }
}
