package dev.roster.sso.idp;

import java.net.URI;
import java.time.Duration;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.ClientSecretCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AzureIdentityAuthenticationProvider;
import okhttp3.OkHttpClient;

import dev.roster.shared.SecretCipher;
import dev.roster.sso.SsoProperties;
import dev.roster.sso.connection.SsoConnection;

/**
 * Builds a connection's Microsoft Graph client on its own client credentials: token requests through the JDK HTTP
 * client (azure-core-http-jdk-httpclient), Graph requests through OkHttp, both with {@link OutboundTls}. The client
 * secret is decrypted here only, into the credential.
 */
final class EntraClientFactory {

    private final SecretCipher cipher;
    private final SsoProperties.Graph settings;
    private final OutboundTls tls;
    /**
     * One client for every connection's token requests: it holds nothing of a connection (the credential sends its
     * secret in each request's body; the JDK client keeps no cookies and follows no redirects), and a client per
     * connection could not be closed when the connection changes (the JDK client has no close() before Java 21; its
     * selector thread runs until the client is garbage-collected).
     */
    private final HttpClient tokenHttp;

    EntraClientFactory(SecretCipher cipher, SsoProperties.Graph settings, OutboundTls tls) {
        this.cipher = cipher;
        this.settings = settings;
        this.tls = tls;
        this.tokenHttp = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(tls.sslContext()))
                .connectionTimeout(Duration.ofSeconds(10)).responseTimeout(Duration.ofSeconds(20)).build();
    }

    SharedClient<GraphServiceClient> open(SsoConnection connection) {
        ClientSecretCredential credential = new ClientSecretCredentialBuilder()
                .tenantId(connection.graphTenantId())
                .clientId(connection.graphClientId())
                .clientSecret(cipher.decrypt(connection.graphClientSecret()))
                .authorityHost(settings.authorityHost())
                .disableInstanceDiscovery()
                .httpClient(tokenHttp)
                .build();
        String graphHost = URI.create(settings.baseUrl()).getHost();
        AzureIdentityAuthenticationProvider authentication = new AzureIdentityAuthenticationProvider(
                new CachedToken(credential), new String[] {graphHost}, scope());
        OkHttpClient http = GraphClientFactory.create()
                .sslSocketFactory(tls.sslContext().getSocketFactory(), tls.trustManager())
                .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(20)).build();
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
}
