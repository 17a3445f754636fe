package dev.roster.sso.saml;

import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.roster.shared.RosterProperties;

/**
 * The service provider URLs of a connection, all built from {@code roster.base-url} (never from the request's Host
 * header, which a client controls).
 */
@Component
public class SpUrls {

    public static final String ACS_PATH = "/login/saml2/sso/";
    public static final String METADATA_PATH = "/saml2/metadata/";
    public static final String AUTHENTICATE_PATH = "/saml2/authenticate/";
    public static final String SLO_PATH = "/logout/saml2/slo/";

    private final RosterProperties properties;

    SpUrls(RosterProperties properties) {
        this.properties = properties;
    }

    public String entityId(UUID connectionId) {
        return metadata(connectionId);
    }

    public String metadata(UUID connectionId) {
        return properties.url(METADATA_PATH + connectionId);
    }

    public String acs(UUID connectionId) {
        return properties.url(ACS_PATH + connectionId);
    }

    public String login(UUID connectionId) {
        return properties.url(AUTHENTICATE_PATH + connectionId);
    }

    public String slo(UUID connectionId) {
        return properties.url(SLO_PATH + connectionId);
    }

    public String url(String path) {
        return properties.url(path);
    }
}
