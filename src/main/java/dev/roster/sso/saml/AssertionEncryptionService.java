package dev.roster.sso.saml;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.roster.audit.AuditLog;
import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.SecretCipher;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.connection.SsoConnectionService;

/**
 * A connection's encryption settings and the rollover of its SP key: a next key pair is added (generated or
 * uploaded) and published in the SP metadata beside the current one, both decrypt while the IdP moves over, and
 * completing the rollover makes the next key the current one (which also signs Roster's requests from then on).
 */
@Service
@Transactional
public class AssertionEncryptionService {

    private final SsoConnectionService connections;
    private final AssertionEncryptionRepository repository;
    private final SecretCipher cipher;
    private final AuditLog audit;
    private final Clock clock;

    AssertionEncryptionService(SsoConnectionService connections, AssertionEncryptionRepository repository,
                               SecretCipher cipher, AuditLog audit, Clock clock) {
        this.connections = connections;
        this.repository = repository;
        this.cipher = cipher;
        this.audit = audit;
        this.clock = clock;
    }

    /** What an admin sees: the settings and the SP certificates the metadata publishes. Never a private key. */
    public record EncryptionView(boolean requireEncryptedAssertions, boolean allowRsa15KeyTransport,
                                 List<SpCertificateView> spCertificates) {
    }

    /** {@code role} is {@code current} (signs and decrypts) or {@code next} (decrypts, published for the rollover). */
    public record SpCertificateView(String role, String fingerprint, String subject, Instant notAfter, String pem) {
    }

    /** A change of the settings; null fields stay as they are. */
    public record EncryptionRequest(Boolean requireEncryptedAssertions, Boolean allowRsa15KeyTransport) {
    }

    /** An uploaded next key pair; both null to have Roster generate one. */
    public record NextKeyRequest(String spPrivateKeyPem, String spCertificatePem) {
    }

    @Transactional(readOnly = true)
    public EncryptionView find(UUID organizationId, UUID connectionId) {
        SsoConnection connection = connections.get(organizationId, connectionId);
        return view(connection, settings(connection));
    }

    public EncryptionView update(UUID organizationId, UUID connectionId, EncryptionRequest request, Actor actor) {
        SsoConnection connection = connections.get(organizationId, connectionId);
        AssertionEncryption before = settings(connection);
        AssertionEncryption after = new AssertionEncryption(
                request.requireEncryptedAssertions() == null ? before.required() : request.requireEncryptedAssertions(),
                request.allowRsa15KeyTransport() == null ? before.allowRsa15() : request.allowRsa15KeyTransport(),
                before.nextPrivateKey(), before.nextCertificate());
        repository.update(organizationId, connectionId, after, clock.instant());
        audit.record(organizationId, actor, "sso.encryption-updated", SsoConnectionService.target(connection),
                state(before), state(after));
        return view(connection, after);
    }

    public EncryptionView startRollover(UUID organizationId, UUID connectionId, NextKeyRequest request, Actor actor) {
        SsoConnection connection = connections.get(organizationId, connectionId);
        AssertionEncryption before = settings(connection);
        if (before.rolloverInProgress()) {
            throw new ConflictException("rollover-in-progress", "A next SP key is already published. Complete or "
                    + "cancel that rollover first.");
        }
        Instant now = clock.instant();
        String[] pair = keyPair(request, connectionId, now);
        AssertionEncryption after = new AssertionEncryption(before.required(), before.allowRsa15(), pair[0], pair[1]);
        repository.update(organizationId, connectionId, after, now);
        audit.record(organizationId, actor, "sso.sp-key-rollover-started", SsoConnectionService.target(connection),
                null, Map.of("nextSpCertificate", fingerprint(pair[1])));
        return view(connection, after);
    }

    public EncryptionView completeRollover(UUID organizationId, UUID connectionId, Actor actor) {
        SsoConnection connection = connections.get(organizationId, connectionId);
        AssertionEncryption before = settings(connection);
        if (!before.rolloverInProgress()) {
            throw new ConflictException("no-rollover", "No next SP key is published; start a rollover first.");
        }
        repository.promoteNextKey(organizationId, connectionId, clock.instant());
        audit.record(organizationId, actor, "sso.sp-key-rollover-completed", SsoConnectionService.target(connection),
                Map.of("spCertificate", fingerprint(connection.spCertificate())),
                Map.of("spCertificate", fingerprint(before.nextCertificate())));
        return find(organizationId, connectionId);
    }

    public EncryptionView cancelRollover(UUID organizationId, UUID connectionId, Actor actor) {
        SsoConnection connection = connections.get(organizationId, connectionId);
        AssertionEncryption before = settings(connection);
        if (!before.rolloverInProgress()) {
            throw new ConflictException("no-rollover", "No next SP key is published.");
        }
        AssertionEncryption after = new AssertionEncryption(before.required(), before.allowRsa15(), null, null);
        repository.update(organizationId, connectionId, after, clock.instant());
        audit.record(organizationId, actor, "sso.sp-key-rollover-cancelled", SsoConnectionService.target(connection),
                Map.of("nextSpCertificate", fingerprint(before.nextCertificate())), null);
        return view(connection, after);
    }

    private AssertionEncryption settings(SsoConnection connection) {
        return repository.find(connection.id()).orElse(AssertionEncryption.DEFAULTS);
    }

    private String[] keyPair(NextKeyRequest request, UUID connectionId, Instant now) {
        String keyPem = request == null ? null : request.spPrivateKeyPem();
        String certificatePem = request == null ? null : request.spCertificatePem();
        if (keyPem == null && certificatePem == null) {
            Certificates.KeyMaterial generated = Certificates.generate("roster-sp-" + connectionId, now);
            return new String[] {cipher.encrypt(Certificates.pem(generated.privateKey())),
                    Certificates.pem(generated.certificate())};
        }
        if (keyPem == null || certificatePem == null) {
            throw InvalidRequestException.field("spPrivateKeyPem",
                    "Upload the SP private key and its certificate together.");
        }
        PrivateKey key = Certificates.parsePrivateKey(keyPem, "spPrivateKeyPem");
        X509Certificate certificate = Certificates.parseCertificate(certificatePem, "spCertificatePem");
        if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
            throw InvalidRequestException.field("spCertificatePem", "The certificate does not belong to the private key.");
        }
        return new String[] {cipher.encrypt(Certificates.pem(key)), Certificates.pem(certificate)};
    }

    private static EncryptionView view(SsoConnection connection, AssertionEncryption settings) {
        List<SpCertificateView> certificates = new ArrayList<>();
        certificates.add(certificate("current", connection.spCertificate()));
        if (settings.rolloverInProgress()) {
            certificates.add(certificate("next", settings.nextCertificate()));
        }
        return new EncryptionView(settings.required(), settings.allowRsa15(), certificates);
    }

    private static SpCertificateView certificate(String role, String pem) {
        X509Certificate certificate = Certificates.parseCertificate(pem, "sp");
        return new SpCertificateView(role, Certificates.fingerprint(certificate),
                certificate.getSubjectX500Principal().getName(), certificate.getNotAfter().toInstant(), pem);
    }

    private static String fingerprint(String pem) {
        return Certificates.fingerprint(Certificates.parseCertificate(pem, "sp"));
    }

    private static Map<String, Object> state(AssertionEncryption settings) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("requireEncryptedAssertions", settings.required());
        state.put("allowRsa15KeyTransport", settings.allowRsa15());
        return state;
    }
}
