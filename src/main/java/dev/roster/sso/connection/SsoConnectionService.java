package dev.roster.sso.connection;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditTarget;
import dev.roster.events.EventType;
import dev.roster.events.Events;
import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.shared.Ids;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.SecretCipher;
import dev.roster.sso.SsoProperties;
import dev.roster.sso.access.SsoBreakGlass;
import dev.roster.sso.idp.MetadataFetcher;
import dev.roster.sso.saml.Certificates;
import dev.roster.sso.saml.IdpMetadata;
import dev.roster.sso.saml.SpUrls;

/** Creates, changes and removes SSO connections, and keeps their IdP metadata fresh. */
@Service
@Transactional
public class SsoConnectionService {

    private static final Logger log = LoggerFactory.getLogger(SsoConnectionService.class);

    private final SsoConnectionRepository connections;
    private final MetadataFetcher fetcher;
    private final SecretCipher cipher;
    private final SpUrls urls;
    private final SsoProperties properties;
    private final AuditLog audit;
    private final SsoBreakGlass breakGlass;
    private final Events events;
    private final Clock clock;

    SsoConnectionService(SsoConnectionRepository connections, MetadataFetcher fetcher, SecretCipher cipher,
                         SpUrls urls, SsoProperties properties, AuditLog audit, SsoBreakGlass breakGlass,
                         Events events, Clock clock) {
        this.breakGlass = breakGlass;
        this.events = events;
        this.connections = connections;
        this.fetcher = fetcher;
        this.cipher = cipher;
        this.urls = urls;
        this.properties = properties;
        this.audit = audit;
        this.clock = clock;
    }

    public ConnectionView create(UUID organizationId, ConnectionRequest request, Actor actor) {
        ConnectionKind kind = ConnectionKind.parse(request.kind());
        Instant now = clock.instant();
        UUID id = Ids.newId();
        Metadata metadata = metadata(request);
        String extra = checkExtraCertificates(request.extraCertificatesPem());
        String[] keys = spKeys(request, id, now);
        refuseSecondConnectionToTheSameIdp(organizationId, metadata.parsed().entityId(), null);
        SsoConnection connection = new SsoConnection(id, organizationId, kind,
                name(request.name(), kind, metadata.parsed()), request.enabled() == null || request.enabled(),
                metadata.parsed().entityId(), metadata.url(), metadata.xml(), metadata.url() == null ? null : now,
                null, extra, keys[0], keys[1], Boolean.TRUE.equals(request.idpInitiated()),
                Boolean.TRUE.equals(request.enforceSso()), scimPolicy(request.scimPolicy(), ScimPolicy.LOGIN_ONLY),
                mapping(request.attributeMapping(), kind), null, null, null, null, null, now, now);
        connection = withGraph(connection, request.graph());
        connection = withOkta(connection, request.okta());
        checkEnforcement(organizationId, null, connection, request.acceptPasswordSignInLoss());
        connections.insert(connection);
        audit.record(organizationId, actor, "sso.connection-created", target(connection), null, state(connection));
        return changed(connection, "created", actor);
    }

    public ConnectionView update(UUID organizationId, UUID id, ConnectionRequest request, Actor actor) {
        SsoConnection before = get(organizationId, id);
        Instant now = clock.instant();
        ConnectionKind kind = request.kind() == null ? before.kind() : ConnectionKind.parse(request.kind());
        SsoConnection after = before;
        if (request.metadataXml() != null || request.metadataUrl() != null) {
            Metadata metadata = metadata(request);
            refuseSecondConnectionToTheSameIdp(organizationId, metadata.parsed().entityId(), id);
            after = copy(after, kind, metadata.parsed().entityId(), metadata.url(), metadata.xml(),
                    metadata.url() == null ? null : now, null);
        }
        String[] keys = request.spPrivateKeyPem() != null || request.spCertificatePem() != null
                ? spKeys(request, id, now) : new String[] {after.spPrivateKey(), after.spCertificate()};
        after = new SsoConnection(id, organizationId, kind,
                request.name() == null ? after.name() : name(request.name(), kind, null),
                request.enabled() == null ? after.enabled() : request.enabled(), after.idpEntityId(),
                after.metadataUrl(), after.metadataXml(), after.metadataRefreshedAt(), after.metadataError(),
                request.extraCertificatesPem() == null ? after.extraCertificates()
                        : checkExtraCertificates(request.extraCertificatesPem()),
                keys[0], keys[1], request.idpInitiated() == null ? after.idpInitiated() : request.idpInitiated(),
                request.enforceSso() == null ? after.enforceSso() : request.enforceSso(),
                scimPolicy(request.scimPolicy(), after.scimPolicy()),
                request.attributeMapping() == null ? after.mapping().withDefaults(kind)
                        : mapping(request.attributeMapping(), kind),
                after.graphTenantId(), after.graphClientId(), after.graphClientSecret(), after.oktaOrgUrl(),
                after.oktaApiToken(), after.createdAt(), now);
        after = withGraph(after, request.graph());
        after = withOkta(after, request.okta());
        checkEnforcement(organizationId, before, after, request.acceptPasswordSignInLoss());
        connections.update(after);
        audit.record(organizationId, actor, "sso.connection-updated", target(after), state(before), state(after));
        return changed(after, "updated", actor);
    }

