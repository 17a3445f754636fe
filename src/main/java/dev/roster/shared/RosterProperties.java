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
 */
@ConfigurationProperties("roster")
public record RosterProperties(@DefaultValue("http://localhost:8080") URI baseUrl, String secretKey) {

    public String url(String path) {
        String base = baseUrl.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }
}
