package dev.roster.scim.protocol;

/**
 * Weak entity tags from resource versions (RFC 7644 section 3.14) and the If-Match / If-None-Match checks.
 * Any change to a resource, members included, moves its version.
 */
public final class ETags {

    private ETags() {
    }

    public static String of(long version) {
        return "W/\"" + version + "\"";
    }

    /** A write with If-Match that names neither {@code *} nor the current version fails with 412. */
    public static void requireMatch(String ifMatch, long version) {
        if (ifMatch != null && !ifMatch.isBlank() && !matches(ifMatch, version)) {
            throw ScimError.preconditionFailed("The resource changed since it was read (version "
                    + of(version) + "). Read it again and retry.");
        }
    }

    /** A write with If-None-Match that names the current version (or {@code *}) fails with 412. */
    public static void requireNoneMatch(String ifNoneMatch, long version) {
        if (ifNoneMatch != null && !ifNoneMatch.isBlank() && matches(ifNoneMatch, version)) {
            throw ScimError.preconditionFailed("The resource is at version " + of(version) + ".");
        }
    }

    public static boolean matches(String header, long version) {
        for (String part : header.split(",")) {
            String tag = part.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("\"" + version + "\"")) {
                return true;
            }
        }
        return false;
    }
}
