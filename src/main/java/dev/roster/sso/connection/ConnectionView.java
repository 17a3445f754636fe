package dev.roster.sso.connection;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A connection as admins see it: what to paste into the IdP, the IdP's certificates, and warnings. Never secrets. */
public record ConnectionView(UUID id, String kind, String name, boolean enabled, String idpEntityId,
                             String idpSsoUrl, String idpSloUrl, String spEntityId, String spMetadataUrl,
                             String acsUrl, String loginUrl, String sloUrl, String spCertificate,
                             String metadataUrl, Instant metadataRefreshedAt, String metadataError,
                             List<CertificateView> idpCertificates, List<String> warnings, boolean idpInitiated,
                             boolean enforceSso, String scimPolicy, AttributeMapping attributeMapping,
                             boolean graphConfigured, boolean oktaApiConfigured, Instant createdAt,
                             Instant updatedAt) {

    public record CertificateView(String fingerprint, String subject, Instant notAfter, boolean expiresSoon,
                                  boolean expired) {
    }
}
