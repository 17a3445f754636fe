package dev.roster.sso.saml;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import dev.roster.shared.InvalidRequestException;

/** PEM reading and writing, fingerprints, and the self-signed key pair each connection signs and decrypts with. */
public final class Certificates {

    private static final Pattern PEM_CERT = Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----");
    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Certificates() {
    }

    public record KeyMaterial(PrivateKey privateKey, X509Certificate certificate) {
    }

    public static KeyMaterial generate(String commonName, Instant now) {
        return generate(commonName, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)), 3072);
    }

    public static KeyMaterial generate(String commonName, Instant notBefore, Instant notAfter, int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits, RANDOM);
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + commonName.replaceAll("[,=+<>#;\"\\\\]", "-"));
            var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, RANDOM),
                    Date.from(notBefore), Date.from(notAfter), name,
                    pair.getPublic());
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
            return new KeyMaterial(pair.getPrivate(), certificate);
        }
        catch (Exception ex) {
            throw new IllegalStateException("cannot generate the SP key pair", ex);
        }
    }

    public static String pem(Object keyOrCertificate) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(keyOrCertificate instanceof PrivateKey key
                    ? new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", key.getEncoded()) : keyOrCertificate);
        }
        catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
        return out.toString();
    }

    public static List<X509Certificate> parseCertificates(String pem, String field) {
        List<X509Certificate> result = new ArrayList<>();
        if (pem == null || pem.isBlank()) {
            return result;
        }
        Matcher matcher = PEM_CERT.matcher(pem);
        while (matcher.find()) {
            try {
                byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
                result.add((X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der)));
            }
            catch (GeneralSecurityException | IllegalArgumentException ex) {
                throw InvalidRequestException.field(field, "A certificate is not readable PEM.");
            }
        }
        if (result.isEmpty()) {
            throw InvalidRequestException.field(field, "Give certificates as PEM (-----BEGIN CERTIFICATE-----).");
        }
        return result;
    }

    public static X509Certificate parseCertificate(String pem, String field) {
        return parseCertificates(pem, field).get(0);
    }

    public static PrivateKey parsePrivateKey(String pem, String field) {
        Matcher matcher = pem == null ? null : PEM_KEY.matcher(pem);
        if (matcher == null || !matcher.find()) {
            throw InvalidRequestException.field(field, "Give the private key as unencrypted PKCS#8 PEM "
                    + "(-----BEGIN PRIVATE KEY-----).");
        }
        byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            }
            catch (GeneralSecurityException ignored) {
                // try the next algorithm
            }
        }
        throw InvalidRequestException.field(field, "The private key is neither RSA nor EC.");
    }

    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static String base64(X509Certificate certificate) {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
