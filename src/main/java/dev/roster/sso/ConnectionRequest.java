package dev.roster.sso;

import jakarta.validation.constraints.Size;

/**
 * Creates or changes a connection; on a change, null fields stay as they are. Give {@code metadataXml} or
 * {@code metadataUrl}. {@code spPrivateKeyPem} and {@code spCertificatePem} upload the SP key pair (generated when
 * absent). {@code extraCertificatesPem} adds IdP signing certificates to trust besides those in the metadata (for a
 * rollover the metadata does not announce yet).
 */
public record ConnectionRequest(String kind, @Size(max = 200) String name, String metadataXml,
                                @Size(max = 2048) String metadataUrl, Boolean enabled, Boolean idpInitiated,
                                Boolean enforceSso, String scimPolicy, AttributeMapping attributeMapping,
                                String spPrivateKeyPem, String spCertificatePem, String extraCertificatesPem,
                                GraphSettings graph, OktaSettings okta) {

    /** Client credentials of an Entra app registration allowed to read group memberships (GroupMember.Read.All). */
    public record GraphSettings(@Size(max = 100) String tenantId, @Size(max = 100) String clientId,
                                @Size(max = 1000) String clientSecret) {
    }

    /** The Okta org URL and an API token that can read users' groups. */
    public record OktaSettings(@Size(max = 500) String orgUrl, @Size(max = 1000) String apiToken) {
    }
}
