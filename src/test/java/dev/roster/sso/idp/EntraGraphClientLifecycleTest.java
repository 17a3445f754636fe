package dev.roster.sso.idp;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import com.github.tomakehurst.wiremock.WireMockServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.shared.SecretCipher;
import dev.roster.sso.SsoProperties;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.connection.SsoConnectionRepository;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TcpProxy;
import dev.roster.test.TestEnvironment;

/**
 * Roster keeps one Microsoft Graph client per Entra connection, with OkHttp's pool of connections to Graph. When the
 * connection changes or goes away, its client's pooled connections are closed, but never under a lookup still running
 * on it. Graph is WireMock behind a {@link TcpProxy}, which shows the TCP connections Roster holds open (token requests
 * go to WireMock directly, and are not counted).
 */
@RosterIntegrationTest
class EntraGraphClientLifecycleTest {

    @Autowired
    SecretCipher cipher;
    @Autowired
    OutboundTls tls;
    @Autowired
    SsoProperties properties;
    @Autowired
    SsoConnectionRepository connections;

    private final WireMockServer wireMock = TestEnvironment.wireMock();
    private FakeGraph fake;
    private TcpProxy proxy;
    private EntraGraph graph;

    @BeforeEach
    void graph() throws IOException {
        fake = new FakeGraph(wireMock, cipher);
        proxy = new TcpProxy("127.0.0.1", wireMock.httpsPort());
        graph = new EntraGraph(cipher, FakeGraph.graphAt(properties, graphBase()), tls, connections);
    }

    @AfterEach
    void close() throws IOException {
        graph.destroy();
        proxy.close();
    }

    @Test
    void aChangedConnectionGetsANewClientAndTheOldOneIsClosed() {
        SsoConnection first = fake.connection(0);
        String group = UUID.randomUUID().toString();
        String person = fake.knows(first, group, 0);
        assertThat(graph.memberGroupIds(first, person)).containsExactly(group);
        assertThat(proxy.openConnections()).isEqualTo(1);

        SsoConnection changed = fake.changed(first);
        // Only a client built with the new tenant's token gets an answer from this Graph now.
        String samePerson = fake.knows(changed, group, 0);
        assertThat(graph.memberGroupIds(changed, samePerson)).containsExactly(group);

        awaitUntil(() -> proxy.openConnections() == 1, "the first client's connection is closed");
        assertThat(proxy.acceptedConnections()).isEqualTo(2);
    }

    /**
     * The slow lookup has two pages, so that the old client still sends a request after the change. (OkHttp does not
     * cut a running call off when its idle connections are evicted; closing the old client at once would instead leave
     * the connection that carries the rest of the lookup open in a pool nothing closes again.)
     */
    @Test
    void aLookupRunningOnTheOldClientFinishesWhenTheConnectionChanges() throws Exception {
        SsoConnection before = fake.connection(0);
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        String slow = fake.knowsOnTwoPages(before, graphBase(), first, second, 1_500);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Set<String>> running = thread.submit(() -> graph.memberGroupIds(before, slow));
            awaitUntil(() -> !wireMock.findAll(postRequestedFor(urlPathEqualTo(FakeGraph.memberObjects(slow))))
                    .isEmpty(), "Graph has the slow lookup's first request");

            SsoConnection changed = fake.changed(before);
            String quick = fake.knows(changed, first, 0);
            assertThat(graph.memberGroupIds(changed, quick)).containsExactly(first);

            assertThat(running.get(10, TimeUnit.SECONDS)).containsExactly(first, second);
            awaitUntil(() -> proxy.openConnections() == 1, "the first client's connection is closed once it is done");
        }
        finally {
            thread.shutdownNow();
        }
    }

    /** The connection here was never in the database: to the sweep, one deleted since its client was built. */
    @Test
    void aDeletedConnectionsClientIsClosed() {
        SsoConnection deleted = fake.connection(0);
        String person = fake.knows(deleted, UUID.randomUUID().toString(), 0);
        graph.memberGroupIds(deleted, person);
        assertThat(proxy.openConnections()).isEqualTo(1);

        graph.closeClientsOfGoneConnections();

        awaitUntil(() -> proxy.openConnections() == 0, "the deleted connection's client is closed");
    }

    private String graphBase() {
        return "https://localhost:" + proxy.port() + "/graph/v1.0";
    }

    private static void awaitUntil(BooleanSupplier condition, String description) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting until " + description).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }
}
