package dev.roster.sso;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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

import dev.roster.shared.EmailAddress;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.connection.SsoConnectionRepository;
import dev.roster.sso.idp.OktaGroupsClient;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TcpProxy;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestEnvironment;

/**
 * Roster keeps one Okta API client per connection, with a pool of connections to the Okta org. When the connection
 * changes, goes away or is disabled, its client's pooled connections are closed, but never under a lookup still
 * running on it. Okta is WireMock behind a {@link TcpProxy}, which shows the TCP connections Roster holds open.
 */
@RosterIntegrationTest
class OktaApiClientLifecycleTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    OktaGroupsClient okta;
    @Autowired
    SsoConnectionRepository connections;

    private final WireMockServer wireMock = TestEnvironment.wireMock();
    private TcpProxy proxy;

    @BeforeEach
    void proxy() throws IOException {
        proxy = new TcpProxy("127.0.0.1", wireMock.httpsPort());
    }

    @AfterEach
    void closeProxy() throws IOException {
        proxy.close();
    }

    @Test
    void aChangedConnectionGetsANewClientAndTheOldOneIsClosed() {
        String firstToken = token();
        SsoFixture sso = oktaConnection(firstToken);
        String group = TestData.unique("Engineering");
        EmailAddress person = person(sso);
        oktaKnows(person, firstToken, group, 0);
        assertThat(okta.groupNames(current(sso), person)).containsExactly(group);
        assertThat(proxy.openConnections()).isEqualTo(1);

        String secondToken = token();
        changeToken(sso, secondToken);
        oktaKnows(person, secondToken, group, 0);
        // Only a client built with the new token gets an answer from this Okta now.
        assertThat(okta.groupNames(current(sso), person)).containsExactly(group);

        awaitUntil(() -> proxy.openConnections() == 1, "the first client's connection is closed");
        assertThat(proxy.acceptedConnections()).isEqualTo(2);
    }

    @Test
    void aLookupRunningOnTheOldClientFinishesWhenTheConnectionChanges() throws Exception {
        String firstToken = token();
        SsoFixture sso = oktaConnection(firstToken);
        String group = TestData.unique("Support");
        EmailAddress slow = person(sso);
        oktaKnows(slow, firstToken, group, 1_500);
        SsoConnection before = current(sso);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Set<String>> running = thread.submit(() -> okta.groupNames(before, slow));
            awaitUntil(() -> !wireMock.findAll(getRequestedFor(urlPathEqualTo(userPath(slow)))).isEmpty(),
                    "Okta has the slow lookup's request");

            String secondToken = token();
            changeToken(sso, secondToken);
            EmailAddress quick = person(sso);
            oktaKnows(quick, secondToken, group, 0);
            assertThat(okta.groupNames(current(sso), quick)).containsExactly(group);

            assertThat(running.get(10, TimeUnit.SECONDS)).containsExactly(group);
            awaitUntil(() -> proxy.openConnections() == 1, "the first client's connection is closed once it is done");
        }
        finally {
            thread.shutdownNow();
        }
    }

    @Test
    void aDeletedConnectionsClientIsClosed() {
        String token = token();
        SsoFixture sso = oktaConnection(token);
        EmailAddress person = person(sso);
        oktaKnows(person, token, TestData.unique("Data"), 0);
        okta.groupNames(current(sso), person);
        assertThat(proxy.openConnections()).isEqualTo(1);

        TestApi.Response deleted = api.delete(sso.org.admin().token(), sso.org.api("/sso-connections/" + sso.id()));
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        okta.closeClientsOfGoneConnections();

        awaitUntil(() -> proxy.openConnections() == 0, "the deleted connection's client is closed");
    }

    @Test
    void aDisabledConnectionsClientIsClosedAndAnEnabledOnesIsKept() {
        String token = token();
        SsoFixture sso = oktaConnection(token);
        EmailAddress person = person(sso);
        oktaKnows(person, token, TestData.unique("Data"), 0);
        okta.groupNames(current(sso), person);

        okta.closeClientsOfGoneConnections();
        okta.groupNames(current(sso), person);
        assertThat(proxy.acceptedConnections()).as("the client and its pooled connection were kept").isEqualTo(1);

        TestApi.Response disabled = api.patch(sso.org.admin().token(), sso.org.api("/sso-connections/" + sso.id()),
                Map.of("enabled", false));
        assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
        okta.closeClientsOfGoneConnections();

        awaitUntil(() -> proxy.openConnections() == 0, "the disabled connection's client is closed");
    }

    private SsoFixture oktaConnection(String apiToken) {
        return SsoFixture.create(api, data, domains, "okta", Map.of("okta", Map.of("orgUrl", orgUrl(),
                "apiToken", apiToken)));
    }

    private void changeToken(SsoFixture sso, String apiToken) {
        TestApi.Response changed = api.patch(sso.org.admin().token(), sso.org.api("/sso-connections/" + sso.id()),
                Map.of("okta", Map.of("orgUrl", orgUrl(), "apiToken", apiToken)));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    }

    private String orgUrl() {
        return "https://localhost:" + proxy.port();
    }

    private SsoConnection current(SsoFixture sso) {
        return connections.findById(UUID.fromString(sso.id())).orElseThrow();
    }

    private static String token() {
        return "okta-token-" + UUID.randomUUID();
    }

    private static EmailAddress person(SsoFixture sso) {
        return EmailAddress.parse(sso.email(TestData.unique("okta"))).orElseThrow();
    }

    private static String userPath(EmailAddress person) {
        return "/api/v1/users/" + person.value().replace("@", "%40");
    }

    /** Okta answers the person's look-up, after {@code delayMs}, to the API token, and lists their one group. */
    private void oktaKnows(EmailAddress person, String apiToken, String group, int delayMs) {
        String userId = "00u" + UUID.randomUUID().toString().replace("-", "").substring(0, 17);
        wireMock.stubFor(get(urlPathEqualTo(userPath(person)))
                .withHeader("Authorization", equalTo("SSWS " + apiToken))
                .willReturn(okJson("{\"id\":\"" + userId + "\",\"status\":\"ACTIVE\",\"profile\":{\"login\":\""
                        + person.value() + "\"}}").withFixedDelay(delayMs)));
        wireMock.stubFor(get(urlPathEqualTo("/api/v1/users/" + userId + "/groups"))
                .withHeader("Authorization", equalTo("SSWS " + apiToken))
                .willReturn(okJson("[{\"id\":\"00g1\",\"type\":\"OKTA_GROUP\",\"profile\":{\"name\":\"" + group
                        + "\"}}]")));
    }

    private static void awaitUntil(BooleanSupplier condition, String description) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting until " + description).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }
}
