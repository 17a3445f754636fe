package dev.roster.sso.saml;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.saml2.core.Saml2X509Credential;
import org.springframework.security.saml2.provider.service.registration.RelyingPartyRegistration;
import org.springframework.security.saml2.provider.service.registration.RelyingPartyRegistrationRepository;
import org.springframework.security.saml2.provider.service.registration.Saml2MessageBinding;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import dev.roster.shared.Ids;
import dev.roster.shared.SecretCipher;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.connection.SsoConnectionRepository;
import dev.roster.sso.connection.SsoConnectionService;

/**
 * Spring Security's view of the connections, read from the database so a connection works the moment it is created,
 * on every instance. Built registrations are cached per connection and rebuilt when the row's {@code updated_at}
 * changes; the check is one indexed read per SAML request: Spring Security and Roster's checks ask for the
 * registration several times while handling one response, so the answer is kept for the rest of the HTTP request.
 * Disabled connections do not exist for SAML.
 */
@Component
class DatabaseRelyingPartyRegistrations implements RelyingPartyRegistrationRepository {

    private record Cached(Instant updatedAt, RelyingPartyRegistration registration, SsoConnection connection,
                          AssertionEncryption encryption, AssertionDecrypter decrypter) {
    }

    private final SsoConnectionRepository connections;
    private final AssertionEncryptionRepository encryption;
    private final SecretCipher cipher;
    private final SpUrls urls;
    private static final String REQUEST_ATTRIBUTE = DatabaseRelyingPartyRegistrations.class.getName() + ".";

    private final Map<UUID, Cached> cache = new ConcurrentHashMap<>();

    DatabaseRelyingPartyRegistrations(SsoConnectionRepository connections, AssertionEncryptionRepository encryption,
                                      SecretCipher cipher, SpUrls urls) {
        this.connections = connections;
        this.encryption = encryption;
        this.cipher = cipher;
        this.urls = urls;
    }

    @Override
    public RelyingPartyRegistration findByRegistrationId(String registrationId) {
        return load(registrationId).map(Cached::registration).orElse(null);
    }

    /** The connection behind a registration, as of the cached registration. */
    Optional<SsoConnection> connection(String registrationId) {
        return load(registrationId).map(Cached::connection);
    }

    /** The connection's encryption settings, as of the cached registration. */
    Optional<AssertionEncryption> encryption(String registrationId) {
        return load(registrationId).map(Cached::encryption);
    }

    /** Decrypts with every SP key of the connection, under its algorithm policy. */
    Optional<AssertionDecrypter> decrypter(String registrationId) {
        return load(registrationId).map(Cached::decrypter);
    }

    private Optional<Cached> load(String registrationId) {
        Optional<UUID> id = Ids.parse(registrationId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        String attribute = REQUEST_ATTRIBUTE + id.get();
        if (request != null && request.getAttribute(attribute, RequestAttributes.SCOPE_REQUEST) instanceof Checked checked) {
            return checked.cached();
        }
        Optional<Cached> loaded = loadChecked(id);
        if (request != null) {
            request.setAttribute(attribute, new Checked(loaded), RequestAttributes.SCOPE_REQUEST);
        }
        return loaded;
    }

    /** What one HTTP request found for a connection, so it asks the database once. */
    private record Checked(Optional<Cached> cached) {
    }

    private Optional<Cached> loadChecked(Optional<UUID> id) {
        Optional<Instant> updatedAt = connections.updatedAt(id.get());
        if (updatedAt.isEmpty()) {
            cache.remove(id.get());
            return Optional.empty();
        }
        Cached cached = cache.get(id.get());
        if (cached == null || !cached.updatedAt().equals(updatedAt.get())) {
            Optional<SsoConnection> connection = connections.findById(id.get());
            if (connection.isEmpty()) {
                return Optional.empty();
            }
            AssertionEncryption settings = encryption.find(id.get()).orElse(AssertionEncryption.DEFAULTS);
            List<AssertionDecrypter.SpKey> keys = spKeys(connection.get(), settings);
            cached = new Cached(connection.get().updatedAt(), build(connection.get(), keys), connection.get(), settings,
                    new AssertionDecrypter(keys, settings.allowRsa15()));
            cache.put(id.get(), cached);
        }
        return cached.connection().enabled() ? Optional.of(cached) : Optional.empty();
    }

    /** The current SP key pair first (it signs), then the next one of a rollover in progress. */
    private List<AssertionDecrypter.SpKey> spKeys(SsoConnection c, AssertionEncryption settings) {
        List<AssertionDecrypter.SpKey> keys = new ArrayList<>();
        keys.add(new AssertionDecrypter.SpKey(Certificates.parsePrivateKey(cipher.decrypt(c.spPrivateKey()), "sp"),
                Certificates.parseCertificate(c.spCertificate(), "sp")));
        if (settings.rolloverInProgress()) {
            keys.add(new AssertionDecrypter.SpKey(
                    Certificates.parsePrivateKey(cipher.decrypt(settings.nextPrivateKey()), "sp"),
                    Certificates.parseCertificate(settings.nextCertificate(), "sp")));
        }
        return keys;
    }

    /**
     * Both SP certificates of a rollover are published for signing and for encryption: an IdP may encrypt for either,
     * and trusts the next one for signatures before it signs. Roster signs with the first, the current one.
     */
    private RelyingPartyRegistration build(SsoConnection c, List<AssertionDecrypter.SpKey> keys) {
        IdpMetadata idp = IdpMetadata.parse(c.metadataXml());
        var builder = RelyingPartyRegistration.withRegistrationId(c.registrationId())
                .entityId(urls.entityId(c.id()))
                .assertionConsumerServiceLocation(urls.acs(c.id()))
                .assertionConsumerServiceBinding(Saml2MessageBinding.POST)
                .signingX509Credentials(creds -> keys.forEach(
                        k -> creds.add(Saml2X509Credential.signing(k.privateKey(), k.certificate()))))
                .decryptionX509Credentials(creds -> keys.forEach(
                        k -> creds.add(Saml2X509Credential.decryption(k.privateKey(), k.certificate()))))
                .authnRequestsSigned(true)
                .assertingPartyMetadata(party -> {
                    party.entityId(idp.entityId())
                            .singleSignOnServiceLocation(idp.ssoUrl())
                            .singleSignOnServiceBinding(idp.ssoBinding())
                            .wantAuthnRequestsSigned(true)
                            .verificationX509Credentials(creds -> SsoConnectionService.trustedCertificates(c, idp)
                                    .forEach(cert -> creds.add(Saml2X509Credential.verification(cert))));
                    if (idp.sloUrl() != null) {
                        party.singleLogoutServiceLocation(idp.sloUrl()).singleLogoutServiceResponseLocation(idp.sloUrl())
                                .singleLogoutServiceBinding(idp.sloBinding());
                    }
                });
        if (idp.sloUrl() != null) {
            builder.singleLogoutServiceLocation(urls.slo(c.id())).singleLogoutServiceResponseLocation(urls.slo(c.id()))
                    .singleLogoutServiceBinding(Saml2MessageBinding.REDIRECT);
        }
        return builder.build();
    }
}
