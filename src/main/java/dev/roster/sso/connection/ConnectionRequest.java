package dev.roster.sso.connection;

import jakarta.validation.constraints.Size;

/**
 * Creates or changes a connection; on a change, null fields stay as they are. Give {@code metadataXml} or
 * {@code metadataUrl}. {@code spPrivateKeyPem} and {@code spCertificatePem} upload the SP key pair (generated when
 * absent). {@code extraCertificatesPem} adds IdP signing certificates to trust besides those in the metadata (for a
 * rollover the metadata does not announce yet). {@code acceptPasswordSignInLoss} confirms that turning on
 * {@code enforceSso} may take password sign-in from that many people (the count a {@code 409 confirmation-required}
 * answered); more than that asks again.
 */
public record ConnectionRequest(String kind, @Size(max = 200) String name, String metadataXml,
                                @Size(max = 2048) String metadataUrl, Boolean enabled, Boolean idpInitiated,
                                Boolean enforceSso, String scimPolicy, AttributeMapping attributeMapping,
                                String spPrivateKeyPem, String spCertificatePem, String extraCertificatesPem,
                                GraphSettings graph, OktaSettings okta, Integer acceptPasswordSignInLoss) {

    public ConnectionRequest(String kind, String name, String metadataXml, String metadataUrl, Boolean enabled,
                             Boolean idpInitiated, Boolean enforceSso, String scimPolicy,
                             AttributeMapping attributeMapping, String spPrivateKeyPem, String spCertificatePem,
                             String extraCertificatesPem, GraphSettings graph, OktaSettings okta) {
        this(kind, name, metadataXml, metadataUrl, enabled, idpInitiated, enforceSso, scimPolicy, attributeMapping,
                spPrivateKeyPem, spCertificatePem, extraCertificatesPem, graph, okta, null);
    }

    /** Client credentials of an Entra app registration allowed to read group memberships (GroupMember.Read.All). */
    public record GraphSettings(@Size(max = 100) String tenantId, @Size(max = 100) String clientId,
                                @Size(max = 1000) String clientSecret) {
    }

    /** The Okta org URL and an API token that can read users' groups. */
    public record OktaSettings(@Size(max = 500) String orgUrl, @Size(max = 1000) String apiToken) {
    }
}
