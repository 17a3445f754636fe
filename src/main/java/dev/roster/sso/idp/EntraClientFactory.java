package dev.roster.sso.idp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.function.DoubleSupplier;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.identity.ClientSecretCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AzureIdentityAuthenticationProvider;
import com.microsoft.kiota.http.middleware.RetryHandler;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;

import dev.roster.shared.SecretCipher;
import dev.roster.sso.SsoProperties;
import dev.roster.sso.connection.SsoConnection;

/**
 * Builds a connection's Microsoft Graph client on its own client credentials: token requests through the JDK HTTP
 * client (azure-core-http-jdk-httpclient), Graph requests through OkHttp, both with {@link OutboundTls}, each Graph
 * request aborted at its lookup's deadline ({@link LookupDeadlines}) and asked again after a throttled or unavailable
 * answer only while the wait ends before it ({@link RetryWithinDeadline}). The client secret is decrypted here only,
 * into the credential.
 */
final class EntraClientFactory {

    private static final RetryOptions NO_RETRIES = new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(0));

    private final SecretCipher cipher;
    private final SsoProperties.Graph settings;
    private final OutboundTls tls;
    private final Duration timeout;
    private final LookupDeadlines deadlines;
    private final DoubleSupplier backOffRandom;
    /**
     * One client for every connection's token requests: it holds nothing of a connection (the credential sends its
     * secret in each request's body; the JDK client keeps no cookies and follows no redirects), and a client per
     * connection could not be closed when the connection changes (the JDK client has no close() before Java 21; its
     * selector thread runs until the client is garbage-collected).
     */
    private final HttpClient tokenHttp;

    /**
     * @param timeout the longest wait to connect, for an answer to begin and between reads of it, for Graph and its
     *                token endpoint alike
     * @param backOffRandom where the random part of Graph's back-offs comes from ({@link RetryWithinDeadline#RANDOM})
     */
    EntraClientFactory(SecretCipher cipher, SsoProperties.Graph settings, OutboundTls tls, Duration timeout,
                       LookupDeadlines deadlines, DoubleSupplier backOffRandom) {
        this.cipher = cipher;
        this.settings = settings;
        this.tls = tls;
        this.timeout = timeout;
        this.deadlines = deadlines;
        this.backOffRandom = backOffRandom;
        // The read timeout (between reads of an answer's body; azure-core's default is 60 s) bounds a token request the
        // lookup gave up waiting for (CachedToken).
        this.tokenHttp = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(tls.sslContext()))
                .connectionTimeout(timeout).responseTimeout(timeout).readTimeout(timeout).build();
    }

    SharedClient<GraphServiceClient> open(SsoConnection connection) {
        ClientSecretCredential credential = new ClientSecretCredentialBuilder()
                .tenantId(connection.graphTenantId())
                .clientId(connection.graphClientId())
                .clientSecret(cipher.decrypt(connection.graphClientSecret()))
                .authorityHost(settings.authorityHost())
                .disableInstanceDiscovery()
                .httpClient(tokenHttp)
                // azure-core's retry policy, in the credential's pipeline, would try a token request that timed out or
                // failed four times, 0.8, 1.6 and 3.2 s apart, on MSAL's thread, where no deadline reaches: about 45 s
                // at the 10 s timeouts, three times a lookup's deadline, so that against a stalled token endpoint the
                // retries of lookups given up on piled up. One try, bounded by the timeouts, ends before the deadline;
                // MSAL itself still asks once more, a second later, after a 5xx without Retry-After. (The builder's
                // maxRetry does not reach this policy: setupPipeline reads retryPolicy and retryOptions only.)
                .retryOptions(NO_RETRIES)
                .build();
        String graphHost = URI.create(settings.baseUrl()).getHost();
        AzureIdentityAuthenticationProvider authentication = new AzureIdentityAuthenticationProvider(
                new CachedToken(credential, deadlines), new String[] {graphHost}, scope());
        OkHttpClient.Builder builder = GraphClientFactory.create();
        // In the place of Kiota's retry handler (last: it retries each request as sent, redirects followed), which
        // would sleep out what Graph asks, up to three minutes, where no deadline reaches.
        builder.interceptors().removeIf(RetryHandler.class::isInstance);
        builder.interceptors().add(new RetryWithinDeadline(deadlines, backOffRandom));
        // First, so that it wraps the other handlers: retries and redirects run under the same deadline.
        builder.interceptors().add(0, new AbortAtDeadline(deadlines));
        OkHttpClient http = builder
                .sslSocketFactory(tls.sslContext().getSocketFactory(), tls.trustManager())
                // Kiota's factory gives 100 s to connect and to read (and to a whole call, which the deadline cuts
                // short); every wait gets the one timeout here, writing a request included.
                .connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout).build();
        BaseGraphRequestAdapter adapter = new BaseGraphRequestAdapter(authentication, null, "v1.0", http);
        // Set before the client is built: GraphServiceClient fills in the global cloud's URL only when none is set.
        adapter.setBaseUrl(settings.baseUrl());
        return new SharedClient<>(connection.updatedAt(), new GraphServiceClient(adapter), () -> close(http));
    }

    /**
     * Closes what the client's OkHttp holds, once no lookup runs on it ({@link SharedClient}): its pooled connections,
     * and its dispatcher's threads, which only asynchronous calls use (Kiota makes none here, so there are none unless
     * that changes).
     */
    private static void close(OkHttpClient http) {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private String scope() {
        URI base = URI.create(settings.baseUrl());
        return base.getScheme() + "://" + base.getHost() + (base.getPort() > 0 ? ":" + base.getPort() : "")
                + "/.default";
    }

    /**
     * Registers each Graph call with the deadline of the lookup running on this thread. Cancelling the call closes its
     * connection, whether it is being opened, carrying the exchange or the answer's body (which Kiota reads after the
     * interceptors return), and fails every later attempt of the call (its retries, Kiota's redirects).
     */
    private record AbortAtDeadline(LookupDeadlines deadlines) implements Interceptor {

        @Override
        public Response intercept(Chain chain) throws IOException {
            LookupDeadlines.Deadline deadline = deadlines.current();
            if (deadline != null) {
                if (deadline.passed()) {
                    throw new InterruptedIOException("the lookup's deadline has passed");
                }
                deadline.onExpiry(chain.call()::cancel);
            }
            return chain.proceed(chain.request());
        }
    }
}
