package dev.roster.sso.idp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.roster.sso.connection.SsoConnection;
import dev.roster.test.RosterIntegrationTest;

/**
 * A Graph that takes the connection and then does not answer fails the lookup at the client's timeout (here a second,
 * for an answer six seconds away), with the timeout as its cause, well before the lookup's deadline (the usual 15 s),
 * as an Okta org does ({@link OktaApiTimeoutTest}). The usual timeout, 10 s, is shorter than the deadline for the same
 * reason.
 */
@RosterIntegrationTest
class EntraGraphTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** The timeout, and room for a busy machine; the answer is six seconds away. */
    private static final Duration PROMPTLY = TIMEOUT.plusSeconds(3);

    @RegisterExtension
    final IdpApiBench bench = new IdpApiBench();

    private final FakeGraph fake = bench.graphApi();
    private EntraGraph graph;

    @BeforeEach
    void graph() {
        graph = bench.graph(TIMEOUT, EntraGraph.DEADLINE);
        bench.warmUpGraph();
    }

    @Test
    void aGraphThatNeverAnswersFailsTheLookupAtTheTimeout() {
        SsoConnection connection = bench.readyGraphConnection(graph);
        String person = fake.knows(connection, UUID.randomUUID().toString(), 6_000);

        Instant started = Instant.now();
        Throwable failed = catchThrowable(() -> graph.memberGroupIds(connection, person));

        assertThat(Duration.between(started, Instant.now())).isBetween(TIMEOUT, PROMPTLY);
        // A RuntimeException, as the sign-in catches to go on with the groups unknown; not the deadline's.
        assertThat(failed).isInstanceOf(RuntimeException.class).isNotInstanceOf(LookupDeadlineExceeded.class)
                .hasRootCauseInstanceOf(SocketTimeoutException.class);
    }
}
