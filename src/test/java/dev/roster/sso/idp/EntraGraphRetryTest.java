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
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
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
 * asks: after its {@code Retry-After}, or without one after back-offs drawn at random from the upper half of a second,
 * then of two, then of four, three retries at most, all within the lookup's deadline (here the usual 15 s). What a
 * shorter deadline cuts short: {@link EntraGraphDeadlineTest}; the back-offs' range: {@link RetryAfterTest}.
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
    void aGraphBusyForAMomentIsAskedAgainAfterABackOff(int status) {
        SsoConnection connection = bench.readyGraphConnection(graph);
        String group = UUID.randomUUID().toString();
        String person = fake.knowsAfter(error(status), connection, group);

        Instant started = Instant.now();
        assertThat(graph.memberGroupIds(connection, person)).containsExactly(group);

        assertThat(Duration.between(started, Instant.now())).isGreaterThanOrEqualTo(RetryWithinDeadline.backOff(1, 0));
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
     * Waits of half a second, one and two (each back-off the shortest it can be, half its step), then no fourth retry,
     * though the deadline would leave room for its two to four seconds. Each wait is the back-off drawn, shorter than
     * its bare step: were it the step (1, 2 and 4 s), every lookup that one outage failed would ask again in step.
     */
    @Test
    void aGraphThatStaysUnavailableIsAskedFourTimesInAllAfterTheBackOffsDrawn() {
        EntraGraph drawingShortest = bench.graph(EntraGraph.TIMEOUT, EntraGraph.DEADLINE,
                IdpApiBench.SHORTEST_BACK_OFFS);
        SsoConnection connection = bench.readyGraphConnection(drawingShortest);
        String person = UUID.randomUUID().toString();
        wireMock.stubFor(post(urlPathEqualTo(FakeGraph.memberObjects(person))).willReturn(error(503)));

        Throwable failed = catchThrowable(() -> drawingShortest.memberGroupIds(connection, person));

        assertThat(failed).isInstanceOfSatisfying(ApiException.class,
                ex -> assertThat(ex.getResponseStatusCode()).isEqualTo(503));
        List<Instant> asked = wireMock.findAll(postRequestedFor(urlPathEqualTo(FakeGraph.memberObjects(person))))
                .stream().map(LoggedRequest::getLoggedDate).map(Date::toInstant).sorted().toList();
        assertThat(asked).hasSize(4);
        for (int retry = 1; retry <= RetryWithinDeadline.MAX_RETRIES; retry++) {
            Duration step = RetryWithinDeadline.FIRST_BACK_OFF.multipliedBy(1L << (retry - 1));
            assertThat(Duration.between(asked.get(retry - 1), asked.get(retry))).as("the wait before retry " + retry)
                    .isGreaterThanOrEqualTo(step.dividedBy(2)).isLessThan(step);
        }
    }

    /** Graph's answer with {@code status}, and no {@code Retry-After}. */
    static ResponseDefinitionBuilder error(int status) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":\"" + status + "\",\"message\":\"try again later\"}}");
    }
}
