package dev.roster.sso.idp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.okta.sdk.resource.client.ApiException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.shared.EmailAddress;
import dev.roster.shared.OutboundAddresses;
import dev.roster.shared.SecretCipher;
import dev.roster.sso.SsoProperties;
import dev.roster.sso.connection.AttributeMapping;
import dev.roster.sso.connection.ConnectionKind;
import dev.roster.sso.connection.ScimPolicy;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.connection.SsoConnectionRepository;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TcpProxy;
import dev.roster.test.TestEnvironment;

/**
 * An Okta org that takes the connection and then does not answer, or answers "try again in a while", fails the
 * lookup within the client's timeout instead of holding the sign-in that asked (here a timeout of a second, for an
 * answer six seconds or more away). One that answers every request within the timeout, but slowly, fails it at the
 * lookup's deadline (here two seconds, for answers that would take ten). What a sign-in does with the failure:
 * {@code IdpGroupLookupTest}.
 */
@RosterIntegrationTest
class OktaApiTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration PROMPTLY = Duration.ofSeconds(4);
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    /** The deadline, and room for a busy machine; every slow Okta below would take ten seconds or more. */
    private static final Duration AT_THE_DEADLINE = DEADLINE.plusSeconds(3);

    @Autowired
    SecretCipher cipher;

    @Autowired
    OutboundTls tls;

    @Autowired
    SsoProperties properties;

    @Autowired
    SsoConnectionRepository connections;

    private final WireMockServer wireMock = TestEnvironment.wireMock();
    /** Per connection, someone Okta answers for at once. */
    private final Map<UUID, EmailAddress> knownPeople = new HashMap<>();

    private OktaGroupsClient okta;

    @BeforeEach
    void client() {
        okta = new OktaGroupsClient(cipher, tls, new OutboundAddresses(List.of("localhost")), properties, connections,
                TIMEOUT, OktaGroupsClient.DEADLINE);
    }

    @AfterEach
    void closeClients() {
        okta.destroy();
    }

    @Test
    void anOktaThatNeverAnswersFailsTheLookupWithinTheTimeout() {
        EmailAddress person = person();
        wireMock.stubFor(get(urlPathEqualTo(userPath(person))).willReturn(okJson(user(userId(), person))
                .withFixedDelay(6_000)));
        SsoConnection connection = readyConnection();

        Instant started = Instant.now();
        Throwable failed = catchThrowable(() -> okta.groupNames(connection, person));

        assertThat(Duration.between(started, Instant.now())).isLessThan(PROMPTLY);
        // An ApiException is a RuntimeException: what the sign-in catches, to go on with the groups unknown.
        assertThat(failed).isInstanceOf(ApiException.class).hasRootCauseInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void aRetryAfterFromOktaIsNotWaitedFor() {
        EmailAddress person = person();
        wireMock.stubFor(get(urlPathEqualTo(userPath(person))).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "30").withHeader("Content-Type", "application/json")
                .withBody("{\"errorCode\":\"E0000047\",\"errorSummary\":\"API call exceeded rate limit\"}")));
        SsoConnection connection = readyConnection();

        Instant started = Instant.now();
        Throwable failed = catchThrowable(() -> okta.groupNames(connection, person));

        assertThat(Duration.between(started, Instant.now())).isLessThan(PROMPTLY);
        assertThat(failed).isInstanceOfSatisfying(ApiException.class, ex -> assertThat(ex.getCode()).isEqualTo(429));
    }

    /**
     * Each page of the person's groups comes within the timeout (600 ms), but twenty of them take twelve seconds:
     * only a deadline on the whole lookup ends it sooner.
     */
    @Test
    void anOktaThatAnswersEveryPageSlowlyFailsTheLookupAtItsDeadline() {
        OktaGroupsClient deadlined = deadlined();
        try {
            EmailAddress person = person();
            String userId = userId();
            wireMock.stubFor(get(urlPathEqualTo(userPath(person))).willReturn(okJson(user(userId, person))));
            String groups = "/api/v1/users/" + userId + "/groups";
            String base = "https://localhost:" + wireMock.httpsPort();
            for (int page = 0; page < 20; page++) {
                ResponseDefinitionBuilder answer = okJson("[{\"id\":\"00g" + page + "\",\"type\":\"OKTA_GROUP\","
                        + "\"profile\":{\"name\":\"Group " + page + "\"}}]").withFixedDelay(600);
                if (page < 19) {
                    answer.withHeader("Link", "<" + base + groups + "?after=g" + (page + 1) + ">; rel=\"next\"");
                }
                wireMock.stubFor(get(urlPathEqualTo(groups))
                        .withQueryParam("after", page == 0 ? absent() : equalTo("g" + page)).willReturn(answer));
            }
            SsoConnection connection = readyConnection(deadlined);

            Instant started = Instant.now();
            Throwable failed = catchThrowable(() -> deadlined.groupNames(connection, person));

            assertThat(Duration.between(started, Instant.now())).isLessThan(AT_THE_DEADLINE);
            assertThat(failed).isInstanceOf(LookupDeadlineExceeded.class)
                    .hasMessage("Okta API lookup did not finish within 2 s");
            assertThat(wireMock.findAll(getRequestedFor(urlPathEqualTo(groups))).size()).isLessThan(20);
        }
        finally {
            deadlined.destroy();
        }
    }

    /**
     * The person's record comes a few bytes at a time, each well within the timeout, for ten seconds: the deadline
     * aborts the read (the lookup's thread was blocked in it) and closes the connection, rather than leave it to the
     * server; the client's next lookup gets a connection as usual.
     */
    @Test
    void anOktaThatDripsItsAnswerIsCutOffAtTheDeadlineAndTheConnectionClosed() throws IOException {
        OktaGroupsClient deadlined = deadlined();
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", wireMock.httpsPort())) {
            EmailAddress person = person();
            String userId = userId();
            wireMock.stubFor(get(urlPathEqualTo(userPath(person))).willReturn(okJson(user(userId, person)
                    + " ".repeat(200)).withChunkedDribbleDelay(25, 10_000)));
            wireMock.stubFor(get(urlPathEqualTo("/api/v1/users/" + userId + "/groups")).willReturn(okJson("[]")));
            SsoConnection connection = readyConnection(deadlined, "https://localhost:" + proxy.port());
            awaitUntil(() -> proxy.openConnections() == 1, "only the client's pooled connection is open");

            Instant started = Instant.now();
            Throwable failed = catchThrowable(() -> deadlined.groupNames(connection, person));

            assertThat(Duration.between(started, Instant.now())).isLessThan(AT_THE_DEADLINE);
            assertThat(failed).isInstanceOf(LookupDeadlineExceeded.class);
            awaitUntil(() -> proxy.openConnections() == 0, "the aborted request's connection is closed");
            assertThat(deadlined.groupNames(connection, known(connection))).isEmpty();
        }
        finally {
            deadlined.destroy();
        }
    }

    private OktaGroupsClient deadlined() {
        return new OktaGroupsClient(cipher, tls, new OutboundAddresses(List.of("localhost")), properties, connections,
                OktaGroupsClient.TIMEOUT, DEADLINE);
    }

    private static EmailAddress person() {
        return EmailAddress.parse("person-" + UUID.randomUUID() + "@example.com").orElseThrow();
    }

    private static String userPath(EmailAddress person) {
        return "/api/v1/users/" + person.value().replace("@", "%40");
    }

    private static String userId() {
        return "00u" + UUID.randomUUID().toString().replace("-", "").substring(0, 17);
    }

    private static String user(String id, EmailAddress person) {
        return "{\"id\":\"" + id + "\",\"status\":\"ACTIVE\",\"profile\":{\"login\":\"" + person.value() + "\"}}";
    }

    /**
     * A connection whose client is built and connected (a lookup Okta answers at once), so the time measured is the
     * wait for Okta alone. A client with the usual timeout asks first: the first TLS handshake with a WireMock just
     * started, and the SDK's first start, may take longer than the short timeout here.
     */
    private SsoConnection readyConnection() {
        return readyConnection(okta);
    }

    private SsoConnection readyConnection(OktaGroupsClient client) {
        return readyConnection(client, "https://localhost:" + wireMock.httpsPort());
    }

    private SsoConnection readyConnection(OktaGroupsClient client, String orgUrl) {
        SsoConnection connection = connection(orgUrl);
        EmailAddress known = known(connection);
        OktaGroupsClient patient = new OktaGroupsClient(cipher, tls, new OutboundAddresses(List.of("localhost")),
                properties, connections, OktaGroupsClient.TIMEOUT, OktaGroupsClient.DEADLINE);
        try {
            patient.groupNames(connection, known);
        }
        finally {
            patient.destroy();
        }
        assertThat(client.groupNames(connection, known)).isEmpty();
        return connection;
    }

    /** Someone Okta answers for at once, in no group (stubbed on the connection's first use). */
    private EmailAddress known(SsoConnection connection) {
        return knownPeople.computeIfAbsent(connection.id(), id -> {
            EmailAddress known = person();
            String userId = userId();
            wireMock.stubFor(get(urlPathEqualTo(userPath(known))).willReturn(okJson(user(userId, known))));
            wireMock.stubFor(get(urlPathEqualTo("/api/v1/users/" + userId + "/groups")).willReturn(okJson("[]")));
            return known;
        });
    }

    private static void awaitUntil(BooleanSupplier condition, String description) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting until " + description).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    private SsoConnection connection(String orgUrl) {
        Instant now = Instant.now();
        return new SsoConnection(UUID.randomUUID(), UUID.randomUUID(), ConnectionKind.OKTA, "Okta", true,
                "http://www.okta.com/slow", null, null, null, null, null, null, null, false, false,
                ScimPolicy.LOGIN_ONLY, AttributeMapping.defaults(ConnectionKind.OKTA), null, null, null,
                orgUrl, cipher.encrypt("okta-token-" + UUID.randomUUID()), now, now);
    }
}
