package dev.roster.sso.idp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.okta.sdk.resource.api.GroupApi;
import com.okta.sdk.resource.api.UserApi;
import com.okta.sdk.resource.api.UserResourcesApi;
import com.okta.sdk.resource.client.ApiClient;
import com.okta.sdk.resource.client.Pair;
import com.okta.sdk.resource.common.PagedList;
import com.okta.sdk.resource.model.Group;
import com.okta.sdk.resource.model.UserGetSingleton;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.roster.shared.EmailAddress;
import dev.roster.shared.GuardedDnsResolver;
import dev.roster.shared.OutboundAddresses;
import dev.roster.shared.SecretCipher;
import dev.roster.sso.SsoProperties;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.connection.SsoConnectionRepository;

/**
 * The Okta API, for Okta connections whose assertions carry no groups attribute: the person's group names, looked up
 * by their login (the asserted address), following the {@code Link: rel="next"} pages; and a group's name by its id,
 * for admins. One SDK client per connection until the connection changes ({@link ConnectionClients}); the API token
 * (SSWS) is decrypted only to build it ({@link OktaClientFactory}). Each call to Okta waits at most {@link #TIMEOUT} to
 * connect and as long for each answer, and a whole lookup ends at {@link #DEADLINE} ({@link LookupDeadlines}); a
 * lookup beyond those its organization may have running at once is not attempted ({@link LookupsPerOrganization}).
 * A failure is thrown, and a sign-in then leaves the person's teams as they are.
 */
@Component
public class OktaGroupsClient implements DisposableBean {

    /**
     * The longest wait to connect to Okta, for each answer, and for a pooled connection: the one value the SDK's own
     * HTTP client used for all three when Roster built it with {@code setConnectionTimeout(10)}.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * How long a whole lookup may take, however many requests it makes: a sign-in waits for it. Longer than one
     * {@link #TIMEOUT}, so that a single answer slow to come but within the timeout still counts, with room for the
     * few quick requests a lookup usually is (the person, a page or two of groups); short enough that an Okta org that
     * answers page after page slowly, or drips its answers, holds a person at the sign-in (and a server thread) for
     * seconds rather than minutes, well within the minute a reverse proxy typically gives a request.
     */
    static final Duration DEADLINE = Duration.ofSeconds(15);

    private static final int MAX_PAGES = 100;

    private final SsoConnectionRepository connections;
    private final ConnectionClients<ApiClient> clients;

    @Autowired
    OktaGroupsClient(SecretCipher cipher, OutboundTls tls, OutboundAddresses addresses, SsoProperties properties,
                     SsoConnectionRepository connections, LookupsPerOrganization limits) {
        this(cipher, tls, addresses, properties, connections, TIMEOUT, DEADLINE, limits);
    }

    /** A client with its own timeout, deadline and limit per organization: for tests (IdpApiBench). */
    OktaGroupsClient(SecretCipher cipher, OutboundTls tls, OutboundAddresses addresses, SsoProperties properties,
                     SsoConnectionRepository connections, Duration timeout, Duration deadline,
                     LookupsPerOrganization limits) {
        this.connections = connections;
        LookupDeadlines deadlines = new LookupDeadlines("Okta API", deadline);
        // The org URL passed the address guard when it was saved; the resolver asks it again at every connection,
        // so a DNS answer changed since cannot send the API token to an internal address.
        GuardedDnsResolver resolver = new GuardedDnsResolver(addresses, !properties.metadata().allowPrivateAddresses());
        this.clients = new ConnectionClients<>(limits.forApi("okta"), deadlines,
                new OktaClientFactory(cipher, tls, resolver, timeout, deadlines)::open);
    }

    public Set<String> groupNames(SsoConnection connection, EmailAddress email) {
        return clients.lookup(connection, api -> groupNames(api, email));
    }

    private static Set<String> groupNames(ApiClient api, EmailAddress email) {
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
        return clients.lookup(connection, api -> Optional.ofNullable(new GroupApi(api).getGroup(groupId))
                .map(Group::getProfile).map(p -> p.getName()));
    }

    private static List<Group> nextPage(ApiClient api, String userId, String after) {
        List<Pair> query = new ArrayList<>(api.parameterToPair("after", after));
        return api.invokeAPI("/api/v1/users/" + api.escapeString(userId) + "/groups", "GET", query, new ArrayList<>(),
                null, null, new java.util.HashMap<>(), new java.util.HashMap<>(), new java.util.HashMap<>(),
                "application/json", "application/json", new String[] {"apiToken", "oauth2"},
                new TypeReference<List<Group>>() { });
    }

    /**
     * Closes the clients of connections that were deleted (their organization's deletion included), disabled, changed
     * or stripped of their Okta API settings since, on this instance or another (a client is replaced, and closed, on
     * its next use after a change; until this runs, an unused one keeps its idle pooled connections open).
     */
    @Scheduled(fixedDelayString = "PT5M", initialDelayString = "PT5M")
    public void closeClientsOfGoneConnections() {
        clients.retireUnlessCurrent(connections::findById, c -> c.enabled() && c.oktaApiConfigured());
    }

    /** Closes every client when Roster stops, each once the lookups still running on it have finished. */
    @Override
    public void destroy() {
        clients.close();
    }
}
