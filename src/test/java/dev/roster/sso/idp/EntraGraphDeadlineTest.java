package dev.roster.sso.idp;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.roster.sso.idp.IdpApiBench.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.microsoft.kiota.ApiException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.roster.sso.connection.SsoConnection;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TcpProxy;
import dev.roster.test.TestEnvironment;

/**
 * A Graph lookup ends at its deadline (here two seconds), however the time goes: pages that each come within the read
 * timeout but add up, an answer dripped a few bytes at a time, a throttled answer's {@code Retry-After}, the back-off
 * before asking an unavailable Graph again, a token endpoint slow to answer. Each of these would hold the lookup ten
 * seconds or more. Graph is WireMock behind a {@link TcpProxy}, which shows whether an aborted request's connection is
 * let go.
 */
@RosterIntegrationTest
class EntraGraphDeadlineTest {

    private static final Duration DEADLINE = Duration.ofSeconds(2);
    /** The deadline, and room for a busy machine. */
    private static final Duration AT_THE_DEADLINE = DEADLINE.plusSeconds(3);

    @RegisterExtension
    final IdpApiBench bench = new IdpApiBench();

    private final FakeGraph fake = bench.graphApi();
    private final WireMockServer wireMock = TestEnvironment.wireMock();
    private EntraGraph graph;

    @BeforeEach
    void graph() {
        // The longest back-offs, just under 1 s and 2 s: the second is then sure not to fit (the shortest would).
        graph = bench.graph(EntraGraph.TIMEOUT, DEADLINE, IdpApiBench.LONGEST_BACK_OFFS);
        bench.warmUpGraph();
    }

    /** Twenty pages, each within the read timeout (600 ms), twelve seconds in all. */
    @Test
    void aGraphThatAnswersEveryPageSlowlyFailsTheLookupAtItsDeadline() {
        SsoConnection connection = bench.readyGraphConnection(graph);
        String person = UUID.randomUUID().toString();
        String path = FakeGraph.memberObjects(person);
        for (int page = 0; page < 20; page++) {
            String next = page == 19 ? "" : ",\"@odata.nextLink\":\"" + bench.graphBase()
                    + path.substring("/graph/v1.0".length()) + "?$skiptoken=p" + (page + 1) + "\"";
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
        SsoConnection connection = bench.readyGraphConnection(graph);
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
        awaitUntil(() -> bench.proxy().openConnections() == 1,
                "only the connection of the lookup that followed is open");
    }

    /** Kiota would sleep out the thirty seconds Graph asks for, then retry, three times over. */
    @Test
    void aThrottledAnswerIsNotWaitedOutPastTheDeadline() {
        SsoConnection connection = bench.readyGraphConnection(graph);
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

    /**
     * Graph answers 503 to every request: asked again after (nearly) a second, then not after (nearly) two more, which
     * would end past the deadline. The lookup fails with Graph's answer, before the deadline, rather than waiting into
     * it.
     */
    @Test
    void anUnavailableGraphIsNotWaitedForPastTheDeadline() {
        SsoConnection connection = bench.readyGraphConnection(graph);
        String person = UUID.randomUUID().toString();
        wireMock.stubFor(post(urlPathEqualTo(FakeGraph.memberObjects(person)))
                .willReturn(EntraGraphRetryTest.error(503)));

        Instant started = Instant.now();
        Throwable failed = catchThrowable(() -> graph.memberGroupIds(connection, person));

        assertThat(Duration.between(started, Instant.now())).isLessThan(DEADLINE);
        assertThat(failed).isInstanceOfSatisfying(ApiException.class,
                ex -> assertThat(ex.getResponseStatusCode()).isEqualTo(503));
        wireMock.verify(2, postRequestedFor(urlPathEqualTo(FakeGraph.memberObjects(person))));
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
}
