package dev.roster.sso.idp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

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
public class MetadataFetcher {

    private static final int MAX_REDIRECTS = 3;

    private final SsoProperties.Metadata settings;
    private final OutboundAddresses addresses;
    private final HttpClient client;

    @Autowired
    MetadataFetcher(SsoProperties properties, OutboundAddresses addresses, OutboundTls tls) {
        this(properties.metadata(), addresses, tls);
    }

    MetadataFetcher(SsoProperties.Metadata settings, OutboundAddresses addresses, OutboundTls tls) {
        this.settings = settings;
        this.addresses = addresses;
        this.client = HttpClient.newBuilder().connectTimeout(settings.timeout()).sslContext(tls.sslContext())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public String fetch(String url) {
        URI uri = check(url);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<InputStream> response = send(uri);
            int status = response.statusCode();
            if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                uri = check(uri.resolve(response.headers().firstValue("Location").get()).toString());
                continue;
            }
            if (status != 200) {
                throw InvalidRequestException.field("metadataUrl", "The metadata URL answered HTTP " + status
                        + FetchFailure.reason(status) + " instead of the metadata.");
            }
            return read(response);
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

    private HttpResponse<InputStream> send(URI uri) {
        try {
            return client.send(HttpRequest.newBuilder(uri).timeout(settings.timeout())
                    .header("Accept", "application/samlmetadata+xml, application/xml, text/xml").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        }
        catch (IOException ex) {
            throw InvalidRequestException.field("metadataUrl", "The metadata URL could not be fetched: "
                    + FetchFailure.describe(ex, uri, settings.timeout()));
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
