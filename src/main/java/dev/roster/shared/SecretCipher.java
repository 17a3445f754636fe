package dev.roster.shared;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.DatabaseMetaData;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Encrypts secrets Roster must be able to read back (TOTP seeds, IdP client secrets, SP private keys) with
 * AES-256-GCM. Values are stored as {@code v1:<base64(iv || ciphertext)>}. The key is {@code roster.secret-key}; without
 * it a key is generated and kept in the database, which protects nothing against a database leak, so in production
 * (PostgreSQL outside the demo profile) Roster refuses to start without it unless
 * {@code roster.allow-secret-key-in-database} says otherwise.
 */
@Component
public class SecretCipher {

    private static final Logger log = LoggerFactory.getLogger(SecretCipher.class);
    private static final String KEY_ROW = "secret-cipher-key";
    private static final int IV_BYTES = 12;

    private final SecureRandom random = new SecureRandom();
    private final SecretKey key;

    SecretCipher(RosterProperties properties, JdbcClient jdbc, DataSource dataSource, Environment environment) {
        if (!StringUtils.hasText(properties.secretKey()) && !properties.allowSecretKeyInDatabase()
                && production(dataSource, environment)) {
            throw new SecretKeyMissingException();
        }
        this.key = new SecretKeySpec(loadKey(properties, jdbc), "AES");
    }

    /**
     * Production is PostgreSQL outside the demo profile: the embedded H2 database of {@code ./mvnw spring-boot:run} and
     * the demo may generate their key, a real installation may not do so silently.
     */
    private static boolean production(DataSource dataSource, Environment environment) {
        if (environment.acceptsProfiles(Profiles.of("demo"))) {
            return false;
        }
        try {
            String product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
            return "PostgreSQL".equalsIgnoreCase(product);
        }
        catch (MetaDataAccessException ex) {
            throw new IllegalStateException("cannot tell which database Roster runs on", ex);
        }
    }

    /** Roster would start in production with the key that protects stored secrets kept beside them. */
    public static class SecretKeyMissingException extends IllegalStateException {

        SecretKeyMissingException() {
            super("roster.secret-key (ROSTER_SECRET_KEY) is not set, and Roster runs on PostgreSQL outside the demo "
                    + "profile: stored secrets would be encrypted with a key kept in the same database");
        }
    }

    public String encrypt(String plaintext) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] encrypted = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(iv.length + encrypted.length).put(iv).put(encrypted);
            return "v1:" + Base64.getEncoder().encodeToString(out.array());
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("cannot encrypt secret", ex);
        }
    }

    public String decrypt(String stored) {
        if (!stored.startsWith("v1:")) {
            throw new IllegalStateException("unknown secret format");
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(3));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, IV_BYTES));
            byte[] plain = cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("cannot decrypt secret: was roster.secret-key changed?", ex);
        }
    }

    private byte[] loadKey(RosterProperties properties, JdbcClient jdbc) {
        if (StringUtils.hasText(properties.secretKey())) {
            byte[] configured = Base64.getDecoder().decode(properties.secretKey().trim());
            if (configured.length != 32) {
                throw new IllegalStateException("roster.secret-key must be the base64 encoding of 32 bytes");
            }
            return configured;
        }
        log.warn("roster.secret-key (ROSTER_SECRET_KEY) is not set: stored secrets are encrypted with a key kept in "
                + "the database, which protects nothing against a database leak. Set it in production.");
        return jdbc.sql("SELECT secret_value FROM instance_secret WHERE name = ?").param(KEY_ROW).query(String.class)
                .optional()
                .map(Base64.getDecoder()::decode)
                .orElseGet(() -> createKey(jdbc));
    }

    private byte[] createKey(JdbcClient jdbc) {
        byte[] fresh = new byte[32];
        random.nextBytes(fresh);
        try {
            jdbc.sql("INSERT INTO instance_secret (name, secret_value) VALUES (?, ?)")
                    .params(KEY_ROW, Base64.getEncoder().encodeToString(fresh)).update();
            return fresh;
        }
        catch (DuplicateKeyException raced) {
            // Another instance created it first; use theirs so every instance reads the same secrets.
            return Base64.getDecoder().decode(jdbc.sql("SELECT secret_value FROM instance_secret WHERE name = ?")
                    .param(KEY_ROW).query(String.class).single());
        }
    }
}
