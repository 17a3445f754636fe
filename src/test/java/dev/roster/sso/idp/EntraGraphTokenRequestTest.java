package dev.roster.sso.idp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static dev.roster.sso.idp.IdpApiBench.holdsThroughout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.roster.sso.connection.SsoConnection;
import dev.roster.test.RosterIntegrationTest;

/**
 * A Graph client's token request is tried once (MSAL itself tries once more after a 5xx), the lookup fails before its
 * deadline, and nothing asks the token endpoint again behind the lookup's back. azure-core's retry policy, in the
 * credential's pipeline, tried a failed token request four times, on MSAL's thread, where the lookup that gave up at
 * its deadline left them running: against a stalled token endpoint about 10 s of tries at this test's timeout (1 s),
 * 45 s at the usual 10 s, three times the usual deadline.
 */
@RosterIntegrationTest
class EntraGraphTokenRequestTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Longer than one try at the timeout, shorter than azure-core's four tries at it. */
    private static final Duration DEADLINE = Duration.ofSeconds(3);
    /** Longer than azure-core's next try took to follow a failed one (0.8 s, then 1.6 s, then 3.2 s). */
    private static final Duration NOTHING_MORE_FOR = Duration.ofSeconds(4);

    @RegisterExtension
    final IdpApiBench bench = new IdpApiBench();

    private final FakeGraph fake = bench.graphApi();
    private EntraGraph graph;

    @BeforeEach
    void graph() {
        graph = bench.graph(TIMEOUT, DEADLINE);
        bench.warmUpGraph();
    }

    /** The token is six seconds away: its request fails at the timeout, the lookup with it, before the deadline. */
    @Test
    void aTokenEndpointThatDoesNotAnswerIsAskedOnce() {
        SsoConnection connection = fake.connection(6_000);

        Instant started = Instant.now();
        Throwable failed = catchThrowable(() -> graph.memberGroupIds(connection, UUID.randomUUID().toString()));

        assertThat(Duration.between(started, Instant.now())).isBetween(TIMEOUT, DEADLINE);
        assertThat(failed).isInstanceOf(RuntimeException.class).isNotInstanceOf(LookupDeadlineExceeded.class);
        int asked = fake.tokenRequests(connection);
        assertThat(asked).isEqualTo(1);
        holdsThroughout(NOTHING_MORE_FOR, () -> fake.tokenRequests(connection) == asked,
                "the token endpoint is asked no more once the lookup has ended");
    }

    /** Failing at once: MSAL asks again a second later, and that is all (azure-core's policy asked each four times). */
    @Test
    void aTokenEndpointThatFailsIsAskedTwiceAtMost() {
        SsoConnection connection = fake.connectionWhoseTokenEndpointAnswers(aResponse().withStatus(503));

        Throwable failed = catchThrowable(() -> graph.memberGroupIds(connection, UUID.randomUUID().toString()));

        assertThat(failed).isInstanceOf(RuntimeException.class).isNotInstanceOf(LookupDeadlineExceeded.class);
        int asked = fake.tokenRequests(connection);
        assertThat(asked).isEqualTo(2);
        holdsThroughout(NOTHING_MORE_FOR, () -> fake.tokenRequests(connection) == asked,
                "the token endpoint is asked no more once the lookup has ended");
    }
}
