package dev.roster.sso.idp;

import static dev.roster.sso.idp.FakeOkta.person;
import static dev.roster.sso.idp.IdpApiBench.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.roster.shared.EmailAddress;
import dev.roster.sso.SsoFixture;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TcpProxy;
import dev.roster.test.TestData;

/**
 * Roster keeps one Okta API client per connection, with a pool of connections to the Okta org. When the connection
 * changes, goes away or is disabled, its client's pooled connections are closed, but never under a lookup still
 * running on it. Okta is WireMock behind a {@link TcpProxy}, which shows the TCP connections Roster holds open.
 */
@RosterIntegrationTest
class OktaApiClientLifecycleTest {

    @RegisterExtension
    final IdpApiBench bench = new IdpApiBench();

    private final FakeOkta fake = bench.oktaApi();
    private OktaGroupsClient okta;

    @BeforeEach
    void okta() {
        okta = bench.okta();
    }

    @Test
    void aChangedConnectionGetsANewClientAndTheOldOneIsClosed() {
        SsoFixture sso = oktaConnection();
        String group = TestData.unique("Engineering");
        EmailAddress person = person();
        fake.knows(bench.current(sso), person, group, 0);
        assertThat(okta.groupNames(bench.current(sso), person)).containsExactly(group);
        assertThat(bench.proxy().openConnections()).isEqualTo(1);

        bench.change(sso, FakeOkta.settings(bench.proxiedUrl()));
        fake.knows(bench.current(sso), person, group, 0);
        // Only a client built with the new token gets an answer from this Okta now.
        assertThat(okta.groupNames(bench.current(sso), person)).containsExactly(group);

        awaitUntil(() -> bench.proxy().openConnections() == 1, "the first client's connection is closed");
        assertThat(bench.proxy().acceptedConnections()).isEqualTo(2);
    }

    @Test
    void aLookupRunningOnTheOldClientFinishesWhenTheConnectionChanges() throws Exception {
        SsoFixture sso = oktaConnection();
        String group = TestData.unique("Support");
        EmailAddress slow = person();
        SsoConnection before = bench.current(sso);
        fake.knows(before, slow, group, 1_500);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Set<String>> running = thread.submit(() -> okta.groupNames(before, slow));
            awaitUntil(() -> fake.asked(slow), "Okta has the slow lookup's request");

            bench.change(sso, FakeOkta.settings(bench.proxiedUrl()));
            EmailAddress quick = person();
            fake.knows(bench.current(sso), quick, group, 0);
            assertThat(okta.groupNames(bench.current(sso), quick)).containsExactly(group);

            assertThat(running.get(10, TimeUnit.SECONDS)).containsExactly(group);
            awaitUntil(() -> bench.proxy().openConnections() == 1,
                    "the first client's connection is closed once it is done");
        }
        finally {
            thread.shutdownNow();
        }
    }

    @Test
    void aDeletedConnectionsClientIsClosed() {
        SsoFixture sso = oktaConnection();
        EmailAddress person = person();
        fake.knows(bench.current(sso), person, TestData.unique("Data"), 0);
        okta.groupNames(bench.current(sso), person);
        assertThat(bench.proxy().openConnections()).isEqualTo(1);

        bench.delete(sso);
        okta.closeClientsOfGoneConnections();

        awaitUntil(() -> bench.proxy().openConnections() == 0, "the deleted connection's client is closed");
    }

    /**
     * The disabled connection's client is built from the connection as it is now, as an admin's refresh of group names
     * does: the same version as the database's, so only the sweep's check that the connection is enabled closes it.
     */
    @Test
    void aDisabledConnectionsClientIsClosedAndAnEnabledOnesIsKept() {
        SsoFixture sso = oktaConnection();
        EmailAddress person = person();
        fake.knows(bench.current(sso), person, TestData.unique("Data"), 0);
        okta.groupNames(bench.current(sso), person);

        okta.closeClientsOfGoneConnections();
        okta.groupNames(bench.current(sso), person);
        assertThat(bench.proxy().acceptedConnections()).as("the client and its pooled connection were kept")
                .isEqualTo(1);

        bench.change(sso, Map.of("enabled", false));
        SsoConnection disabled = bench.current(sso);
        String group = FakeOkta.groupId();
        fake.names(disabled, group, "Data");
        assertThat(okta.groupName(disabled, group)).contains("Data");
        okta.closeClientsOfGoneConnections();

        awaitUntil(() -> bench.proxy().openConnections() == 0, "the disabled connection's client is closed");
    }

    /** An Okta connection, stored, to the Okta behind the proxy. */
    private SsoFixture oktaConnection() {
        return bench.store("okta", FakeOkta.settings(bench.proxiedUrl()));
    }
}
