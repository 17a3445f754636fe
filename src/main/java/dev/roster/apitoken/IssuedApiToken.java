package dev.roster.apitoken;

/** A token at the one moment its secret is known: right after it was created. */
public record IssuedApiToken(ApiToken token, String secret) {
}
