package dev.roster.sso.connection;

import java.time.Instant;
import java.util.UUID;

/**
 * A connection from one organization to one identity provider. Secrets ({@code spPrivateKey},
 * {@code graphClientSecret}, {@code oktaApiToken}) are held encrypted exactly as stored; only the code that uses them
 * decrypts them.
 */
public record SsoConnection(UUID id, UUID organizationId, ConnectionKind kind, String name, boolean enabled,
                     String idpEntityId, String metadataUrl, String metadataXml, Instant metadataRefreshedAt,
                     String metadataError, String extraCertificates, String spPrivateKey, String spCertificate,
                     boolean idpInitiated, boolean enforceSso, ScimPolicy scimPolicy, AttributeMapping mapping,
                     String graphTenantId, String graphClientId, String graphClientSecret, String oktaOrgUrl,
                     String oktaApiToken, Instant createdAt, Instant updatedAt) {

    public String registrationId() {
        return id.toString();
    }

    public boolean graphConfigured() {
        return graphTenantId != null && graphClientId != null && graphClientSecret != null;
    }

    public boolean oktaApiConfigured() {
        return oktaOrgUrl != null && oktaApiToken != null;
    }
}
