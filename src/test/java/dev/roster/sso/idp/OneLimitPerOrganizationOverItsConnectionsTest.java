package dev.roster.sso.idp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.okta.sdk.resource.client.ApiException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.roster.shared.EmailAddress;
import dev.roster.sso.connection.AttributeMapping;
import dev.roster.sso.connection.ConnectionKind;
import dev.roster.sso.connection.ScimPolicy;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.SilentServer;
import dev.roster.test.TestEnvironment;

/**
 * The limit on the lookups one organization may have running ({@link LookupsPerOrganization}) as the Okta and Graph
 * clients take from it: one for the organization, whichever of its connections and APIs a lookup runs on, and given
 * back however a lookup ends. Here the limit is one, so that one lookup left holding its place shows. What a sign-in
 * does with a refused lookup, at the default limit: {@code OneOrganizationsSlowIdpApiHoldsFewSharedThreadsTest}.
 */
@RosterIntegrationTest
class OneLimitPerOrganizationOverItsConnectionsTest {

    /** Far under the clients' 10 s timeouts and the lookups' 15 s deadline: nothing was waited for. */
    private static final Duration PROMPTLY = Duration.ofSeconds(4);
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    /** The deadline, and room for a busy machine; the dripping Okta below would take ten seconds. */
    private static final Duration AT_THE_DEADLINE = DEADLINE.plusSeconds(3);

    @RegisterExtension
    final IdpApiBench bench = new IdpApiBench();

    private final FakeOkta fakeOkta = bench.oktaApi();
    private final WireMockServer wireMock = TestEnvironment.wireMock();
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final LookupsPerOrganization limits = new LookupsPerOrganization(1, meters, Clock.systemUTC());

    @Test
    void anOrganizationsConnectionsAndApisShareItsLimitAndOtherOrganizationsHaveTheirOwn() throws Exception {
        OktaGroupsClient okta = bench.okta(OktaGroupsClient.DEADLINE, limits);
        EntraGraph graph = bench.graph(limits);
        SsoConnection answering = bench.readyOktaConnection(okta, bench.directUrl());
        UUID organization = answering.organizationId();
        SsoConnection otherOrganizations = fakeOkta.connection(bench.directUrl());
        EmailAddress known = fakeOkta.known(answering);

        CompletableFuture<Set<String>> held;
        try (SilentServer silent = new SilentServer()) {
            SsoConnection slow = fakeOkta.connection(organization, "https://localhost:" + silent.port());
            held = CompletableFuture.supplyAsync(() -> okta.groupNames(slow, person()));
            awaitUntil(() -> silent.acceptedConnections() == 1, "the organization's lookup waits for its silent API");

            // Another Okta connection of the organization, whose Okta would answer at once: not asked.
            EmailAddress someone = person();
            fakeOkta.knows(answering, someone, "Engineering", 0);
            Instant started = Instant.now();
            Throwable refused = catchThrowable(() -> okta.groupNames(answering, someone));
            assertThat(Duration.between(started, Instant.now())).isLessThan(PROMPTLY);
            assertThat(refused).isInstanceOf(LookupRefused.class).hasMessageContaining("was not attempted");
            assertThat(fakeOkta.asked(someone)).isFalse();
            // Its Entra connection: Graph is not asked either (not even for a token).
            assertThat(catchThrowable(() -> graph.memberGroupIds(bench.graphApi().connectionOf(organization),
                    UUID.randomUUID().toString()))).isInstanceOf(LookupRefused.class);
            // Another organization's lookup runs.
            assertThat(okta.groupNames(otherOrganizations, known)).isEmpty();
            assertThat(refused("okta")).isEqualTo(1);
            assertThat(refused("graph")).isEqualTo(1);
            assertThat(held).isNotDone();
        }

        // The silent API went away: its lookup fails, and gives the organization its place back.
        awaitUntil(held::isDone, "the held lookup ends");
        assertThat(held).isCompletedExceptionally();
        assertThat(okta.groupNames(answering, known)).isEmpty();
        assertThat(limits.organizationsRunning()).isZero();
    }

    /**
     * A lookup gives its place back whether its client could not be built, its API answered an error, or its deadline
     * aborted it: with a limit of one, each lookup after the first would be refused if the one before had kept its
     * place.
     */
    @Test
    void aLookupGivesItsPlaceBackHoweverItFails() {
        OktaGroupsClient okta = bench.okta(DEADLINE, limits);
        SsoConnection connection = bench.readyOktaConnection(okta, bench.directUrl());

        // Its API token cannot be decrypted (the key changed, say): the client is not built.
        SsoConnection undecryptable = new SsoConnection(UUID.randomUUID(), connection.organizationId(),
                ConnectionKind.OKTA, "Okta", true, "http://www.okta.com/limit", null, null, null, null, null, null,
                null, false, false, ScimPolicy.LOGIN_ONLY, AttributeMapping.defaults(ConnectionKind.OKTA), null, null,
                null, bench.directUrl(), "not-a-ciphertext", Instant.now(), Instant.now());
        assertThat(catchThrowable(() -> okta.groupNames(undecryptable, person())))
                .isNotNull().isNotInstanceOf(LookupRefused.class);

        // Okta answers an error.
        EmailAddress failing = person();
        wireMock.stubFor(get(urlPathEqualTo(userPath(failing))).willReturn(aResponse().withStatus(500)));
        assertThat(catchThrowable(() -> okta.groupNames(connection, failing))).isInstanceOf(ApiException.class);
        assertThat(wireMock.findAll(getRequestedFor(urlPathEqualTo(userPath(failing))))).hasSize(1);

        // Okta drips its answer past the deadline, twice: the second is still attempted.
        for (int attempt = 1; attempt <= 2; attempt++) {
            EmailAddress dripped = person();
            wireMock.stubFor(get(urlPathEqualTo(userPath(dripped))).willReturn(okJson(user(userId(), dripped)
                    + " ".repeat(200)).withChunkedDribbleDelay(25, 10_000)));
            Instant started = Instant.now();
            assertThat(catchThrowable(() -> okta.groupNames(connection, dripped)))
                    .isInstanceOf(LookupDeadlineExceeded.class);
            assertThat(Duration.between(started, Instant.now())).isLessThan(AT_THE_DEADLINE);
            assertThat(wireMock.findAll(getRequestedFor(urlPathEqualTo(userPath(dripped))))).hasSize(1);
        }

        assertThat(okta.groupNames(connection, fakeOkta.known(connection))).isEmpty();
        assertThat(refused("okta")).isZero();
        assertThat(limits.organizationsRunning()).isZero();
    }

    private double refused(String api) {
        return meters.get(LookupsPerOrganization.REFUSED).tag("api", api).counter().count();
    }
}
