package dev.roster.sso.access;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.roster.sso.SsoDomainJoins;

/**
 * Claimed email domains. Every statement names the organization, except the look-up of who holds a domain verified,
 * which finds it. {@code verified_domain} is set only once a domain is verified, and its unique key lets one
 * organization at most hold a domain verified: a second organization's verification fails with a duplicate key.
 */
@Repository
class SsoDomainRepository {

    private final JdbcClient jdbc;

    SsoDomainRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID id, UUID organizationId, String domain, String verificationToken, Instant now) {
        jdbc.sql("""
                INSERT INTO sso_domain (id, organization_id, domain, verification_token, created_at)
                VALUES (?, ?, ?, ?, ?)""")
                .params(id, organizationId, domain, verificationToken, Timestamp.from(now)).update();
    }

    void delete(UUID organizationId, UUID domainId) {
        jdbc.sql("DELETE FROM sso_domain WHERE organization_id = ? AND id = ?").params(organizationId, domainId).update();
    }

    List<VerifiedDomain> list(UUID organizationId) {
        return jdbc.sql("SELECT * FROM sso_domain WHERE organization_id = ? ORDER BY domain")
                .param(organizationId).query(SsoDomainRepository::map).list();
    }

    Optional<VerifiedDomain> find(UUID organizationId, UUID domainId) {
        return jdbc.sql("SELECT * FROM sso_domain WHERE organization_id = ? AND id = ?").params(organizationId, domainId)
                .query(SsoDomainRepository::map).optional();
    }

    Optional<VerifiedDomain> findByDomain(UUID organizationId, String domain) {
        return jdbc.sql("SELECT * FROM sso_domain WHERE organization_id = ? AND domain = ?")
                .params(organizationId, domain).query(SsoDomainRepository::map).optional();
    }

    /** Whether the organization holds this (lower-case) domain verified. */
    boolean isVerified(UUID organizationId, String domain) {
        return jdbc.sql("SELECT COUNT(*) FROM sso_domain WHERE organization_id = ? AND verified_domain = ?")
                .params(organizationId, domain).query(Integer.class).single() > 0;
    }

    /**
     * The organization that holds this (lower-case) domain verified, if any: the question SCIM's create asks inside its
     * own statement, in the same words ({@link SsoDomainJoins#verifiedOwner}).
     */
    Optional<UUID> verifiedOwner(String domain) {
        return jdbc.sql("SELECT " + SsoDomainJoins.verifiedOwner("?") + " AS owner")
                .param(domain).query((rs, row) -> Optional.ofNullable(rs.getObject("owner", UUID.class))).single();
    }

    /**
     * Marks the domain verified. Throws {@link org.springframework.dao.DuplicateKeyException} when another
     * organization verified the same domain first.
     */
    void markVerified(UUID organizationId, UUID domainId, String domain, String by, Instant now) {
        jdbc.sql("""
                UPDATE sso_domain SET verified_domain = ?, verified_at = ?, verified_by = ?
                WHERE organization_id = ? AND id = ?""")
                .params(domain, Timestamp.from(now), by, organizationId, domainId).update();
    }

    private static VerifiedDomain map(ResultSet rs, int row) throws SQLException {
        String domain = rs.getString("domain");
        Timestamp verifiedAt = rs.getTimestamp("verified_at");
        return new VerifiedDomain(rs.getObject("id", UUID.class), domain, rs.getString("verified_domain") != null,
                SsoDomainService.TXT_PREFIX + domain, rs.getString("verification_token"),
                verifiedAt == null ? null : verifiedAt.toInstant(), rs.getString("verified_by"),
                rs.getTimestamp("created_at").toInstant());
    }
}
