package dev.roster.sso;

import java.time.Duration;
import java.util.List;

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
 * @param outbound calls Roster makes to IdPs (metadata URLs, Microsoft Graph, the Okta API)
 * @param graph where Microsoft Graph and the Entra token endpoint are (other clouds than the global one)
 * @param verifiedDomains domains an operator vouches for, as {@code org-slug:domain} entries, verified at start-up
 *                        without DNS (for sites whose DNS Roster cannot query)
 * @param refusalAuditLimit how many responses that fail validation are audited per connection and reason and hour
 *                          (the rest are counted; 0 audits every one)
 */
@ConfigurationProperties("roster.sso")
public record SsoProperties(@DefaultValue("2m") Duration clockSkew, @DefaultValue("256KB") DataSize maxMessageSize,
                     @DefaultValue("30d") Duration certificateWarning, @DefaultValue Metadata metadata,
                     @DefaultValue Outbound outbound, @DefaultValue Graph graph,
                     @DefaultValue("") List<String> verifiedDomains, @DefaultValue("60") int refusalAuditLimit) {

    /**
     * @param allowPrivateAddresses let metadata URLs point at loopback, private and link-local addresses (an
     *                              operator's choice for an IdP on the internal network; off by default because an
     *                              admin could otherwise make Roster probe the network it runs in)
     * @param allowHttp accept plain-HTTP metadata URLs (for local development only)
     * @param refreshInterval how often metadata from URLs is fetched again
     * @param timeout connect and read timeout of one fetch
     */
    public record Metadata(@DefaultValue("false") boolean allowPrivateAddresses, @DefaultValue("false") boolean allowHttp,
                    @DefaultValue("6h") Duration refreshInterval, @DefaultValue("10s") Duration timeout) {
    }

    /**
     * @param trustStore a PKCS#12 file (or {@code classpath:} resource) of extra certificates to trust for outbound
     *                   HTTPS, for example a TLS-inspecting proxy's CA; the JVM's own trust stays in force
     * @param trustStorePassword its password
     * @param allowedHosts host names exempt from the internal-address check (an IdP on the internal network)
     */
    public record Outbound(String trustStore, @DefaultValue("") String trustStorePassword,
                    @DefaultValue("") List<String> allowedHosts) {
    }

    /**
     * @param baseUrl Microsoft Graph, with its version
     * @param authorityHost the Entra (Azure AD) token authority
     */
    public record Graph(@DefaultValue("https://graph.microsoft.com/v1.0") String baseUrl,
                 @DefaultValue("https://login.microsoftonline.com/") String authorityHost) {
    }
}
