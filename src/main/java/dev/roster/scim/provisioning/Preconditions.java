package dev.roster.scim.provisioning;

import dev.roster.scim.protocol.ETags;

/** The conditional headers of a write, checked against the version locked in the write's transaction. */
public record Preconditions(String ifMatch, String ifNoneMatch) {

    public static Preconditions none() {
        return new Preconditions(null, null);
    }

    void check(long version) {
        ETags.requireMatch(ifMatch, version);
        ETags.requireNoneMatch(ifNoneMatch, version);
    }
}
