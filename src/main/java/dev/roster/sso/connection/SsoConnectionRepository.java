package dev.roster.sso.connection;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.roster.organization.OrganizationJoins;

@Repository
public class SsoConnectionRepository {

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    SsoConnectionRepository(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    Optional<SsoConnection> find(UUID organizationId, UUID id) {
        return jdbc.sql("SELECT * FROM sso_connection WHERE organization_id = ? AND id = ?")
                .params(organizationId, id).query(this::map).optional();
    }

    /**
     * By id alone, for the SAML endpoints whose URL names only the connection; the organization is then taken from
     * the row, never from the request. A deleted organization's connections are not found: its sign-ins end with
     * the request after the deletion.
     */
    public Optional<SsoConnection> findById(UUID id) {
        return jdbc.sql("""
                SELECT c.* FROM sso_connection c""" + OrganizationJoins.joinLive("o", "c.organization_id")
                + "WHERE c.id = ?").param(id).query(this::map).optional();
    }

    /** Whether the connection exists and its organization is soft-deleted: what a refused SAML message is told. */
    public boolean ofDeletedOrganization(UUID id) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM sso_connection c""" + OrganizationJoins.joinDeleted("o", "c.organization_id") + """
                WHERE c.id = ?""").param(id).query(Integer.class).single() > 0;
    }

    /** The connections of a live organization; none for a soft-deleted one. */
    public List<SsoConnection> listLive(UUID organizationId) {
        return jdbc.sql("""
                SELECT c.* FROM sso_connection c""" + OrganizationJoins.joinLive("o", "c.organization_id") + """
                WHERE c.organization_id = ? ORDER BY c.created_at, c.id""")
                .param(organizationId).query(this::map).list();
    }

    /** For cache checks on every SAML request: cheaper than the whole row. */
    public Optional<Instant> updatedAt(UUID id) {
        return jdbc.sql("""
                SELECT c.updated_at FROM sso_connection c""" + OrganizationJoins.joinLive("o", "c.organization_id")
                + "WHERE c.id = ?").param(id)
                .query((rs, row) -> rs.getTimestamp(1).toInstant()).optional();
    }

    public List<SsoConnection> list(UUID organizationId) {
        return jdbc.sql("SELECT * FROM sso_connection WHERE organization_id = ? ORDER BY created_at, id")
                .param(organizationId).query(this::map).list();
    }

    /** Connections whose metadata is refreshed from a URL; a soft-deleted organization's are left alone. */
    List<SsoConnection> withMetadataUrl() {
        return jdbc.sql("""
                SELECT c.* FROM sso_connection c""" + OrganizationJoins.joinLive("o", "c.organization_id") + """
                WHERE c.idp_metadata_url IS NOT NULL ORDER BY c.id""")
                .query(this::map).list();
    }

    /** Every live organization's connections, for the certificate expiry warnings. */
    List<SsoConnection> withAnyMetadata() {
        return jdbc.sql("""
                SELECT c.* FROM sso_connection c""" + OrganizationJoins.joinLive("o", "c.organization_id") + """
                ORDER BY c.id""").query(this::map).list();
    }

    void insert(SsoConnection c) {
        jdbc.sql("""
                INSERT INTO sso_connection (id, organization_id, kind, name, enabled, idp_entity_id, idp_metadata_url,
                    idp_metadata_xml, metadata_refreshed_at, metadata_error, extra_certificates, sp_private_key,
                    sp_certificate, idp_initiated, enforce_sso, scim_policy, attribute_mapping, graph_tenant_id,
                    graph_client_id, graph_client_secret, okta_org_url, okta_api_token, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(c.id(), c.organizationId(), c.kind().name(), c.name(), c.enabled(), c.idpEntityId(),
                        c.metadataUrl(), c.metadataXml(), ts(c.metadataRefreshedAt()), c.metadataError(),
                        c.extraCertificates(), c.spPrivateKey(), c.spCertificate(), c.idpInitiated(), c.enforceSso(),
                        c.scimPolicy().name(), write(c.mapping()), c.graphTenantId(), c.graphClientId(),
                        c.graphClientSecret(), c.oktaOrgUrl(), c.oktaApiToken(), ts(c.createdAt()), ts(c.updatedAt()))
                .update();
    }

    void update(SsoConnection c) {
        jdbc.sql("""
                UPDATE sso_connection SET kind = ?, name = ?, enabled = ?, idp_entity_id = ?, idp_metadata_url = ?,
                    idp_metadata_xml = ?, metadata_refreshed_at = ?, metadata_error = ?, extra_certificates = ?,
                    sp_private_key = ?, sp_certificate = ?, idp_initiated = ?, enforce_sso = ?, scim_policy = ?,
                    attribute_mapping = ?, graph_tenant_id = ?, graph_client_id = ?, graph_client_secret = ?,
                    okta_org_url = ?, okta_api_token = ?, updated_at = ?
                WHERE organization_id = ? AND id = ?""")
                .params(c.kind().name(), c.name(), c.enabled(), c.idpEntityId(), c.metadataUrl(), c.metadataXml(),
                        ts(c.metadataRefreshedAt()), c.metadataError(), c.extraCertificates(), c.spPrivateKey(),
                        c.spCertificate(), c.idpInitiated(), c.enforceSso(), c.scimPolicy().name(),
                        write(c.mapping()), c.graphTenantId(), c.graphClientId(), c.graphClientSecret(),
                        c.oktaOrgUrl(), c.oktaApiToken(), ts(c.updatedAt()), c.organizationId(), c.id())
                .update();
    }

    void delete(UUID organizationId, UUID id) {
        jdbc.sql("DELETE FROM sso_connection WHERE organization_id = ? AND id = ?").params(organizationId, id).update();
    }

    private SsoConnection map(ResultSet rs, int row) throws SQLException {
        ConnectionKind kind = ConnectionKind.valueOf(rs.getString("kind"));
        return new SsoConnection(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class), kind,
                rs.getString("name"), rs.getBoolean("enabled"), rs.getString("idp_entity_id"),
                rs.getString("idp_metadata_url"), rs.getString("idp_metadata_xml"),
                instant(rs.getTimestamp("metadata_refreshed_at")), rs.getString("metadata_error"),
                rs.getString("extra_certificates"), rs.getString("sp_private_key"), rs.getString("sp_certificate"),
                rs.getBoolean("idp_initiated"), rs.getBoolean("enforce_sso"),
                ScimPolicy.valueOf(rs.getString("scim_policy")), read(rs.getString("attribute_mapping"), kind),
                rs.getString("graph_tenant_id"), rs.getString("graph_client_id"), rs.getString("graph_client_secret"),
                rs.getString("okta_org_url"), rs.getString("okta_api_token"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    private String write(AttributeMapping mapping) {
        try {
            return json.writeValueAsString(mapping);
        }
        catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private AttributeMapping read(String value, ConnectionKind kind) {
        if (value == null) {
            return AttributeMapping.defaults(kind);
        }
        try {
            return json.readValue(value, AttributeMapping.class).withDefaults(kind);
        }
        catch (JsonProcessingException ex) {
            throw new IllegalStateException("unreadable attribute mapping", ex);
        }
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
