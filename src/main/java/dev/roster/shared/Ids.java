package dev.roster.shared;

import java.security.SecureRandom;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;

/**
 * Identifiers: random (version 4) UUIDs so that an id reveals nothing and cannot be guessed, and parsing of ids that
 * arrive from clients, where a malformed id is simply "not found".
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

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
        RANDOM.nextBytes(bytes);
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
