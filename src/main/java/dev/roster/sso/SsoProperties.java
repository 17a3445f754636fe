package dev.roster.sso;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of single sign-on (documented in docs/configuration.md).
 *
 * @param clockSkew how far the IdP's clock may be off when time conditions are checked
 * @param maxMessageSize the largest SAML message accepted, before and after inflating the redirect binding
 * @param certificateWarning how long before an IdP certificate expires admins are warned
 * @param metadata fetching IdP metadata from a URL
 */
@ConfigurationProperties("roster.sso")
record SsoProperties(@DefaultValue("2m") Duration clockSkew, @DefaultValue("256KB") DataSize maxMessageSize,
                     @DefaultValue("30d") Duration certificateWarning, @DefaultValue Metadata metadata) {

    /**
     * @param allowPrivateAddresses let metadata URLs point at loopback, private and link-local addresses (an
     *                              operator's choice for an IdP on the internal network; off by default because an
     *                              admin could otherwise make Roster probe the network it runs in)
     * @param allowHttp accept plain-HTTP metadata URLs (for local development only)
     * @param refreshInterval how often metadata from URLs is fetched again
     * @param timeout connect and read timeout of one fetch
     */
    record Metadata(@DefaultValue("false") boolean allowPrivateAddresses, @DefaultValue("false") boolean allowHttp,
                    @DefaultValue("6h") Duration refreshInterval, @DefaultValue("10s") Duration timeout) {
    }
}
