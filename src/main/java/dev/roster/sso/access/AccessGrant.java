package dev.roster.sso.access;

import java.time.Instant;
import java.util.UUID;

/** One rule that lets people in on their first SSO login: a verified domain, an IdP group, or one address. */
public record AccessGrant(UUID id, UUID connectionId, Kind kind, String value, Instant createdAt) {

    public enum Kind {
        DOMAIN, GROUP, EMAIL
    }
}
