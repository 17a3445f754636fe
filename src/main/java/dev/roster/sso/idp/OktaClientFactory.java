package dev.roster.sso.idp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;

import com.okta.sdk.authc.credentials.TokenClientCredentials;
import com.okta.sdk.cache.Caches;
import com.okta.sdk.client.Clients;
import com.okta.sdk.resource.client.ApiClient;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.SSLConnectionSocketFactoryBuilder;
import org.apache.hc.core5.concurrent.ComplexCancellable;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
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
 * hold a sign-in, and each request aborted at its lookup's deadline ({@link LookupDeadlines}), so one that answers
 * slowly cannot either. The API token (SSWS) is decrypted here only, into the SDK client.
 */
final class OktaClientFactory {

    private final SecretCipher cipher;
    private final OutboundTls tls;
    private final GuardedDnsResolver resolver;
    private final Timeout timeout;
    private final LookupDeadlines deadlines;

    OktaClientFactory(SecretCipher cipher, OutboundTls tls, GuardedDnsResolver resolver, Duration timeout,
                      LookupDeadlines deadlines) {
        this.cipher = cipher;
        this.tls = tls;
        this.resolver = resolver;
        this.timeout = Timeout.of(timeout);
        this.deadlines = deadlines;
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
                // First, so that it wraps the whole chain: retries, the pool lease, connecting, the exchange.
                .addExecInterceptorFirst("lookup-deadline", new AbortAtDeadline(deadlines))
                .disableCookieManagement()
                // The org URL passed the internal-address check; a redirect must not lead somewhere that did not.
                .disableRedirectHandling()
                .build();
    }

    /**
     * Registers each request with the deadline of the lookup running on this thread, through a cancellable of its own
     * that the rest of the chain runs under ({@code ExecRuntime.fork}): the SDK sends a plain request, which cannot be
     * cancelled, where an {@code HttpUriRequestBase} would carry one. Cancelled, it works as {@code cancel()} on such
     * a request does: a wait for a pooled connection ends, the connection (being opened, or carrying the exchange, or
     * the answer's body, which the SDK reads after this returns) is closed and its place in the pool freed, and the
     * retry below fails instead of sending the request again.
     */
    private record AbortAtDeadline(LookupDeadlines deadlines) implements ExecChainHandler {

        @Override
        public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
                throws IOException, HttpException {
            LookupDeadlines.Deadline deadline = deadlines.current();
            if (deadline == null) {
                return chain.proceed(request, scope);
            }
            if (deadline.passed()) {
                throw new InterruptedIOException("the lookup's deadline has passed");
            }
            ComplexCancellable cancellable = new ComplexCancellable();
            deadline.onExpiry(cancellable::cancel);
            return chain.proceed(request, new ExecChain.Scope(scope.exchangeId, scope.route, scope.originalRequest,
                    scope.execRuntime.fork(cancellable), scope.clientContext));
        }
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
