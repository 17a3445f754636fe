package dev.roster.sso.idp;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.microsoft.kiota.ApiException;

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
 * A Graph lookup ends at its deadline (here two seconds), however the time goes: pages that each come within the read
 * timeout but add up, an answer dripped a few bytes at a time, a throttled answer's {@code Retry-After}, a token
 * endpoint slow to answer. Each of these would hold the lookup ten seconds or more. Graph is WireMock behind a
 * {@link TcpProxy}, which shows whether an aborted request's connection is let go.
 */
@RosterIntegrationTest
class EntraGraphDeadlineTest {

    private static final Duration DEADLINE = Duration.ofSeconds(2);
    /** The deadline, and room for a busy machine. */
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
    private FakeGraph fake;
    private TcpProxy proxy;
    private EntraGraph graph;

    @BeforeEach
    void graph() throws IOException {
        fake = new FakeGraph(wireMock, cipher);
        proxy = new TcpProxy("127.0.0.1", wireMock.httpsPort());
        graph = new EntraGraph(cipher, FakeGraph.graphAt(properties, graphBase()), tls, connections, DEADLINE);
        warmUp();
    }

    @AfterEach
    void close() throws IOException {
        graph.destroy();
        proxy.close();
    }

    /** Twenty pages, each within the read timeout (600 ms), twelve seconds in all. */
    @Test
    void aGraphThatAnswersEveryPageSlowlyFailsTheLookupAtItsDeadline() {
        SsoConnection connection = readyConnection();
        String person = UUID.randomUUID().toString();
        String path = FakeGraph.memberObjects(person);
        for (int page = 0; page < 20; page++) {
            String next = page == 19 ? "" : ",\"@odata.nextLink\":\"" + graphBase() + path.substring("/graph/v1.0".length())
                    + "?$skiptoken=p" + (page + 1) + "\"";
            wireMock.stubFor(post(urlPathEqualTo(path))
                    .withQueryParam("$skiptoken", page == 0 ? absent() : equalTo("p" + page))
                    .willReturn(okJson("{\"value\":[\"" + UUID.randomUUID() + "\"]" + next + "}").withFixedDelay(600)));
        }

        Instant started = Instant.now();
        Throwable failed = catchThrowable(() -> graph.memberGroupIds(connection, person));

        assertThat(Duration.between(started, Instant.now())).isLessThan(AT_THE_DEADLINE);
        assertThat(failed).isInstanceOf(LookupDeadlineExceeded.class)
                .hasMessage("Microsoft Graph lookup did not finish within 2 s");
        assertThat(wireMock.findAll(postRequestedFor(urlPathEqualTo(path))).size()).isLessThan(20);
    }

    /**
     * The first page comes a few bytes at a time for ten seconds: the deadline cancels the call, ending the read the
     * lookup's thread was blocked in, and the request holds on to no connection (over HTTP/1.1 its connection is
     * closed; over HTTP/2 only its stream is reset, and the connection carries the next lookup).
     */
    @Test
    void aGraphThatDripsItsAnswerIsCutOffAtTheDeadline() {
        SsoConnection connection = readyConnection();
        String person = UUID.randomUUID().toString();
        wireMock.stubFor(post(urlPathEqualTo(FakeGraph.memberObjects(person)))
                .willReturn(okJson("{\"value\":[\"" + UUID.randomUUID() + "\"]}" + " ".repeat(200))
                        .withChunkedDribbleDelay(25, 10_000)));

        Instant started = Instant.now();
        Throwable failed = catchThrowable(() -> graph.memberGroupIds(connection, person));

        assertThat(Duration.between(started, Instant.now())).isLessThan(AT_THE_DEADLINE);
        assertThat(failed).isInstanceOf(LookupDeadlineExceeded.class);
        String group = UUID.randomUUID().toString();
        assertThat(graph.memberGroupIds(connection, fake.knows(connection, group, 0))).containsExactly(group);
        awaitUntil(() -> proxy.openConnections() == 1, "only the connection of the lookup that followed is open");
    }

    /** Kiota would sleep out the thirty seconds Graph asks for, then retry, three times over. */
    @Test
    void aThrottledAnswerIsNotWaitedOutPastTheDeadline() {
        SsoConnection connection = readyConnection();
        String person = UUID.randomUUID().toString();
        wireMock.stubFor(post(urlPathEqualTo(FakeGraph.memberObjects(person))).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "30").withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Too many requests\"}}")));

        Instant started = Instant.now();
        Throwable failed = catchThrowable(() -> graph.memberGroupIds(connection, person));

        assertThat(Duration.between(started, Instant.now())).isLessThan(AT_THE_DEADLINE);
        assertThat(failed).isInstanceOfSatisfying(ApiException.class,
                ex -> assertThat(ex.getResponseStatusCode()).isEqualTo(429));
        wireMock.verify(1, postRequestedFor(urlPathEqualTo(FakeGraph.memberObjects(person))));
    }

    /** The token endpoint answers after ten seconds: the lookup stops waiting for it at the deadline. */
    @Test
    void aTokenEndpointSlowToAnswerFailsTheLookupAtItsDeadline() {
        SsoConnection connection = fake.connection(10_000);
        String person = fake.knows(connection, UUID.randomUUID().toString(), 0);

        Instant started = Instant.now();
        Throwable failed = catchThrowable(() -> graph.memberGroupIds(connection, person));

        assertThat(Duration.between(started, Instant.now())).isLessThan(AT_THE_DEADLINE);
        assertThat(failed).isInstanceOf(LookupDeadlineExceeded.class);
    }

    private String graphBase() {
        return "https://localhost:" + proxy.port() + "/graph/v1.0";
    }

    /**
     * Loads the Graph SDK, Kiota and MSAL (their first use takes longer than the short deadline here), with a client of
     * the usual deadline, on a connection of its own.
     */
    private void warmUp() {
        EntraGraph patient = new EntraGraph(cipher, properties, tls, connections);
        try {
            SsoConnection connection = fake.connection(0);
            String group = UUID.randomUUID().toString();
            assertThat(patient.memberGroupIds(connection, fake.knows(connection, group, 0))).containsExactly(group);
        }
        finally {
            patient.destroy();
        }
    }

    /** A connection whose token the client has, and whose Graph it is connected to, so only Graph's answers count. */
    private SsoConnection readyConnection() {
        SsoConnection connection = fake.connection(0);
        String group = UUID.randomUUID().toString();
        assertThat(graph.memberGroupIds(connection, fake.knows(connection, group, 0))).containsExactly(group);
        return connection;
    }

    private static void awaitUntil(BooleanSupplier condition, String description) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting until " + description).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }
}
