package dev.roster.shared;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Encrypts secrets Roster must be able to read back (TOTP seeds, IdP client secrets, SP private keys) with
 * AES-256-GCM. Values are stored as {@code v1:<base64(iv || ciphertext)>}.
 */
@Component
public class SecretCipher {

    private static final Logger log = LoggerFactory.getLogger(SecretCipher.class);
    private static final String KEY_ROW = "secret-cipher-key";
    private static final int IV_BYTES = 12;

    private final SecureRandom random = new SecureRandom();
    private final SecretKey key;

    SecretCipher(RosterProperties properties, JdbcClient jdbc) {
        this.key = new SecretKeySpec(loadKey(properties, jdbc), "AES");
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
                + "the database. Set it in production.");
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
