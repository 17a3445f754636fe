package dev.roster.sso.idp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.okta.sdk.authc.credentials.TokenClientCredentials;
import com.okta.sdk.cache.Caches;
import com.okta.sdk.client.Clients;
import com.okta.sdk.resource.api.GroupApi;
import com.okta.sdk.resource.api.UserApi;
import com.okta.sdk.resource.api.UserResourcesApi;
import com.okta.sdk.resource.client.ApiClient;
import com.okta.sdk.resource.client.Pair;
import com.okta.sdk.resource.common.PagedList;
import com.okta.sdk.resource.model.Group;
import com.okta.sdk.resource.model.UserGetSingleton;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.SSLConnectionSocketFactoryBuilder;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.roster.shared.EmailAddress;
import dev.roster.shared.GuardedDnsResolver;
import dev.roster.shared.OutboundAddresses;
import dev.roster.shared.SecretCipher;
import dev.roster.sso.SsoProperties;
import dev.roster.sso.connection.SsoConnection;

/**
 * The Okta API, for Okta connections whose assertions carry no groups attribute: the person's group names, looked up
 * by their login (the asserted address), following the {@code Link: rel="next"} pages; and a group's name by its id,
 * for admins. One SDK client per connection
 * until the connection changes; the API token (SSWS) is decrypted only to build it. Each call to Okta waits at most
 * {@link #TIMEOUT} to connect and as long for each answer; a failure is thrown, and a sign-in then leaves the person's
 * teams as they are.
 */
@Component
public class OktaGroupsClient {

    /**
     * The longest wait to connect to Okta, for each answer, and for a pooled connection: the one value the SDK's own
     * HTTP client used for all three when Roster built it with {@code setConnectionTimeout(10)}.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final int MAX_PAGES = 100;

    private record Client(Instant version, ApiClient api) {
    }

    private final SecretCipher cipher;
    private final OutboundTls tls;
    private final GuardedDnsResolver resolver;
    private final Timeout timeout;
    private final Map<UUID, Client> clients = new ConcurrentHashMap<>();

    @Autowired
    OktaGroupsClient(SecretCipher cipher, OutboundTls tls, OutboundAddresses addresses, SsoProperties properties) {
        this(cipher, tls, addresses, properties, TIMEOUT);
    }

    OktaGroupsClient(SecretCipher cipher, OutboundTls tls, OutboundAddresses addresses, SsoProperties properties,
                     Duration timeout) {
        this.cipher = cipher;
        this.tls = tls;
        this.timeout = Timeout.of(timeout);
        // The org URL passed the address guard when it was saved; the resolver asks it again at every connection,
        // so a DNS answer changed since cannot send the API token to an internal address.
        this.resolver = new GuardedDnsResolver(addresses, !properties.metadata().allowPrivateAddresses());
    }

    public Set<String> groupNames(SsoConnection connection, EmailAddress email) {
        ApiClient api = client(connection);
        UserGetSingleton user = new UserApi(api).getUser(email.value(), null, null);
        Set<String> names = new LinkedHashSet<>();
        List<Group> page = new UserResourcesApi(api).listUserGroups(user.getId());
        for (int pages = 1; ; pages++) {
            page.forEach(group -> names.add(group.getProfile().getName()));
            if (!(page instanceof PagedList<?> paged) || !paged.hasMoreItems() || paged.getAfter() == null
                    || pages >= MAX_PAGES) {
                break;
            }
            page = nextPage(api, user.getId(), paged.getAfter());
        }
        return names;
    }

    /** An Okta group's name by its id ({@code 00g…}), for a groups attribute set to carry ids. */
    public Optional<String> groupName(SsoConnection connection, String groupId) {
        Group group = new GroupApi(client(connection)).getGroup(groupId);
        return Optional.ofNullable(group).map(Group::getProfile).map(p -> p.getName());
    }

    private static List<Group> nextPage(ApiClient api, String userId, String after) {
        List<Pair> query = new ArrayList<>(api.parameterToPair("after", after));
        return api.invokeAPI("/api/v1/users/" + api.escapeString(userId) + "/groups", "GET", query, new ArrayList<>(),
                null, null, new java.util.HashMap<>(), new java.util.HashMap<>(), new java.util.HashMap<>(),
                "application/json", "application/json", new String[] {"apiToken", "oauth2"},
                new TypeReference<List<Group>>() { });
    }

    private ApiClient client(SsoConnection connection) {
        Client cached = clients.get(connection.id());
        if (cached != null && cached.version().equals(connection.updatedAt())) {
            return cached.api();
        }
        ApiClient api = Clients.builder()
                .setOrgUrl(connection.oktaOrgUrl())
                .setClientCredentials(new TokenClientCredentials(cipher.decrypt(connection.oktaApiToken())))
                .setCacheManager(Caches.newDisabledCacheManager())
                .build();
        // The SDK authenticates in ApiClient (SSWS header); the HTTP client is swapped only to apply OutboundTls.
        api.setHttpClient(HttpClients.custom()
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
                .build());
        clients.put(connection.id(), new Client(connection.updatedAt(), api));
        return api;
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
