package dev.roster.sso.idp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.microsoft.kiota.ApiException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.roster.sso.connection.SsoConnection;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestEnvironment;

/**
 * Graph answering that it throttles the app (429) or is unavailable for now (503, 504) is asked again, as Microsoft
 * asks: after its {@code Retry-After}, or after a second, then two, then four without one, three retries at most, all
 * within the lookup's deadline (here the usual 15 s). What a shorter deadline cuts short:
 * {@link EntraGraphDeadlineTest}.
 */
@RosterIntegrationTest
class EntraGraphRetryTest {

    @RegisterExtension
    final IdpApiBench bench = new IdpApiBench();

    private final FakeGraph fake = bench.graphApi();
    private final WireMockServer wireMock = TestEnvironment.wireMock();
    private EntraGraph graph;

    @BeforeEach
    void graph() {
        graph = bench.graph();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {429, 503, 504})
    void aGraphBusyForAMomentIsAskedAgainAfterASecond(int status) {
        SsoConnection connection = bench.readyGraphConnection(graph);
        String group = UUID.randomUUID().toString();
        String person = fake.knowsAfter(error(status), connection, group);

        Instant started = Instant.now();
        assertThat(graph.memberGroupIds(connection, person)).containsExactly(group);

        assertThat(Duration.between(started, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        // The same request again, body included, marked as the first retry.
        String body = "{\"securityEnabledOnly\":false}";
        wireMock.verify(1, postRequestedFor(urlPathEqualTo(FakeGraph.memberObjects(person)))
                .withHeader("Retry-Attempt", absent()).withRequestBody(equalToJson(body)));
        wireMock.verify(1, postRequestedFor(urlPathEqualTo(FakeGraph.memberObjects(person)))
                .withHeader("Retry-Attempt", equalTo("1")).withRequestBody(equalToJson(body)));
    }

    @Test
    void aThrottledAnswerIsWaitedOutWhenItsRetryAfterEndsBeforeTheDeadline() {
        SsoConnection connection = bench.readyGraphConnection(graph);
        String group = UUID.randomUUID().toString();
        String person = fake.knowsAfter(error(429).withHeader("Retry-After", "2"), connection, group);

        Instant started = Instant.now();
        assertThat(graph.memberGroupIds(connection, person)).containsExactly(group);

        assertThat(Duration.between(started, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    /**
     * Waits of one, two and four seconds, then no fourth retry, even at a deadline (here 30 s) that would leave room
     * for its eight seconds.
     */
    @Test
    void aGraphThatStaysUnavailableIsAskedFourTimesInAll() {
        EntraGraph patient = bench.graph(EntraGraph.TIMEOUT, Duration.ofSeconds(30));
        SsoConnection connection = bench.readyGraphConnection(patient);
        String person = UUID.randomUUID().toString();
        wireMock.stubFor(post(urlPathEqualTo(FakeGraph.memberObjects(person))).willReturn(error(503)));

        Instant started = Instant.now();
        Throwable failed = catchThrowable(() -> patient.memberGroupIds(connection, person));

        assertThat(Duration.between(started, Instant.now())).isBetween(Duration.ofSeconds(7), Duration.ofSeconds(15));
        assertThat(failed).isInstanceOfSatisfying(ApiException.class,
                ex -> assertThat(ex.getResponseStatusCode()).isEqualTo(503));
        wireMock.verify(4, postRequestedFor(urlPathEqualTo(FakeGraph.memberObjects(person))));
    }

    /** Graph's answer with {@code status}, and no {@code Retry-After}. */
    static ResponseDefinitionBuilder error(int status) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":\"" + status + "\",\"message\":\"try again later\"}}");
    }
}