    /**
     * Before a change starts enforcing SSO for the organization (no enabled connection enforced it): refused if no
     * admin could sign in afterwards, and answered with a confirmation to give while anyone would lose password
     * sign-in. A change to an organization that already enforces SSO takes nobody's password sign-in.
     */
    private void checkEnforcement(UUID organizationId, SsoConnection before, SsoConnection after, Integer accepted) {
        List<SsoConnection> existing = connections.list(organizationId);
        boolean enforcedBefore = existing.stream().anyMatch(c -> c.enabled() && c.enforceSso());
        boolean enforcedAfter = (after.enabled() && after.enforceSso()) || existing.stream()
                .filter(c -> before == null || !c.id().equals(before.id()))
                .anyMatch(c -> c.enabled() && c.enforceSso());
        if (enforcedBefore || !enforcedAfter) {
            return;
        }
        SsoBreakGlass.Impact impact = breakGlass.impact(organizationId);
        if (impact.adminsSigningInAfterwards() == 0) {
            throw new EnforcementRefused(impact);
        }
        if (impact.losingPasswordSignIn() > 0 && (accepted == null || accepted < impact.losingPasswordSignIn())) {
            throw new EnforcementNeedsConfirmation(impact);
        }
    }

    public void delete(UUID organizationId, UUID id, Actor actor) {
        SsoConnection connection = get(organizationId, id);
        connections.delete(organizationId, id);
        audit.record(organizationId, actor, "sso.connection-deleted", target(connection), state(connection), null);
        changed(connection, "deleted", actor);
    }

    /**
     * Publishes {@code sso.connection.changed} with the connection as the admin API shows it (as it was, for a
     * deletion) and which change it was; answers that view.
     */
    private ConnectionView changed(SsoConnection connection, String change, Actor actor) {
        ConnectionView view = view(connection);
        events.publish(connection.organizationId(), EventType.SSO_CONNECTION_CHANGED, actor, view,
                Map.of("change", change));
        return view;
    }

    @Transactional(readOnly = true)
    public ConnectionView find(UUID organizationId, UUID id) {
        return view(get(organizationId, id));
    }

    @Transactional(readOnly = true)
    public List<ConnectionView> list(UUID organizationId) {
        return connections.list(organizationId).stream().map(this::view).toList();
    }

    /** Fetches the metadata URL again now; a failure is kept on the connection and the last good metadata stays. */
    public ConnectionView refreshMetadata(UUID organizationId, UUID id, Actor actor) {
        SsoConnection connection = get(organizationId, id);
        if (connection.metadataUrl() == null) {
            throw InvalidRequestException.field("metadataUrl", "This connection was created from metadata XML.");
        }
        return view(refresh(connection, actor));
    }

