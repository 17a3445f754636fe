package dev.roster.sso.idp;

import static dev.roster.sso.idp.IdpApiBench.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.roster.sso.SsoFixture;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TcpProxy;

/**
 * Roster keeps one Microsoft Graph client per Entra connection, with OkHttp's pool of connections to Graph. When the
 * connection changes, goes away or is disabled, its client's pooled connections are closed, but never under a lookup
 * still running on it; while it stays as it is, its client is kept. Graph is WireMock behind a {@link TcpProxy}, which
 * shows the TCP connections Roster holds open (token requests go to WireMock directly, and are not counted).
 */
@RosterIntegrationTest
class EntraGraphClientLifecycleTest {

    @RegisterExtension
    final IdpApiBench bench = new IdpApiBench();

    private final FakeGraph fake = bench.graphApi();
    private EntraGraph graph;

    @BeforeEach
    void graph() {
        graph = bench.graph();
    }

    @Test
    void aChangedConnectionGetsANewClientAndTheOldOneIsClosed() {
        SsoConnection first = fake.connection(0);
        String group = UUID.randomUUID().toString();
        String person = fake.knows(first, group, 0);
        assertThat(graph.memberGroupIds(first, person)).containsExactly(group);
        assertThat(bench.proxy().openConnections()).isEqualTo(1);

        SsoConnection changed = fake.changed(first);
        // Only a client built with the new tenant's token gets an answer from this Graph now.
        String samePerson = fake.knows(changed, group, 0);
        assertThat(graph.memberGroupIds(changed, samePerson)).containsExactly(group);

        awaitUntil(() -> bench.proxy().openConnections() == 1, "the first client's connection is closed");
        assertThat(bench.proxy().acceptedConnections()).isEqualTo(2);
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
        String slow = fake.knowsOnTwoPages(before, bench.graphBase(), first, second, 1_500);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Set<String>> running = thread.submit(() -> graph.memberGroupIds(before, slow));
            awaitUntil(() -> fake.asked(slow), "Graph has the slow lookup's first request");

            SsoConnection changed = fake.changed(before);
            String quick = fake.knows(changed, first, 0);
            assertThat(graph.memberGroupIds(changed, quick)).containsExactly(first);

            assertThat(running.get(10, TimeUnit.SECONDS)).containsExactly(first, second);
            awaitUntil(() -> bench.proxy().openConnections() == 1,
                    "the first client's connection is closed once it is done");
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
        assertThat(bench.proxy().openConnections()).isEqualTo(1);

        graph.closeClientsOfGoneConnections();

        awaitUntil(() -> bench.proxy().openConnections() == 0, "the deleted connection's client is closed");
    }

    @Test
    void aCurrentConnectionsClientIsKeptAndUsedAgain() {
        SsoFixture sso = bench.store("entra", fake.settings());
        String group = UUID.randomUUID().toString();
        String person = fake.knows(bench.current(sso), group, 0);
        assertThat(graph.memberGroupIds(bench.current(sso), person)).containsExactly(group);

        graph.closeClientsOfGoneConnections();

        assertThat(graph.memberGroupIds(bench.current(sso), person)).containsExactly(group);
        assertThat(bench.proxy().acceptedConnections()).as("the client and its pooled connection were kept")
                .isEqualTo(1);
    }

    /**
     * An admin has the group names of a disabled connection looked up again, which builds its client from the
     * connection as it is now: the same version as the database's, so only the sweep's check that the connection is
     * enabled closes it.
     */
    @Test
    void aDisabledConnectionsClientIsClosed() {
        SsoFixture sso = bench.store("entra", fake.settings());
        bench.change(sso, Map.of("enabled", false));
        SsoConnection disabled = bench.current(sso);
        String group = UUID.randomUUID().toString();
        fake.names(disabled, group, "Platform engineers");
        assertThat(graph.groupName(disabled, group)).contains("Platform engineers");
        assertThat(bench.proxy().openConnections()).isEqualTo(1);

        graph.closeClientsOfGoneConnections();

        awaitUntil(() -> bench.proxy().openConnections() == 0, "the disabled connection's client is closed");
    }
}
