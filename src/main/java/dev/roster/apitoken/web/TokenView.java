package dev.roster.apitoken.web;

import java.time.Instant;
import java.util.UUID;

import dev.roster.apitoken.ApiToken;

/** A token as its owner sees it in lists: never the secret, which exists only in the answer that created it. */
record TokenView(UUID id, String name, String status, Instant createdAt, Instant expiresAt, Instant lastUsedAt,
                 Instant revokedAt) {

    static TokenView of(ApiToken token, Instant now) {
        return new TokenView(token.id(), token.name(), status(token, now), token.createdAt(), token.expiresAt(),
                token.lastUsedAt(), token.revokedAt());
    }

    /** {@code active}, {@code expired} or {@code revoked}. */
    static String status(ApiToken token, Instant now) {
        if (token.revokedAt() != null) {
            return "revoked";
        }
        return token.usableAt(now) ? "active" : "expired";
    }
}