    /** Called on a schedule for every connection with a metadata URL. */
    SsoConnection refresh(SsoConnection connection, Actor actor) {
        Instant now = clock.instant();
        String xml;
        IdpMetadata parsed;
        // Only the fetch and the parse are inside the try: what follows writes, and a refusal from a write must not
        // be caught inside this transaction (docs/architecture.md).
        try {
            xml = fetcher.fetch(connection.metadataUrl());
            parsed = IdpMetadata.parse(xml);
        }
        catch (InvalidRequestException ex) {
            return refreshFailed(connection, ex.getMessage());
        }
        Optional<SsoConnection> other = otherConnectionToTheSameIdp(connection.organizationId(), parsed.entityId(),
                connection.id());
        if (other.isPresent()) {
            // The metadata now names the IdP of another connection: the last good metadata stays.
            return refreshFailed(connection, duplicateMessage(other.get(), parsed.entityId()));
        }
        if (xml.equals(connection.metadataXml())) {
            SsoConnection same = copy(connection, connection.kind(), connection.idpEntityId(),
                    connection.metadataUrl(), xml, now, null);
            connections.update(same);
            return same;
        }
        SsoConnection after = copy(connection, connection.kind(), parsed.entityId(), connection.metadataUrl(), xml,
                now, null);
        connections.update(after);
        audit.record(connection.organizationId(), actor, "sso.metadata-refreshed", target(after),
                Map.of("idpEntityId", connection.idpEntityId(), "certificates", fingerprints(connection)),
                Map.of("idpEntityId", after.idpEntityId(), "certificates", fingerprints(after)));
        changed(after, "metadata-refreshed", actor);
        return after;
    }

    public SsoConnection get(UUID organizationId, UUID id) {
        return connections.find(organizationId, id).orElseThrow(() -> new NotFoundException("SSO connection not found."));
    }

    ConnectionView view(SsoConnection c) {
        IdpMetadata metadata = IdpMetadata.parse(c.metadataXml());
        Instant now = clock.instant();
        List<ConnectionView.CertificateView> certificates = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (X509Certificate certificate : trustedCertificates(c, metadata)) {
            Instant notAfter = certificate.getNotAfter().toInstant();
            boolean expired = notAfter.isBefore(now);
            boolean soon = !expired && notAfter.isBefore(now.plus(properties.certificateWarning()));
            certificates.add(new ConnectionView.CertificateView(Certificates.fingerprint(certificate),
                    certificate.getSubjectX500Principal().getName(), notAfter, soon, expired));
            if (expired || soon) {
                warnings.add("The IdP signing certificate " + Certificates.fingerprint(certificate)
                        + (expired ? " expired on " : " expires on ") + notAfter
                        + ". Add the IdP's new certificate before then, or people cannot sign in.");
            }
        }
        if (c.metadataError() != null) {
            warnings.add("The last metadata refresh failed: " + c.metadataError());
        }
        return new ConnectionView(c.id(), c.kind().label(), c.name(), c.enabled(), c.idpEntityId(), metadata.ssoUrl(),
                metadata.sloUrl(), urls.entityId(c.id()), urls.metadata(c.id()), urls.acs(c.id()), urls.login(c.id()),
                metadata.sloUrl() == null ? null : urls.slo(c.id()), c.spCertificate(), c.metadataUrl(),
                c.metadataRefreshedAt(), c.metadataError(), certificates, warnings, c.idpInitiated(), c.enforceSso(),
                c.scimPolicy().name(), c.mapping(), c.graphConfigured(), c.oktaApiConfigured(), c.createdAt(),
                c.updatedAt());
    }

    public static List<X509Certificate> trustedCertificates(SsoConnection c, IdpMetadata metadata) {
        Map<String, X509Certificate> all = new LinkedHashMap<>();
        metadata.signingCertificates().forEach(cert -> all.put(Certificates.fingerprint(cert), cert));
        Certificates.parseCertificates(c.extraCertificates(), "extraCertificatesPem")
                .forEach(cert -> all.put(Certificates.fingerprint(cert), cert));
        return List.copyOf(all.values());
    }

    private record Metadata(IdpMetadata parsed, String xml, String url) {
    }

    private Metadata metadata(ConnectionRequest request) {
        boolean hasXml = request.metadataXml() != null && !request.metadataXml().isBlank();
        boolean hasUrl = request.metadataUrl() != null && !request.metadataUrl().isBlank();
        if (hasXml == hasUrl) {
            throw InvalidRequestException.field("metadataXml", "Give either metadataXml or metadataUrl.");
        }
        if (hasXml) {
            return new Metadata(IdpMetadata.parse(request.metadataXml()), request.metadataXml(), null);
        }
        String xml = fetcher.fetch(request.metadataUrl());
        IdpMetadata parsed;
        try {
            parsed = IdpMetadata.parse(xml);
        }
        catch (InvalidRequestException ex) {
            throw InvalidRequestException.field("metadataUrl", ex.getMessage());
        }
        return new Metadata(parsed, xml, request.metadataUrl().trim());
    }

