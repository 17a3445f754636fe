package dev.roster.sso.idp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.okta.sdk.resource.client.ApiException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.AfterEach;
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

    @Autowired
    SecretCipher cipher;
    @Autowired
    OutboundTls tls;
    @Autowired
    SsoProperties properties;
    @Autowired
    SsoConnectionRepository connections;

    private final WireMockServer wireMock = TestEnvironment.wireMock();
    private final String wireMockUrl = "https://localhost:" + wireMock.httpsPort();
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final LookupsPerOrganization limits = new LookupsPerOrganization(1, meters, Clock.systemUTC());
    private OktaGroupsClient okta;
    private EntraGraph graph;

    @AfterEach
    void closeClients() {
        if (okta != null) {
            okta.destroy();
        }
        if (graph != null) {
            graph.destroy();
        }
    }

    @Test
    void anOrganizationsConnectionsAndApisShareItsLimitAndOtherOrganizationsHaveTheirOwn() throws Exception {
        okta = new OktaGroupsClient(cipher, tls, new OutboundAddresses(List.of("localhost")), properties, connections,
                OktaGroupsClient.TIMEOUT, OktaGroupsClient.DEADLINE, limits);
        graph = new EntraGraph(cipher, properties, tls, connections, EntraGraph.TIMEOUT, EntraGraph.DEADLINE, limits);
        UUID organization = UUID.randomUUID();
        SsoConnection answering = okta(organization, wireMockUrl);
        SsoConnection otherOrganizations = okta(UUID.randomUUID(), wireMockUrl);
        EmailAddress known = known();
        warmUp(answering, known);

        CompletableFuture<Set<String>> held;
        try (SilentServer silent = new SilentServer()) {
            SsoConnection slow = okta(organization, "https://localhost:" + silent.port());
            held = CompletableFuture.supplyAsync(() -> okta.groupNames(slow, person()));
            awaitUntil(() -> silent.acceptedConnections() == 1, "the organization's lookup waits for its silent API");

            // Another Okta connection of the organization, whose Okta would answer at once: not asked.
            EmailAddress someone = known();
            Instant started = Instant.now();
            Throwable refused = catchThrowable(() -> okta.groupNames(answering, someone));
            assertThat(Duration.between(started, Instant.now())).isLessThan(PROMPTLY);
            assertThat(refused).isInstanceOf(LookupRefused.class).hasMessageContaining("was not attempted");
            assertThat(wireMock.findAll(getRequestedFor(urlPathEqualTo(userPath(someone))))).isEmpty();
            // Its Entra connection: Graph is not asked either (not even for a token).
            assertThat(catchThrowable(() -> graph.memberGroupIds(entra(organization), UUID.randomUUID().toString())))
                    .isInstanceOf(LookupRefused.class);
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
        okta = new OktaGroupsClient(cipher, tls, new OutboundAddresses(List.of("localhost")), properties, connections,
                OktaGroupsClient.TIMEOUT, DEADLINE, limits);
        UUID organization = UUID.randomUUID();
        SsoConnection connection = okta(organization, wireMockUrl);
        warmUp(connection, known());

        // Its API token cannot be decrypted (the key changed, say): the client is not built.
        SsoConnection undecryptable = new SsoConnection(UUID.randomUUID(), organization, ConnectionKind.OKTA, "Okta",
                true, "http://www.okta.com/limit", null, null, null, null, null, null, null, false, false,
                ScimPolicy.LOGIN_ONLY, AttributeMapping.defaults(ConnectionKind.OKTA), null, null, null, wireMockUrl,
                "not-a-ciphertext", Instant.now(), Instant.now());
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
            wireMock.stubFor(get(urlPathEqualTo(userPath(dripped))).willReturn(okJson(user(dripped)
                    + " ".repeat(200)).withChunkedDribbleDelay(25, 10_000)));
            Instant started = Instant.now();
            assertThat(catchThrowable(() -> okta.groupNames(connection, dripped)))
                    .isInstanceOf(LookupDeadlineExceeded.class);
            assertThat(Duration.between(started, Instant.now())).isLessThan(AT_THE_DEADLINE);
            assertThat(wireMock.findAll(getRequestedFor(urlPathEqualTo(userPath(dripped))))).hasSize(1);
        }

        assertThat(okta.groupNames(connection, known())).isEmpty();
        assertThat(refused("okta")).isZero();
        assertThat(limits.organizationsRunning()).isZero();
    }

    private double refused(String api) {
        return meters.get(LookupsPerOrganization.REFUSED).tag("api", api).counter().count();
    }

    /**
     * A first lookup by a client with no short deadline of its own: the SDK's first start and the first TLS handshake
     * with WireMock may take longer than the short deadline here.
     */
    private void warmUp(SsoConnection connection, EmailAddress known) {
        OktaGroupsClient patient = new OktaGroupsClient(cipher, tls, new OutboundAddresses(List.of("localhost")),
                properties, connections);
        try {
            assertThat(patient.groupNames(connection, known)).isEmpty();
        }
        finally {
            patient.destroy();
        }
    }

    /** Someone Okta answers for at once, in no group. */
    private EmailAddress known() {
        EmailAddress known = person();
        String userId = userId();
        wireMock.stubFor(get(urlPathEqualTo(userPath(known))).willReturn(okJson(user(known).replace("ID", userId))));
        wireMock.stubFor(get(urlPathEqualTo("/api/v1/users/" + userId + "/groups")).willReturn(okJson("[]")));
        return known;
    }

    private static EmailAddress person() {
        return EmailAddress.parse("person-" + UUID.randomUUID() + "@example.com").orElseThrow();
    }

    private static String userId() {
        return "00u" + UUID.randomUUID().toString().replace("-", "").substring(0, 17);
    }

    private static String userPath(EmailAddress person) {
        return "/api/v1/users/" + person.value().replace("@", "%40");
    }

    /** The person's record, with the id {@code ID} until replaced. */
    private static String user(EmailAddress person) {
        return "{\"id\":\"ID\",\"status\":\"ACTIVE\",\"profile\":{\"login\":\"" + person.value() + "\"}}";
    }

    private SsoConnection okta(UUID organization, String orgUrl) {
        Instant now = Instant.now();
        return new SsoConnection(UUID.randomUUID(), organization, ConnectionKind.OKTA, "Okta", true,
                "http://www.okta.com/limit", null, null, null, null, null, null, null, false, false,
                ScimPolicy.LOGIN_ONLY, AttributeMapping.defaults(ConnectionKind.OKTA), null, null, null, orgUrl,
                cipher.encrypt("okta-token-" + UUID.randomUUID()), now, now);
    }

    private SsoConnection entra(UUID organization) {
        Instant now = Instant.now();
        return new SsoConnection(UUID.randomUUID(), organization, ConnectionKind.ENTRA, "Entra", true,
                "https://sts.windows.net/limit/", null, null, null, null, null, null, null, false, false,
                ScimPolicy.LOGIN_ONLY, AttributeMapping.defaults(ConnectionKind.ENTRA), UUID.randomUUID().toString(),
                "roster-app", cipher.encrypt("s3cret"), null, null, now, now);
    }

    private static void awaitUntil(BooleanSupplier condition, String description) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting until " + description).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
