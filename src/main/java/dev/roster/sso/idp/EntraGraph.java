package dev.roster.sso.idp;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import java.time.OffsetDateTime;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.ClientSecretCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.models.Group;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.getmemberobjects.GetMemberObjectsPostRequestBody;
import com.microsoft.graph.users.item.getmemberobjects.GetMemberObjectsPostResponse;
import com.microsoft.kiota.authentication.AzureIdentityAuthenticationProvider;
import okhttp3.OkHttpClient;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.roster.shared.SecretCipher;
import dev.roster.sso.SsoProperties;
import dev.roster.sso.connection.SsoConnection;

/**
 * Microsoft Graph, with each Entra connection's own client credentials (an app registration with
 * GroupMember.Read.All): the groups of a person whose token carried the overage claim instead of their groups
 * ({@code getMemberObjects}, following {@code @odata.nextLink}), and group names for admins.
 * <p>
 * One Graph client per connection is kept until the connection changes, with its access token cached until shortly
 * before expiry ({@link CachedToken}): one token request per connection and hour, not per login.
 * HTTP goes through the JDK client (azure-core-http-jdk-httpclient) for tokens and OkHttp for Graph, both with
 * {@link OutboundTls}.
 */
@Component
public class EntraGraph {

    private record Client(Instant version, GraphServiceClient graph) {
    }

    private final SecretCipher cipher;
    private final SsoProperties.Graph settings;
    private final OutboundTls tls;
    private final Map<UUID, Client> clients = new ConcurrentHashMap<>();

    EntraGraph(SecretCipher cipher, SsoProperties properties, OutboundTls tls) {
        this.cipher = cipher;
        this.settings = properties.graph();
        this.tls = tls;
    }

    /** The ids of every group (and directory role) the user is a member of, transitively. */
    public Set<String> memberGroupIds(SsoConnection connection, String objectId) {
        GraphServiceClient graph = client(connection);
        GetMemberObjectsPostRequestBody body = new GetMemberObjectsPostRequestBody();
        body.setSecurityEnabledOnly(false);
        Set<String> ids = new LinkedHashSet<>();
        GetMemberObjectsPostResponse page = graph.users().byUserId(objectId).getMemberObjects().post(body);
        int pages = 0;
        while (page != null) {
            if (page.getValue() != null) {
                ids.addAll(page.getValue());
            }
            String next = page.getOdataNextLink();
            if (next == null || ++pages >= 100) {
                break;
            }
            page = graph.users().byUserId(objectId).getMemberObjects().withUrl(next).post(body);
        }
        return ids;
    }

    public Optional<String> groupName(SsoConnection connection, String groupId) {
        Group group = client(connection).groups().byGroupId(groupId)
                .get(config -> config.queryParameters.select = new String[] {"id", "displayName"});
        return Optional.ofNullable(group).map(Group::getDisplayName);
    }

    private GraphServiceClient client(SsoConnection connection) {
        Client cached = clients.get(connection.id());
        if (cached != null && cached.version().equals(connection.updatedAt())) {
            return cached.graph();
        }
        ClientSecretCredential credential = new ClientSecretCredentialBuilder()
                .tenantId(connection.graphTenantId())
                .clientId(connection.graphClientId())
                .clientSecret(cipher.decrypt(connection.graphClientSecret()))
                .authorityHost(settings.authorityHost())
                .disableInstanceDiscovery()
                .httpClient(new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(tls.sslContext()))
                        .connectionTimeout(Duration.ofSeconds(10)).responseTimeout(Duration.ofSeconds(20)).build())
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
        GraphServiceClient graph = new GraphServiceClient(adapter);
        clients.put(connection.id(), new Client(connection.updatedAt(), graph));
        return graph;
    }

    /**
     * Keeps the access token until five minutes before it expires. The credential alone asks the token endpoint on
     * every Graph request here, so the cache is ours.
     */
    static final class CachedToken implements TokenCredential {

        private final TokenCredential credential;
        private AccessToken token;

        CachedToken(TokenCredential credential) {
            this.credential = credential;
        }

        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            return Mono.fromSupplier(() -> getTokenSync(request));
        }

        @Override
        public synchronized AccessToken getTokenSync(TokenRequestContext request) {
            if (token == null || token.getExpiresAt().isBefore(OffsetDateTime.now().plusMinutes(5))) {
                token = credential.getTokenSync(request);
            }
            return token;
        }
    }

    private String scope() {
        URI base = URI.create(settings.baseUrl());
        return base.getScheme() + "://" + base.getHost() + (base.getPort() > 0 ? ":" + base.getPort() : "")
                + "/.default";
    }
}