    private String[] spKeys(ConnectionRequest request, UUID id, Instant now) {
        if (request.spPrivateKeyPem() == null && request.spCertificatePem() == null) {
            Certificates.KeyMaterial generated = Certificates.generate("roster-sp-" + id, now);
            return new String[] {cipher.encrypt(Certificates.pem(generated.privateKey())),
                    Certificates.pem(generated.certificate())};
        }
        if (request.spPrivateKeyPem() == null || request.spCertificatePem() == null) {
            throw InvalidRequestException.field("spPrivateKeyPem", "Upload the SP private key and its certificate together.");
        }
        PrivateKey key = Certificates.parsePrivateKey(request.spPrivateKeyPem(), "spPrivateKeyPem");
        X509Certificate certificate = Certificates.parseCertificate(request.spCertificatePem(), "spCertificatePem");
        if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
            throw InvalidRequestException.field("spCertificatePem", "The certificate does not belong to the private key.");
        }
        return new String[] {cipher.encrypt(Certificates.pem(key)), Certificates.pem(certificate)};
    }

    /**
     * One connection per IdP entity ID in an organization: a second one would make the same IdP sign people in
     * through two sets of grants and mappings, and an admin would not know which applies. Checked before writing,
     * with the name of the connection that has it.
     */
    private void refuseSecondConnectionToTheSameIdp(UUID organizationId, String idpEntityId, UUID except) {
        Optional<SsoConnection> other = otherConnectionToTheSameIdp(organizationId, idpEntityId, except);
        if (other.isPresent()) {
            throw new ConflictException("duplicate-idp", duplicateMessage(other.get(), idpEntityId));
        }
    }

    private Optional<SsoConnection> otherConnectionToTheSameIdp(UUID organizationId, String idpEntityId, UUID except) {
        return connections.list(organizationId).stream()
                .filter(other -> !other.id().equals(except) && other.idpEntityId().equals(idpEntityId)).findFirst();
    }

    private static String duplicateMessage(SsoConnection other, String idpEntityId) {
        return "The connection \u201c" + other.name() + "\u201d already uses this identity provider (entity ID "
                + idpEntityId + "). Change that connection instead, or delete it first.";
    }

    private SsoConnection refreshFailed(SsoConnection connection, String why) {
        log.warn("SSO connection {}: metadata refresh from {} failed: {}", connection.id(), connection.metadataUrl(),
                why);
        SsoConnection failed = copy(connection, connection.kind(), connection.idpEntityId(), connection.metadataUrl(),
                connection.metadataXml(), connection.metadataRefreshedAt(), truncate(why));
        connections.update(failed);
        return failed;
    }

    private static String checkExtraCertificates(String pem) {
        if (pem == null || pem.isBlank()) {
            return null;
        }
        Certificates.parseCertificates(pem, "extraCertificatesPem");
        return pem.trim();
    }

    private static String name(String requested, ConnectionKind kind, IdpMetadata metadata) {
        if (requested != null && !requested.isBlank()) {
            return requested.trim();
        }
        if (requested != null) {
            throw InvalidRequestException.field("name", "A name cannot be blank.");
        }
        return switch (kind) {
            case ENTRA -> "Microsoft Entra ID";
            case OKTA -> "Okta";
            case GENERIC -> metadata == null ? "SAML" : truncate(metadata.entityId());
        };
    }

    private static ScimPolicy scimPolicy(String value, ScimPolicy fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return ScimPolicy.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
        catch (IllegalArgumentException ex) {
            throw InvalidRequestException.field("scimPolicy", "scimPolicy is login_only or provision.");
        }
    }

    private static AttributeMapping mapping(AttributeMapping requested, ConnectionKind kind) {
        return requested == null ? AttributeMapping.defaults(kind) : requested.withDefaults(kind);
    }

    private SsoConnection withGraph(SsoConnection c, ConnectionRequest.GraphSettings graph) {
        if (graph == null) {
            return c;
        }
        if (c.kind() != ConnectionKind.ENTRA) {
            throw InvalidRequestException.field("graph", "Microsoft Graph settings belong to Entra ID connections.");
        }
        boolean clear = graph.tenantId() == null && graph.clientId() == null && graph.clientSecret() == null;
        if (!clear && (blank(graph.tenantId()) || blank(graph.clientId())
                || (blank(graph.clientSecret()) && c.graphClientSecret() == null))) {
            throw InvalidRequestException.field("graph", "Give tenantId, clientId and clientSecret.");
        }
        return new SsoConnection(c.id(), c.organizationId(), c.kind(), c.name(), c.enabled(), c.idpEntityId(),
                c.metadataUrl(), c.metadataXml(), c.metadataRefreshedAt(), c.metadataError(), c.extraCertificates(),
                c.spPrivateKey(), c.spCertificate(), c.idpInitiated(), c.enforceSso(), c.scimPolicy(), c.mapping(),
                clear ? null : graph.tenantId().trim(), clear ? null : graph.clientId().trim(),
                clear ? null : blank(graph.clientSecret()) ? c.graphClientSecret() : cipher.encrypt(graph.clientSecret()),
                c.oktaOrgUrl(), c.oktaApiToken(), c.createdAt(), c.updatedAt());
    }

    private SsoConnection withOkta(SsoConnection c, ConnectionRequest.OktaSettings okta) {
        if (okta == null) {
            return c;
        }
        if (c.kind() != ConnectionKind.OKTA) {
            throw InvalidRequestException.field("okta", "Okta API settings belong to Okta connections.");
        }
        boolean clear = okta.orgUrl() == null && okta.apiToken() == null;
        if (!clear && (blank(okta.orgUrl()) || (blank(okta.apiToken()) && c.oktaApiToken() == null))) {
            throw InvalidRequestException.field("okta", "Give orgUrl and apiToken.");
        }
        if (!clear) {
            fetcher.check(okta.orgUrl().trim());
        }
        return new SsoConnection(c.id(), c.organizationId(), c.kind(), c.name(), c.enabled(), c.idpEntityId(),
                c.metadataUrl(), c.metadataXml(), c.metadataRefreshedAt(), c.metadataError(), c.extraCertificates(),
                c.spPrivateKey(), c.spCertificate(), c.idpInitiated(), c.enforceSso(), c.scimPolicy(), c.mapping(),
                c.graphTenantId(), c.graphClientId(), c.graphClientSecret(), clear ? null : okta.orgUrl().trim(),
                clear ? null : blank(okta.apiToken()) ? c.oktaApiToken() : cipher.encrypt(okta.apiToken()),
                c.createdAt(), c.updatedAt());
    }

    private static SsoConnection copy(SsoConnection c, ConnectionKind kind, String entityId, String url, String xml,
                                      Instant refreshedAt, String error) {
        return new SsoConnection(c.id(), c.organizationId(), kind, c.name(), c.enabled(), entityId, url, xml,
                refreshedAt, error, c.extraCertificates(), c.spPrivateKey(), c.spCertificate(), c.idpInitiated(),
                c.enforceSso(), c.scimPolicy(), c.mapping(), c.graphTenantId(), c.graphClientId(),
                c.graphClientSecret(), c.oktaOrgUrl(), c.oktaApiToken(), c.createdAt(), c.updatedAt());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String truncate(String value) {
        return value == null || value.length() <= 200 ? value : value.substring(0, 200);
    }

    private static List<String> fingerprints(SsoConnection c) {
        return trustedCertificates(c, IdpMetadata.parse(c.metadataXml())).stream().map(Certificates::fingerprint)
                .toList();
    }

    public static AuditTarget target(SsoConnection c) {
        return AuditTarget.of("sso-connection", c.id(), c.name());
    }

    private static Map<String, Object> state(SsoConnection c) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("kind", c.kind().label());
        state.put("name", c.name());
        state.put("enabled", c.enabled());
        state.put("idpEntityId", c.idpEntityId());
        if (c.metadataUrl() != null) {
            state.put("metadataUrl", c.metadataUrl());
        }
        state.put("idpInitiated", c.idpInitiated());
        state.put("enforceSso", c.enforceSso());
        state.put("scimPolicy", c.scimPolicy().name());
        state.put("spCertificate", Certificates.fingerprint(Certificates.parseCertificate(c.spCertificate(), "sp")));
        state.put("graphConfigured", c.graphConfigured());
        state.put("oktaApiConfigured", c.oktaApiConfigured());
        return state;
    }
}
