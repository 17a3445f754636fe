package dev.roster.scim.directory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.roster.organization.OrganizationJoins;
import dev.roster.shared.SecretToken;
import dev.roster.shared.ratelimit.BucketJoins;
import dev.roster.shared.ratelimit.InlineTake;
import dev.roster.shared.ratelimit.Limit;

/** Directories and their tokens. Every statement names the organization, except the token look-up that finds it. */
@Repository
class DirectoryRepository {

    private final JdbcClient jdbc;
    /** The same connections, with the bucket's lock wait as every statement's query timeout. */
    private final JdbcClient bucketTaking;

    DirectoryRepository(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        JdbcTemplate timed = new JdbcTemplate(template.getDataSource());
        timed.setExceptionTranslator(template.getExceptionTranslator());
        timed.setQueryTimeout((int) BucketJoins.LOCK_WAIT.toSeconds());
        this.bucketTaking = JdbcClient.create(timed);
    }

    void insert(ScimDirectory directory) {
        jdbc.sql("""
                INSERT INTO scim_directory (id, organization_id, name, kind, requests_per_second, created_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(directory.id(), directory.organizationId(), directory.name(), directory.kind().name(),
                        directory.requestsPerSecond(), Timestamp.from(directory.createdAt()))
                .update();
    }

    Optional<ScimDirectory> find(UUID organizationId, UUID directoryId) {
        return jdbc.sql("SELECT * FROM scim_directory WHERE organization_id = ? AND id = ?")
                .params(organizationId, directoryId).query(DirectoryRepository::map).optional();
    }

    List<ScimDirectory> list(UUID organizationId, int limit, long offset) {
        return jdbc.sql("SELECT * FROM scim_directory WHERE organization_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?")
                .params(organizationId, limit, offset).query(DirectoryRepository::map).list();
    }

    long count(UUID organizationId) {
        return jdbc.sql("SELECT COUNT(*) FROM scim_directory WHERE organization_id = ?").param(organizationId)
                .query(Long.class).single();
    }

    /**
     * Deletes the directory's group mappings, as part of deleting the directory. Here rather than in
     * {@code provisioning.GroupMappingRepository}, which holds every other statement on {@code group_mapping}:
     * provisioning depends on this package, not the other way round, and a mapping's {@code source_id} names its
     * directory without a foreign key (a mapping's source is polymorphic), so nothing deletes them on cascade.
     */
    void deleteMappings(UUID organizationId, UUID directoryId) {
        jdbc.sql("DELETE FROM group_mapping WHERE organization_id = ? AND source = 'SCIM' AND source_id = ?")
                .params(organizationId, directoryId).update();
    }

    void delete(UUID organizationId, UUID directoryId) {
        jdbc.sql("DELETE FROM scim_directory WHERE organization_id = ? AND id = ?").params(organizationId, directoryId)
                .update();
    }

    void insertToken(UUID id, UUID organizationId, UUID directoryId, SecretToken.Issued secret, Instant now) {
        jdbc.sql("""
                INSERT INTO scim_token (id, organization_id, directory_id, token_lookup, token_hash, created_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(id, organizationId, directoryId, secret.lookup(), secret.hash(), Timestamp.from(now)).update();
    }

    List<ScimToken> tokens(UUID organizationId, UUID directoryId) {
        return jdbc.sql("SELECT * FROM scim_token WHERE organization_id = ? AND directory_id = ? ORDER BY created_at, id")
                .params(organizationId, directoryId).query(DirectoryRepository::mapToken).list();
    }

    int activeTokens(UUID organizationId, UUID directoryId) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM scim_token WHERE organization_id = ? AND directory_id = ? AND revoked_at IS NULL""")
                .params(organizationId, directoryId).query(Integer.class).single();
    }

    /** Locks the directory row so two admins issuing tokens at once cannot exceed the two live tokens. */
    void lock(UUID organizationId, UUID directoryId) {
        jdbc.sql("SELECT id FROM scim_directory WHERE organization_id = ? AND id = ? FOR UPDATE")
                .params(organizationId, directoryId).query(UUID.class).optional();
    }

    boolean revokeToken(UUID organizationId, UUID directoryId, UUID tokenId, Instant now) {
        return jdbc.sql("""
                UPDATE scim_token SET revoked_at = ?
                WHERE organization_id = ? AND directory_id = ? AND id = ? AND revoked_at IS NULL""")
                .params(Timestamp.from(now), organizationId, directoryId, tokenId).update() > 0;
    }

    Optional<ScimToken> token(UUID organizationId, UUID directoryId, UUID tokenId) {
        return jdbc.sql("SELECT * FROM scim_token WHERE organization_id = ? AND directory_id = ? AND id = ?")
                .params(organizationId, directoryId, tokenId).query(DirectoryRepository::mapToken).optional();
    }

    /**
     * Live tokens whose look-up key matches, with their directory and stored hash, for authentication. A deleted
     * organization's tokens match nothing, from the request after its deletion on.
     */
    List<Map.Entry<TokenCandidate, String>> candidates(String lookup) {
        return jdbc.sql("""
                SELECT t.id AS token_id, t.token_hash, t.last_used_at, d.*
                FROM scim_token t JOIN scim_directory d ON d.id = t.directory_id AND d.organization_id = t.organization_id
                """ + OrganizationJoins.joinLive("o", "t.organization_id") + """
                WHERE t.token_lookup = ? AND t.revoked_at IS NULL""")
                .param(lookup)
                .query((rs, row) -> Map.entry(new TokenCandidate(rs.getObject("token_id", UUID.class), map(rs, row),
                        instant(rs, "last_used_at"), InlineTake.NONE), rs.getString("token_hash")))
                .list();
    }

    /**
     * The statement of {@link #candidatesTaking}, composed once: built on every request, its fragments' concatenation
     * and replacements and the hashing of the fresh string in the parsed-SQL cache were about 3 % of a SCIM request's
     * CPU (issue 15).
     */
    private static final String CANDIDATES_TAKING = """
            WITH t AS (
              SELECT t.id AS token_id, t.token_hash, t.last_used_at, d.*,
                CASE WHEN d.requests_per_second IS NULL THEN :defaultCapacity
                     ELSE GREATEST(d.requests_per_second, 1) END AS bucket_capacity,
                CASE WHEN d.requests_per_second IS NULL THEN :defaultPeriod ELSE :ownPeriod END AS bucket_period
              FROM scim_token t JOIN scim_directory d ON d.id = t.directory_id AND d.organization_id = t.organization_id
            """ + OrganizationJoins.joinLive("o", "t.organization_id") + """
              WHERE t.token_lookup = :lookup AND t.revoked_at IS NULL),
            shape AS (SELECT t.*, :keyPrefix || t.id || '@' || t.bucket_capacity || '/' || t.bucket_period AS bucket_id
              FROM t),
            taken AS (""" + BucketJoins.takeFrom("shape", ":nowMillis") + """
            )
            SELECT shape.*, taken.taken_from, taken.units_left, taken.taken
            FROM shape LEFT JOIN taken ON taken.taken_from = shape.bucket_id""";

    /**
     * {@link #CANDIDATES_TAKING} with its named parameters replaced by {@code ?} once, and where each one goes: given
     * the named text, Spring substitutes a new string on every call, which the driver's statement cache then hashes
     * and compares in full (the statement's share of a SCIM request's CPU fell from 11.4 % to 9.0 % without that,
     * issue 15's sixth round). One string, sent as is.
     */
    private static final ParsedSql CANDIDATES_TAKING_PARSED = NamedParameterUtils.parseSqlStatement(CANDIDATES_TAKING);
    private static final String CANDIDATES_TAKING_POSITIONAL =
            NamedParameterUtils.substituteNamedParameters(CANDIDATES_TAKING_PARSED, null);

    /**
     * {@link #candidates}, and in the same statement one unit taken from the rate-limit bucket of the directory of the
     * token found (decision 0021): one round trip for the token check and the rate limit of a SCIM request, on
     * PostgreSQL, in autocommit (no transaction is bound: {@code authenticate} runs without one), with the bucket's
     * lock wait as the statement's query timeout.
     * <p>
     * The bucket is the one {@code ScimRateLimiter} takes from, named and shaped from the directory's row as it does:
     * its own {@code requests_per_second} (at least 1) tokens refilled over {@code ownPeriod}, or the configured
     * {@code defaults}; {@code keyPrefix} and the directory's id make its key. {@code SharedBuckets} checks the name
     * the statement took for against the one it computes, so a drift between the two is taken from the right bucket
     * anyway.
     * <p>
     * Who may take: only a row of {@code t}, a live, unrevoked token of a live organization whose look-up key equals
     * the presented token's, so an unknown, revoked or deleted organization's token touches no bucket, and a token
     * names only its own directory's. The look-up key is the first 128 bits of the presented token's SHA-256: nobody
     * without the token can make a request find a row (a preimage), so the take is the token holder's even though the
     * full hash is compared afterwards, in constant time, in Java. Two live tokens with one key (a 2^-64 birthday
     * chance) take nothing here ({@link BucketJoins#takeFrom} takes for exactly one row) and are taken for as usual.
     */
    List<Map.Entry<TokenCandidate, String>> candidatesTaking(String lookup, String keyPrefix, Limit defaults,
                                                             Duration ownPeriod, long nowMillis) {
        MapSqlParameterSource values = new MapSqlParameterSource()
                .addValue("lookup", lookup)
                .addValue("keyPrefix", keyPrefix)
                .addValue("defaultCapacity", defaults.capacity())
                .addValue("defaultPeriod", defaults.refillPeriod().toNanos())
                .addValue("ownPeriod", ownPeriod.toNanos())
                .addValue("nowMillis", nowMillis);
        return bucketTaking.sql(CANDIDATES_TAKING_POSITIONAL)
                .params(NamedParameterUtils.buildValueArray(CANDIDATES_TAKING_PARSED, values, null))
                .query((rs, row) -> {
                    String bucket = rs.getString("taken_from");
                    InlineTake take = bucket == null ? InlineTake.NONE
                            : new InlineTake.Answered(bucket, rs.getLong("units_left"), rs.getBoolean("taken"));
                    return Map.entry(new TokenCandidate(rs.getObject("token_id", UUID.class), map(rs, row),
                            instant(rs, "last_used_at"), take), rs.getString("token_hash"));
                })
                .list();
    }

    /** The hashes of live tokens whose look-up key matches and whose organization is deleted (not yet purged). */
    List<String> deletedOrganizationTokenHashes(String lookup) {
        return jdbc.sql("""
                SELECT t.token_hash FROM scim_token t""" + OrganizationJoins.joinDeleted("o", "t.organization_id") + """
                WHERE t.token_lookup = ? AND t.revoked_at IS NULL""")
                .param(lookup).query(String.class).list();
    }

    void touchToken(UUID tokenId, Instant now) {
        jdbc.sql("UPDATE scim_token SET last_used_at = ? WHERE id = ?").params(Timestamp.from(now), tokenId).update();
    }

    record TokenCandidate(UUID tokenId, ScimDirectory directory, Instant lastUsedAt, InlineTake bucket) {
    }

    static ScimDirectory map(ResultSet rs, int row) throws SQLException {
        int value = rs.getInt("requests_per_second");
        Integer rate = rs.wasNull() ? null : value;
        return new ScimDirectory(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getString("name"), DirectoryKind.valueOf(rs.getString("kind")), rate,
                rs.getTimestamp("created_at").toInstant());
    }

    private static ScimToken mapToken(ResultSet rs, int row) throws SQLException {
        return new ScimToken(rs.getObject("id", UUID.class), rs.getObject("directory_id", UUID.class),
                rs.getTimestamp("created_at").toInstant(), instant(rs, "last_used_at"), instant(rs, "revoked_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
