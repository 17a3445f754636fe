package dev.roster.invitation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.roster.organization.OrganizationJoins;

/**
 * Invitations and their teams. Every statement names the organization, except the look-up by link token, where the
 * secret itself identifies the invitation (and with it the organization).
 */
@Repository
class InvitationRepository {

    // IN lists are split so that no statement carries an unbounded number of parameters.
    private static final int CHUNK = 500;

    private final JdbcClient jdbc;

    InvitationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(InvitationRow row, String tokenLookup) {
        jdbc.sql("""
                INSERT INTO invitation (id, organization_id, email, email_normalized, pending_email, admin, status,
                                        token_lookup, token_hash, invited_by_account_id, accepted_account_id,
                                        created_at, sent_at, expires_at, closed_at, directory_name)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(row.id(), row.organizationId(), row.email(), row.emailNormalized(), row.pendingEmail(),
                        row.admin(), row.storedStatus(), tokenLookup, row.tokenHash(), row.invitedBy(),
                        row.acceptedAccountId(), ts(row.createdAt()), ts(row.sentAt()), ts(row.expiresAt()),
                        ts(row.closedAt()), row.directoryName())
                .update();
    }

    void insertTeams(UUID organizationId, UUID invitationId, Collection<UUID> teamIds) {
        for (UUID teamId : teamIds) {
            jdbc.sql("INSERT INTO invitation_team (invitation_id, organization_id, team_id) VALUES (?, ?, ?)")
                    .params(invitationId, organizationId, teamId).update();
        }
    }

    Optional<InvitationRow> find(UUID organizationId, UUID id) {
        return jdbc.sql("SELECT * FROM invitation WHERE organization_id = ? AND id = ?")
                .params(organizationId, id).query(InvitationRepository::map).optional();
    }

    Optional<InvitationRow> lock(UUID organizationId, UUID id) {
        return jdbc.sql("SELECT * FROM invitation WHERE organization_id = ? AND id = ? FOR UPDATE")
                .params(organizationId, id).query(InvitationRepository::map).optional();
    }

    /** Candidates for a presented link token; the caller compares the full hash. */
    Optional<InvitationRow> lockPending(UUID organizationId, String emailNormalized, Instant now) {
        return jdbc.sql("""
                SELECT * FROM invitation
                WHERE organization_id = ? AND pending_email = ? AND status = 'PENDING' AND expires_at > ?
                FOR UPDATE""")
                .params(organizationId, emailNormalized, Timestamp.from(now)).query(InvitationRepository::map)
                .optional();
    }

    /** A link a resend replaced: the invitation it belonged to, and when it was replaced. */
    record ReplacedLink(String tokenHash, UUID organizationId, UUID invitationId, Instant replacedAt) {
    }

    List<ReplacedLink> findReplacedByTokenLookup(String lookup) {
        return jdbc.sql("""
                SELECT token_hash, organization_id, invitation_id, replaced_at FROM invitation_replaced_link
                WHERE token_lookup = ?""")
                .param(lookup)
                .query((rs, row) -> new ReplacedLink(rs.getString("token_hash"), rs.getObject("organization_id", UUID.class),
                        rs.getObject("invitation_id", UUID.class), rs.getTimestamp("replaced_at").toInstant()))
                .list();
    }

    List<InvitationRow> findByTokenLookup(String lookup, boolean forUpdate) {
        return jdbc.sql("SELECT * FROM invitation WHERE token_lookup = ?" + (forUpdate ? " FOR UPDATE" : ""))
                .param(lookup).query(InvitationRepository::map).list();
    }

    /** The invitations that hold the pending slot of these addresses, by normalized address. */
    Map<String, InvitationRow> findPending(UUID organizationId, Collection<String> normalizedEmails) {
        Map<String, InvitationRow> result = new LinkedHashMap<>();
        for (List<String> chunk : chunks(normalizedEmails)) {
            jdbc.sql("SELECT * FROM invitation WHERE organization_id = :org AND pending_email IN (:emails)")
                    .param("org", organizationId).param("emails", chunk)
                    .query(InvitationRepository::map).list()
                    .forEach(row -> result.put(row.pendingEmail(), row));
        }
        return result;
    }

    /** Releases the pending slot of an invitation whose time ran out, so the address can be invited again. */
    /**
     * Pending invitations whose time is up, across organizations, oldest expiry first: the sweep's candidates. A
     * soft-deleted organization's are left as they are (no change, no event) until it is restored or purged.
     */
    List<InvitationRow> dueToExpire(Instant now, int limit) {
        return jdbc.sql("""
                SELECT i.* FROM invitation i""" + OrganizationJoins.joinLive("o", "i.organization_id") + """
                WHERE i.status = 'PENDING' AND i.expires_at <= ?
                ORDER BY i.expires_at, i.id LIMIT ?""")
                .params(ts(now), limit).query(InvitationRepository::map).list();
    }

    /**
     * Marks these invitations expired, each only if still pending and run out; the count per row says whether this
     * transaction marked it (1) or another had already (0). Rows are updated in the order given (the sweep's, by
     * expiry), the order {@link #lockExpired} locks in too.
     */
    int[] markExpired(List<InvitationRow> rows, Instant now) {
        int[] counts = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            counts[i] = markExpired(rows.get(i).organizationId(), rows.get(i).id(), now) ? 1 : 0;
        }
        return counts;
    }

    boolean markExpired(UUID organizationId, UUID id, Instant now) {
        return jdbc.sql("""
                UPDATE invitation SET status = 'EXPIRED', pending_email = NULL, closed_at = expires_at
                WHERE organization_id = ? AND id = ? AND status = 'PENDING' AND expires_at <= ?""")
                .params(organizationId, id, ts(now)).update() > 0;
    }

    /** A new link and a new expiry: the old token no longer matches anything. */
    void reissue(UUID organizationId, UUID id, String tokenLookup, String tokenHash, String pendingEmail,
                 Instant sentAt, Instant expiresAt) {
        jdbc.sql("""
                INSERT INTO invitation_replaced_link (token_hash, token_lookup, organization_id, invitation_id, replaced_at)
                SELECT token_hash, token_lookup, organization_id, id, ? FROM invitation
                WHERE organization_id = ? AND id = ? AND token_hash <> ?""")
                .params(ts(sentAt), organizationId, id, tokenHash).update();
        jdbc.sql("""
                UPDATE invitation SET status = 'PENDING', pending_email = ?, token_lookup = ?, token_hash = ?,
                                      sent_at = ?, expires_at = ?, closed_at = NULL
                WHERE organization_id = ? AND id = ?""")
                .params(pendingEmail, tokenLookup, tokenHash, ts(sentAt), ts(expiresAt), organizationId, id)
                .update();
    }

    void close(UUID organizationId, UUID id, InvitationStatus status, UUID acceptedAccountId, Instant now) {
        jdbc.sql("""
                UPDATE invitation SET status = ?, pending_email = NULL, accepted_account_id = ?, closed_at = ?
                WHERE organization_id = ? AND id = ?""")
                .params(status.name(), acceptedAccountId, ts(now), organizationId, id).update();
    }

    List<InvitationRow> page(UUID organizationId, InvitationStatus status, Instant now, int limit, long offset) {
        return jdbc.sql("SELECT * FROM invitation WHERE organization_id = :org" + statusClause(status)
                        + " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset")
                .param("org", organizationId).param("now", ts(now)).param("limit", limit).param("offset", offset)
                .query(InvitationRepository::map).list();
    }

    long count(UUID organizationId, InvitationStatus status, Instant now) {
        return jdbc.sql("SELECT COUNT(*) FROM invitation WHERE organization_id = :org" + statusClause(status))
                .param("org", organizationId).param("now", ts(now)).query(Long.class).single();
    }

    List<InvitationRow> lockExpired(UUID organizationId, Instant now) {
        return jdbc.sql("SELECT * FROM invitation WHERE organization_id = :org"
                        + statusClause(InvitationStatus.EXPIRED) + " ORDER BY expires_at, id FOR UPDATE")
                .param("org", organizationId).param("now", ts(now)).query(InvitationRepository::map).list();
    }

    int delete(UUID organizationId, Collection<UUID> ids) {
        int deleted = 0;
        for (List<UUID> chunk : chunks(ids)) {
            deleted += jdbc.sql("DELETE FROM invitation WHERE organization_id = :org AND id IN (:ids)")
                    .param("org", organizationId).param("ids", chunk).update();
        }
        return deleted;
    }

    /** The team ids of each invitation, in no particular order. */
    Map<UUID, Set<UUID>> teamIds(UUID organizationId, Collection<UUID> invitationIds) {
        Map<UUID, Set<UUID>> result = new LinkedHashMap<>();
        for (List<UUID> chunk : chunks(invitationIds)) {
            jdbc.sql("""
                    SELECT invitation_id, team_id FROM invitation_team
                    WHERE organization_id = :org AND invitation_id IN (:ids)""")
                    .param("org", organizationId).param("ids", chunk)
                    .query(rs -> {
                        result.computeIfAbsent(rs.getObject("invitation_id", UUID.class), k -> new LinkedHashSet<>())
                                .add(rs.getObject("team_id", UUID.class));
                    });
        }
        return result;
    }

    long countOpenNamingTeam(UUID organizationId, UUID teamId, Instant now) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM invitation_team it JOIN invitation i ON i.id = it.invitation_id
                WHERE it.organization_id = ? AND it.team_id = ? AND i.organization_id = ?
                  AND i.status = 'PENDING' AND i.expires_at > ?""")
                .params(organizationId, teamId, organizationId, ts(now)).query(Long.class).single();
    }

    private static String statusClause(InvitationStatus status) {
        if (status == null) {
            return "";
        }
        return switch (status) {
            case PENDING -> " AND status = 'PENDING' AND expires_at > :now";
            case EXPIRED -> " AND (status = 'EXPIRED' OR (status = 'PENDING' AND expires_at <= :now))";
            case ACCEPTED -> " AND status = 'ACCEPTED'";
            case REVOKED -> " AND status = 'REVOKED'";
        };
    }

    private static <T> List<List<T>> chunks(Collection<T> values) {
        List<T> all = new ArrayList<>(values);
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK) {
            chunks.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
        }
        return chunks;
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    static InvitationRow map(ResultSet rs, int row) throws SQLException {
        return new InvitationRow(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getString("email"), rs.getString("email_normalized"), rs.getString("pending_email"),
                rs.getBoolean("admin"), rs.getString("status"), rs.getString("token_hash"),
                rs.getObject("invited_by_account_id", UUID.class), rs.getObject("accepted_account_id", UUID.class),
                instant(rs, "created_at"), instant(rs, "sent_at"), instant(rs, "expires_at"),
                instant(rs, "closed_at"), rs.getString("directory_name"));
    }
}
