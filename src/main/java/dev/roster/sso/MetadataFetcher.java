package dev.roster.sso;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.roster.shared.InvalidRequestException;

/**
 * Fetches IdP metadata from a URL an admin gave. Because the admin chooses the URL, it is checked before every
 * request (and every redirect): HTTPS only, and no loopback, private, link-local or otherwise internal address unless
 * the operator allows them, so the feature cannot be used to reach the network Roster runs in. Bodies are capped.
 */
@Component
class MetadataFetcher {

    private static final int MAX_REDIRECTS = 3;

    private final SsoProperties.Metadata settings;
    private final List<String> allowedHosts;
    private final HttpClient client;

    @Autowired
    MetadataFetcher(SsoProperties properties, OutboundTls tls) {
        this(properties.metadata(), properties.outbound().allowedHosts(), tls);
    }

    MetadataFetcher(SsoProperties.Metadata settings, List<String> allowedHosts, OutboundTls tls) {
        this.settings = settings;
        this.allowedHosts = allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        this.client = HttpClient.newBuilder().connectTimeout(settings.timeout()).sslContext(tls.sslContext())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    String fetch(String url) {
        URI uri = check(url);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<InputStream> response = send(uri);
            int status = response.statusCode();
            if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                uri = check(uri.resolve(response.headers().firstValue("Location").get()).toString());
                continue;
            }
            if (status != 200) {
                throw InvalidRequestException.field("metadataUrl", "The metadata URL answered HTTP " + status + ".");
            }
            return read(response);
        }
        throw InvalidRequestException.field("metadataUrl", "The metadata URL redirects too often.");
    }

    /** Refuses URLs Roster must not fetch; answers the URL to fetch. */
    URI check(String url) {
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
        if (!settings.allowPrivateAddresses() && !allowedHosts.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(uri.getHost());
            }
            catch (UnknownHostException ex) {
                throw InvalidRequestException.field("metadataUrl", "The metadata URL's host is unknown.");
            }
            for (InetAddress address : addresses) {
                if (isInternal(address)) {
                    throw InvalidRequestException.field("metadataUrl", "The metadata URL points at an internal "
                            + "address (" + address.getHostAddress() + "); Roster fetches metadata only from public "
                            + "addresses unless the operator allows it (roster.sso.metadata.allow-private-addresses, "
                            + "roster.sso.outbound.allowed-hosts).");
                }
            }
        }
        return uri;
    }

    static boolean isInternal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) || first >= 240;
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) { // unique local fc00::/7
                return true;
            }
            boolean mapped = true; // ::ffff:a.b.c.d carries an IPv4 address
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isInternal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                }
                catch (UnknownHostException ex) {
                    return true;
                }
            }
        }
        return false;
    }

    private HttpResponse<InputStream> send(URI uri) {
        try {
            return client.send(HttpRequest.newBuilder(uri).timeout(settings.timeout())
                    .header("Accept", "application/samlmetadata+xml, application/xml, text/xml").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        }
        catch (IOException ex) {
            throw InvalidRequestException.field("metadataUrl", "The metadata URL could not be fetched: "
                    + ex.getClass().getSimpleName());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw InvalidRequestException.field("metadataUrl", "Interrupted while fetching the metadata URL.");
        }
    }

    private static String read(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
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
        catch (IOException ex) {
            throw InvalidRequestException.field("metadataUrl", "The metadata URL could not be read.");
        }
    }
}
