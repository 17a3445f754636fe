package dev.roster.sso;

import java.util.UUID;

/** A connection someone should sign in through, and the local path that starts the sign-in. */
public record SsoTarget(UUID organizationId, UUID connectionId, String connectionName, String loginPath) {
}
