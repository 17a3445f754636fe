package dev.roster.sso.idp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.SSLConnectionSocketFactoryBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.roster.shared.GuardedDnsResolver;
import dev.roster.shared.InvalidRequestException;
import dev.roster.shared.OutboundAddresses;
import dev.roster.sso.SsoProperties;
import dev.roster.sso.saml.IdpMetadata;

/**
 * Fetches IdP metadata from a URL an admin gave. Because the admin chooses the URL, it is checked before every
 * request (and every redirect): HTTPS only, and no loopback, private, link-local or otherwise internal address unless
 * the operator allows them, so the feature cannot be used to reach the network Roster runs in. Bodies are capped.
 */
@Component
public class MetadataFetcher implements DisposableBean {

    private static final int MAX_REDIRECTS = 3;

    private final SsoProperties.Metadata settings;
    private final OutboundAddresses addresses;
    private final CloseableHttpClient client;

    @Autowired
    MetadataFetcher(SsoProperties properties, OutboundAddresses addresses, OutboundTls tls) {
        this(properties.metadata(), addresses, tls);
    }

    MetadataFetcher(SsoProperties.Metadata settings, OutboundAddresses addresses, OutboundTls tls) {
        this.settings = settings;
        this.addresses = addresses;
        Timeout timeout = Timeout.of(settings.timeout());
        // The resolver asks the address guard again as the client connects: check() below runs before each request,
        // but without this a DNS answer that changed in between (DNS rebinding) would still be connected to.
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new GuardedDnsResolver(addresses, !settings.allowPrivateAddresses()))
                        .setSSLSocketFactory(SSLConnectionSocketFactoryBuilder.create()
                                .setSslContext(tls.sslContext()).build())
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout)
                                .setSocketTimeout(timeout).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).build())
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement()
                .build();
    }

    /** One hop's answer: the metadata, or where it redirects. */
    private record Hop(int status, String location, String body) {
    }

    public String fetch(String url) {
        URI uri = check(url);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Hop answer = send(uri);
            int status = answer.status();
            if (status >= 300 && status < 400 && answer.location() != null) {
                uri = check(uri.resolve(answer.location()).toString());
                continue;
            }
            if (status != 200) {
                throw InvalidRequestException.field("metadataUrl", "The metadata URL answered HTTP " + status
                        + FetchFailure.reason(status) + " instead of the metadata.");
            }
            return answer.body();
        }
        throw InvalidRequestException.field("metadataUrl", "The metadata URL redirects too often.");
    }

    /** Refuses URLs Roster must not fetch; answers the URL to fetch. */
    public URI check(String url) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.trim());
        }
        catch (java.net.URISyntaxException ex) {
            throw InvalidRequestException.field("metadataUrl", "The metadata URL is not a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(settings.allowHttp() && scheme.equals("http"))) {
            throw InvalidRequestException.field("metadataUrl", "The metadata URL must use HTTPS.");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw InvalidRequestException.field("metadataUrl", "The metadata URL needs a host and no user info.");
        }
        if (!settings.allowPrivateAddresses()) {
            try {
                addresses.check(uri);
            }
            catch (OutboundAddresses.RefusedException ex) {
                throw InvalidRequestException.field("metadataUrl", ex.internalAddress() == null
                        ? "The metadata URL's host is unknown."
                        : "The metadata URL points at an internal address (" + ex.internalAddress() + "); Roster "
                        + "fetches metadata only from public addresses unless the operator allows it "
                        + "(roster.sso.metadata.allow-private-addresses, or the host in ROSTER_OUTBOUND_ALLOWED_HOSTS).");
            }
        }
        return uri;
    }

    private Hop send(URI uri) {
        HttpGet request = new HttpGet(uri);
        request.setHeader("Accept", "application/samlmetadata+xml, application/xml, text/xml");
        try {
            return client.execute(request, response -> {
                Header location = response.getFirstHeader("Location");
                boolean ok = response.getCode() == 200;
                return new Hop(response.getCode(), location == null ? null : location.getValue(),
                        ok ? read(response.getEntity()) : null);
            });
        }
        catch (IOException ex) {
            throw InvalidRequestException.field("metadataUrl", "The metadata URL could not be fetched: "
                    + FetchFailure.describe(ex, uri, settings.timeout()));
        }
    }

    private static String read(HttpEntity entity) throws IOException {
        if (entity == null) {
            return "";
        }
        try (InputStream in = entity.getContent()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                if (out.size() > IdpMetadata.MAX_BYTES) {
                    throw InvalidRequestException.field("metadataUrl", "The metadata is larger than 1 MB.");
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** Closes the client's pooled connections when the application stops. */
    @Override
    public void destroy() throws IOException {
        client.close();
    }
}
