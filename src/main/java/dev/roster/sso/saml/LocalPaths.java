package dev.roster.sso.saml;

import java.util.Optional;

/**
 * Where Roster may send someone after signing in: a path on Roster itself. Absolute URLs, scheme-relative
 * {@code //host} and {@code /\host} tricks, control characters and backslashes are refused, so a RelayState or
 * returnTo cannot make Roster an open redirect.
 */
public final class LocalPaths {

    private LocalPaths() {
    }

    public static Optional<String> safe(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > 2000) {
            return Optional.empty();
        }
        if (candidate.charAt(0) != '/' || candidate.startsWith("//") || candidate.contains("\\")) {
            return Optional.empty();
        }
        for (char c : candidate.toCharArray()) {
            if (c < 0x21 || c == 0x7f) {
                return Optional.empty();
            }
        }
        String lower = candidate.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("/%2f") || lower.startsWith("/%5c") || lower.contains("%0d") || lower.contains("%0a")) {
            return Optional.empty();
        }
        return Optional.of(candidate);
    }
}
