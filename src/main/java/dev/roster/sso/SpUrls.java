package dev.roster.sso;

import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.roster.shared.RosterProperties;

/**
 * The service provider URLs of a connection, all built from {@code roster.base-url} (never from the request's Host
 * header, which a client controls).
 */
@Component
class SpUrls {

    static final String ACS_PATH = "/login/saml2/sso/";
    static final String METADATA_PATH = "/saml2/metadata/";
    static final String AUTHENTICATE_PATH = "/saml2/authenticate/";
    static final String SLO_PATH = "/logout/saml2/slo/";

    private final RosterProperties properties;

    SpUrls(RosterProperties properties) {
        this.properties = properties;
    }

    String entityId(UUID connectionId) {
        return metadata(connectionId);
    }

    String metadata(UUID connectionId) {
        return properties.url(METADATA_PATH + connectionId);
    }

    String acs(UUID connectionId) {
        return properties.url(ACS_PATH + connectionId);
    }

    String login(UUID connectionId) {
        return properties.url(AUTHENTICATE_PATH + connectionId);
    }

    String slo(UUID connectionId) {
        return properties.url(SLO_PATH + connectionId);
    }

    String url(String path) {
        return properties.url(path);
    }
}
