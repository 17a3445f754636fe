package dev.roster.sso.idp;

import java.time.Duration;

import com.okta.sdk.authc.credentials.TokenClientCredentials;
import com.okta.sdk.cache.Caches;
import com.okta.sdk.client.Clients;
import com.okta.sdk.resource.client.ApiClient;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.SSLConnectionSocketFactoryBuilder;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

import dev.roster.shared.GuardedDnsResolver;
import dev.roster.shared.SecretCipher;
import dev.roster.sso.connection.SsoConnection;

/**
 * Builds a connection's Okta SDK client on an Apache HTTP client of Roster's: {@link OutboundTls}, the address guard
 * asked again at every connection ({@link GuardedDnsResolver}), no redirects, no cookies, and a timeout on every wait
 * (connecting, each answer, a pooled connection), so an Okta org that takes the connection and never answers cannot
 * hold a sign-in. The API token (SSWS) is decrypted here only, into the SDK client.
 */
final class OktaClientFactory {

    private final SecretCipher cipher;
    private final OutboundTls tls;
    private final GuardedDnsResolver resolver;
    private final Timeout timeout;

    OktaClientFactory(SecretCipher cipher, OutboundTls tls, GuardedDnsResolver resolver, Duration timeout) {
        this.cipher = cipher;
        this.tls = tls;
        this.resolver = resolver;
        this.timeout = Timeout.of(timeout);
    }

    SharedClient<ApiClient> open(SsoConnection connection) {
        ApiClient api = Clients.builder()
                .setOrgUrl(connection.oktaOrgUrl())
                .setClientCredentials(new TokenClientCredentials(cipher.decrypt(connection.oktaApiToken())))
                .setCacheManager(Caches.newDisabledCacheManager())
                .build();
        // The builder always makes an HTTP client of its own and takes none; it has sent nothing yet, and nothing
        // would close it once replaced. The SDK authenticates in ApiClient (the SSWS header), so ours can take over.
        api.getHttpClient().close(CloseMode.IMMEDIATE);
        CloseableHttpClient http = http();
        api.setHttpClient(http);
        // Closed only once no lookup runs on it (SharedClient): GRACEFUL then just ends the idle pooled connections
        // politely (TLS close_notify).
        return new SharedClient<>(connection.updatedAt(), api, () -> http.close(CloseMode.GRACEFUL));
    }

    private CloseableHttpClient http() {
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(resolver)
                        .setSSLSocketFactory(SSLConnectionSocketFactoryBuilder.create()
                                .setSslContext(tls.sslContext()).build())
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout)
                                .setSocketTimeout(timeout).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout)
                        .setConnectionRequestTimeout(timeout).build())
                .setRetryStrategy(new NoRetryOfAnswers())
                .disableCookieManagement()
                // The org URL passed the internal-address check; a redirect must not lead somewhere that did not.
                .disableRedirectHandling()
                .build();
    }

    /**
     * Apache's default retry of a request that failed to get an answer (once, after a second; never after a
     * timeout), without its retry of a 429 or 503 answer: that one first sleeps for as long as the answer's
     * {@code Retry-After} says, bounded by no timeout, while a sign-in waits.
     */
    private static final class NoRetryOfAnswers extends DefaultHttpRequestRetryStrategy {

        @Override
        public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
            return false;
        }
    }
}
