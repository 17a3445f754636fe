package dev.roster.sso.idp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.roster.sso.idp.FakeOkta.person;
import static dev.roster.sso.idp.FakeOkta.user;
import static dev.roster.sso.idp.FakeOkta.userId;
import static dev.roster.sso.idp.FakeOkta.userPath;
import static dev.roster.sso.idp.IdpApiBench.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.okta.sdk.resource.client.ApiException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.roster.shared.EmailAddress;
import dev.roster.sso.connection.SsoConnection;
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

    @RegisterExtension
    final IdpApiBench bench = new IdpApiBench();

    private final WireMockServer wireMock = TestEnvironment.wireMock();
    private OktaGroupsClient okta;

    @BeforeEach
    void client() {
        okta = bench.okta(TIMEOUT, OktaGroupsClient.DEADLINE);
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
        OktaGroupsClient deadlined = bench.okta(OktaGroupsClient.TIMEOUT, DEADLINE);
        EmailAddress person = person();
        String userId = userId();
        wireMock.stubFor(get(urlPathEqualTo(userPath(person))).willReturn(okJson(user(userId, person))));
        String groups = "/api/v1/users/" + userId + "/groups";
        for (int page = 0; page < 20; page++) {
            ResponseDefinitionBuilder answer = okJson("[{\"id\":\"00g" + page + "\",\"type\":\"OKTA_GROUP\","
                    + "\"profile\":{\"name\":\"Group " + page + "\"}}]").withFixedDelay(600);
            if (page < 19) {
                answer.withHeader("Link", "<" + bench.directUrl() + groups + "?after=g" + (page + 1)
                        + ">; rel=\"next\"");
            }
            wireMock.stubFor(get(urlPathEqualTo(groups))
                    .withQueryParam("after", page == 0 ? absent() : equalTo("g" + page)).willReturn(answer));
        }
        SsoConnection connection = bench.readyOktaConnection(deadlined, bench.directUrl());

        Instant started = Instant.now();
        Throwable failed = catchThrowable(() -> deadlined.groupNames(connection, person));

        assertThat(Duration.between(started, Instant.now())).isLessThan(AT_THE_DEADLINE);
        assertThat(failed).isInstanceOf(LookupDeadlineExceeded.class)
                .hasMessage("Okta API lookup did not finish within 2 s");
        assertThat(wireMock.findAll(getRequestedFor(urlPathEqualTo(groups))).size()).isLessThan(20);
    }

    /**
     * The person's record comes a few bytes at a time, each well within the timeout, for ten seconds: the deadline
     * aborts the read (the lookup's thread was blocked in it) and closes the connection, rather than leave it to the
     * server; the client's next lookup gets a connection as usual.
     */
    @Test
    void anOktaThatDripsItsAnswerIsCutOffAtTheDeadlineAndTheConnectionClosed() {
        OktaGroupsClient deadlined = bench.okta(OktaGroupsClient.TIMEOUT, DEADLINE);
        TcpProxy proxy = bench.proxy();
        EmailAddress person = person();
        String userId = userId();
        wireMock.stubFor(get(urlPathEqualTo(userPath(person))).willReturn(okJson(user(userId, person)
                + " ".repeat(200)).withChunkedDribbleDelay(25, 10_000)));
        wireMock.stubFor(get(urlPathEqualTo("/api/v1/users/" + userId + "/groups")).willReturn(okJson("[]")));
        SsoConnection connection = bench.readyOktaConnection(deadlined, bench.proxiedUrl());
        awaitUntil(() -> proxy.openConnections() == 1, "only the client's pooled connection is open");

        Instant started = Instant.now();
        Throwable failed = catchThrowable(() -> deadlined.groupNames(connection, person));

        assertThat(Duration.between(started, Instant.now())).isLessThan(AT_THE_DEADLINE);
        assertThat(failed).isInstanceOf(LookupDeadlineExceeded.class);
        awaitUntil(() -> proxy.openConnections() == 0, "the aborted request's connection is closed");
        assertThat(deadlined.groupNames(connection, bench.oktaApi().known(connection))).isEmpty();
    }

    /** A connection whose client (the one with the short timeout) is built and connected. */
    private SsoConnection readyConnection() {
        return bench.readyOktaConnection(okta, bench.directUrl());
    }
}
