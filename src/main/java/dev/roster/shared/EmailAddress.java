package dev.roster.shared;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** An email address as Roster compares it: trimmed, and matched case-insensitively. */
public record EmailAddress(String value) {

    // Deliberately stricter than RFC 5322: one @, a dotted domain, no spaces, quotes or angle brackets.
    private static final Pattern SHAPE = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");

    public EmailAddress {
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a valid email address: " + value);
        }
    }

    public static Optional<EmailAddress> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String trimmed = raw.trim();
        return isValid(trimmed) ? Optional.of(new EmailAddress(trimmed)) : Optional.empty();
    }

    public static boolean isValid(String value) {
        // RFC 5321 4.5.3.1.1: a local part is at most 64 octets; longer ones no mail server has to accept.
        return value != null && value.length() <= 320 && !value.contains("..") && SHAPE.matcher(value).matches()
                && value.indexOf('@') <= 64;
    }

    public static String normalize(String value) {
        return value.trim().toLowerCase(Locale.ROOT);
    }

    public String normalized() {
        return normalize(value);
    }

    public String domain() {
        return normalized().substring(normalized().indexOf('@') + 1);
    }
}
