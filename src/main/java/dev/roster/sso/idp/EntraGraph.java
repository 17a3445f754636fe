package dev.roster.sso.idp;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;

import com.microsoft.graph.models.Group;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.getmemberobjects.GetMemberObjectsPostRequestBody;
import com.microsoft.graph.users.item.getmemberobjects.GetMemberObjectsPostResponse;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.roster.shared.SecretCipher;
import dev.roster.sso.SsoProperties;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.connection.SsoConnectionRepository;

/**
 * Microsoft Graph, with each Entra connection's own client credentials (an app registration with
 * GroupMember.Read.All): the groups of a person whose token carried the overage claim instead of their groups
 * ({@code getMemberObjects}, following {@code @odata.nextLink}), and group names for admins.
 * <p>
 * One Graph client per connection until the connection changes ({@link ConnectionClients}), built by
 * {@link EntraClientFactory} (the only place the client secret is decrypted), with its access token cached until
 * shortly before expiry ({@link CachedToken}): one token request per connection and hour, not per login. Each wait for
 * Graph or its token endpoint ends at {@link #TIMEOUT}, and a whole lookup at {@link #DEADLINE}
 * ({@link LookupDeadlines}); a lookup beyond those its organization may have running at once (Okta's and Graph's
 * together) is not attempted ({@link LookupsPerOrganization}). A failure is thrown, and a sign-in then leaves the
 * person's teams as they are.
 */
@Component
public class EntraGraph implements DisposableBean {

    /**
     * The longest wait to connect to Graph or its token endpoint, and for each answer (for it to begin, and between
     * reads of it): the Okta API's ({@link OktaGroupsClient#TIMEOUT}). Shorter than the {@link #DEADLINE}, so that one
     * stalled read fails the lookup with its own cause, a timeout, rather than running into the deadline.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * How long a whole lookup may take, token request included, however many pages it follows: a sign-in waits for
     * it. The same as the Okta API's ({@link OktaGroupsClient#DEADLINE}), and for the same reasons: longer than one
     * {@link #TIMEOUT}, with room for the few quick requests a lookup usually is, while a Graph that answers page after
     * page slowly, or drips its answers, holds a person at the sign-in (and a server thread) for seconds rather than
     * minutes.
     */
    static final Duration DEADLINE = Duration.ofSeconds(15);

    private static final int MAX_PAGES = 100;

    private final SsoConnectionRepository connections;
    private final ConnectionClients<GraphServiceClient> clients;

    @Autowired
    EntraGraph(SecretCipher cipher, SsoProperties properties, OutboundTls tls, SsoConnectionRepository connections,
               LookupsPerOrganization limits) {
        this(cipher, properties, tls, connections, TIMEOUT, DEADLINE, limits, RetryWithinDeadline.RANDOM);
    }

    /**
     * A client with its own timeout, deadline, limit per organization and source of the back-offs' randomness: for
     * tests (IdpApiBench), which time them.
     */
    EntraGraph(SecretCipher cipher, SsoProperties properties, OutboundTls tls, SsoConnectionRepository connections,
               Duration timeout, Duration deadline, LookupsPerOrganization limits, DoubleSupplier backOffRandom) {
        this.connections = connections;
        LookupDeadlines deadlines = new LookupDeadlines("Microsoft Graph", deadline);
        this.clients = new ConnectionClients<>(limits.forApi("graph"), deadlines,
                new EntraClientFactory(cipher, properties.graph(), tls, timeout, deadlines, backOffRandom)::open);
    }

    /** The ids of every group (and directory role) the user is a member of, transitively. */
    public Set<String> memberGroupIds(SsoConnection connection, String objectId) {
        return clients.lookup(connection, graph -> memberGroupIds(graph, objectId));
    }

    private static Set<String> memberGroupIds(GraphServiceClient graph, String objectId) {
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
            if (next == null || ++pages >= MAX_PAGES) {
                break;
            }
            page = graph.users().byUserId(objectId).getMemberObjects().withUrl(next).post(body);
        }
        return ids;
    }

    public Optional<String> groupName(SsoConnection connection, String groupId) {
        return clients.lookup(connection, graph -> Optional.ofNullable(graph.groups().byGroupId(groupId)
                .get(config -> config.queryParameters.select = new String[] {"id", "displayName"}))
                .map(Group::getDisplayName));
    }

    /**
     * Closes the clients of connections that were deleted (their organization's deletion included), disabled, changed
     * or stripped of their Graph credentials since, on this instance or another (a client is replaced, and closed, on
     * its next use after a change; until this runs, an unused one keeps its idle pooled connections open).
     */
    @Scheduled(fixedDelayString = "PT5M", initialDelayString = "PT5M")
    public void closeClientsOfGoneConnections() {
        clients.retireUnlessCurrent(connections::findById, c -> c.enabled() && c.graphConfigured());
    }

    /** Closes every client when Roster stops, each once the lookups still running on it have finished. */
    @Override
    public void destroy() {
        clients.close();
    }
}
