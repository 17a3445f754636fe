package dev.roster.shared;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;

/**
 * Identifiers: random (version 4) UUIDs so that an id reveals nothing and cannot be guessed, and parsing of ids that
 * arrive from clients, where a malformed id is simply "not found".
 */
public final class Ids {

    /**
     * One generator per thread: the platform's default {@code SecureRandom} (NativePRNG on Linux) serializes every
     * caller on one lock around a read of {@code /dev/urandom}, and a SCIM create takes several ids, so under load
     * request threads queued there for milliseconds (issue 15's profile). Each thread's DRBG is seeded from the system's
     * entropy and is as unpredictable as the shared one.
     */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Ids::generator);

    /**
     * UUIDs in the order of PostgreSQL's {@code ORDER BY} of a {@code uuid} column: their 16 bytes compared unsigned
     * (the order of their text). {@link UUID#compareTo} compares the two halves as signed numbers, so an id whose
     * first hex digit is 8 to f comes before one starting 0 to 7 there and after it in the database. Code that locks
     * rows in batches it forms itself sorts with this, so its locks come in the order of the statements that lock with
     * {@code ORDER BY id} (docs/architecture.md, lock order).
     */
    public static final Comparator<UUID> DATABASE_ORDER = (a, b) -> {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    };

    private Ids() {
    }

    public static UUID newId() {
        byte[] bytes = new byte[16];
        RANDOM.get().nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (bytes[i] & 0xff);
            lsb = (lsb << 8) | (bytes[i + 8] & 0xff);
        }
        return new UUID(msb, lsb);
    }

    private static SecureRandom generator() {
        try {
            return SecureRandom.getInstance("DRBG");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("the JDK has had DRBG since Java 9", ex);
        }
    }

    public static Optional<UUID> parse(String raw) {
        if (raw == null || raw.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(raw));
        }
        catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
    }
}
