package dev.roster.shared;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer secrets (API tokens, invitation links, SCIM tokens). Only a SHA-256 hash is stored. Rows are found by a
 * short lookup key (the first 16 bytes of the hash, which reveal nothing usable about the secret) and the full hash
 * is then compared in constant time, so response timing never depends on how much of a guess was right.
 */
public final class SecretToken {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private SecretToken() {
    }

    /** A freshly generated secret and what to store for it. */
    public record Issued(String value, String lookup, String hash) {
    }

    public static Issued issue(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return of(prefix + ENCODER.encodeToString(bytes));
    }

    /** Hashes a secret supplied from outside (an operator's bootstrap token). */
    public static Issued of(String value) {
        String hash = sha256Hex(value);
        return new Issued(value, hash.substring(0, 32), hash);
    }

    /**
     * A presented secret's hash, computed once: its look-up key, and the constant-time comparison with each stored hash
     * the key finds.
     */
    public record Presented(String hash) {

        public String lookup() {
            return hash.substring(0, 32);
        }

        public boolean matches(String storedHash) {
            return MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
                    storedHash.getBytes(StandardCharsets.US_ASCII));
        }
    }

    public static Presented presented(String value) {
        return new Presented(sha256Hex(value));
    }

    public static String lookup(String value) {
        return presented(value).lookup();
    }

    public static boolean matches(String value, String storedHash) {
        return presented(value).matches(storedHash);
    }

    public static String sha256Hex(String value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
        }
    }
}
