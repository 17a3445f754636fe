package dev.roster.shared;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings every feature needs.
 *
 * @param baseUrl the public URL people reach Roster at; links in emails and SAML/SCIM URLs are built from it
 * @param secretKey base64 of a 32-byte key that encrypts stored secrets (TOTP seeds, IdP client secrets); without
 *                  it a key is generated once and kept in the database, which protects nothing against a database
 *                  leak, so production sets it
 * @param allowSecretKeyInDatabase let Roster start in production (on PostgreSQL, outside the demo profile) without
 *                                 {@code secretKey}, keeping the generated key in the database: an operator's explicit
 *                                 choice, for a trial that must not stop at the missing key
 */
@ConfigurationProperties("roster")
public record RosterProperties(@DefaultValue("http://localhost:8080") URI baseUrl, String secretKey,
                               @DefaultValue("false") boolean allowSecretKeyInDatabase) {

    /** Whether people reach Roster over HTTPS (then its cookies are {@code Secure}). */
    public boolean https() {
        return "https".equalsIgnoreCase(baseUrl.getScheme());
    }

    public String url(String path) {
        String base = baseUrl.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }
}
