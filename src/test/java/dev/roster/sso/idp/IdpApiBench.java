package dev.roster.sso.idp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.WireMockServer;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

import dev.roster.shared.OutboundAddresses;
import dev.roster.shared.SecretCipher;
import dev.roster.sso.SsoFixture;
import dev.roster.sso.SsoProperties;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.connection.SsoConnectionRepository;
import dev.roster.test.TcpProxy;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestEnvironment;

/**
 * What the tests of Roster's IdP API clients stand on, registered in each with {@code @RegisterExtension}: the clients
 * built as the application builds them, from its beans, but each test's own (with the timeout and deadline it needs);
 * Microsoft Graph and the Okta API on WireMock ({@link FakeGraph}, {@link FakeOkta}), reached directly or through a
 * {@link TcpProxy} that shows the connections the clients hold open; and connections stored as an admin makes them.
 * <p>
 * After each test it closes every client it built, then checks that none of their deadline timer threads
 * ({@link LookupDeadlines}) outlives the test: a client left open keeps one running for as long as the JVM does.
 * (A test that built none is not checked: the application's clients' timers may start during it.)
 * <p>
 * Public, with what sign-in tests elsewhere use of it (the Okta API, stored connections, waiting), for those that
 * drive the application's own clients through sign-ins.
 */
public final class IdpApiBench implements BeforeEachCallback, AfterEachCallback {

    /** For a Graph client's back-offs: each the shortest it can be, half its step (0.5 s, 1 s, 2 s). */
    static final DoubleSupplier SHORTEST_BACK_OFFS = () -> 0.0;
    /** For a Graph client's back-offs: each the longest it can be, just under its step (1 s, 2 s, 4 s). */
    static final DoubleSupplier LONGEST_BACK_OFFS = () -> Math.nextDown(1.0);

    private final WireMockServer wireMock = TestEnvironment.wireMock();
    private final FakeGraph graph = new FakeGraph(wireMock, () -> bean(SecretCipher.class));
    private final FakeOkta okta = new FakeOkta(wireMock, () -> bean(SecretCipher.class));
    private final List<Runnable> closes = new ArrayList<>();
    private ApplicationContext context;
    private TcpProxy proxy;
    /** The deadline timer threads alive before the test: the application's own clients', any earlier tests left. */
    private Set<Thread> timersBefore;

    @Override
    public void beforeEach(ExtensionContext extension) throws IOException {
        context = SpringExtension.getApplicationContext(extension);
        proxy = new TcpProxy("127.0.0.1", wireMock.httpsPort());
        timersBefore = deadlineTimers();
    }

    @Override
    public void afterEach(ExtensionContext extension) throws IOException {
        boolean builtClients = !closes.isEmpty();
        closes.forEach(Runnable::run);
        closes.clear();
        proxy.close();
        // Only when the test built clients here: one that signs in through the application's own clients may start
        // their timers (a timer's thread starts with its first lookup), which rightly run on.
        if (builtClients) {
            awaitUntil(() -> timersBefore.containsAll(deadlineTimers()),
                    "the deadline timers of the test's clients end");
        }
    }

    /** Microsoft Graph and its token endpoint, on WireMock. */
    FakeGraph graphApi() {
        return graph;
    }

    /** The Okta API, on WireMock. */
    public FakeOkta oktaApi() {
        return okta;
    }

    /** The proxy between the clients and WireMock, where the tests count connections. */
    TcpProxy proxy() {
        return proxy;
    }

    /** A Graph client with the usual timeout and deadline, its Graph behind the proxy (its token endpoint is not). */
    EntraGraph graph() {
        return graph(EntraGraph.TIMEOUT, EntraGraph.DEADLINE);
    }

    /** A Graph client whose back-offs are random, as the application's are. */
    EntraGraph graph(Duration timeout, Duration deadline) {
        return graph(timeout, deadline, RetryWithinDeadline.RANDOM);
    }

    /** A Graph client whose back-offs before asking again take {@code backOffRandom}'s fractions of their range. */
    EntraGraph graph(Duration timeout, Duration deadline, DoubleSupplier backOffRandom) {
        return graph(timeout, deadline, LookupsPerOrganization.unshared(), backOffRandom);
    }

    /** A Graph client with the usual timeout and deadline that takes its lookups' places from {@code limits}. */
    EntraGraph graph(LookupsPerOrganization limits) {
        return graph(EntraGraph.TIMEOUT, EntraGraph.DEADLINE, limits, RetryWithinDeadline.RANDOM);
    }

    private EntraGraph graph(Duration timeout, Duration deadline, LookupsPerOrganization limits,
                             DoubleSupplier backOffRandom) {
        EntraGraph client = new EntraGraph(bean(SecretCipher.class), graphAt(graphBase()), bean(OutboundTls.class),
                bean(SsoConnectionRepository.class), timeout, deadline, limits, backOffRandom);
        closes.add(client::destroy);
        return client;
    }

    /** An Okta client with the usual timeout and deadline, that may connect to localhost (WireMock). */
    OktaGroupsClient okta() {
        return okta(OktaGroupsClient.TIMEOUT, OktaGroupsClient.DEADLINE);
    }

    OktaGroupsClient okta(Duration timeout, Duration deadline) {
        return okta(new OutboundAddresses(List.of("localhost")), timeout, deadline);
    }

    /** An Okta client whose address guard lets through only the hosts {@code addresses} allow. */
    OktaGroupsClient okta(OutboundAddresses addresses) {
        return okta(addresses, OktaGroupsClient.TIMEOUT, OktaGroupsClient.DEADLINE);
    }

    /** An Okta client of the usual timeout, {@code deadline}, taking its lookups' places from {@code limits}. */
    OktaGroupsClient okta(Duration deadline, LookupsPerOrganization limits) {
        return okta(new OutboundAddresses(List.of("localhost")), OktaGroupsClient.TIMEOUT, deadline, limits);
    }

    private OktaGroupsClient okta(OutboundAddresses addresses, Duration timeout, Duration deadline) {
        return okta(addresses, timeout, deadline, LookupsPerOrganization.unshared());
    }

    private OktaGroupsClient okta(OutboundAddresses addresses, Duration timeout, Duration deadline,
                                  LookupsPerOrganization limits) {
        OktaGroupsClient client = new OktaGroupsClient(bean(SecretCipher.class), bean(OutboundTls.class), addresses,
                bean(SsoProperties.class), bean(SsoConnectionRepository.class), timeout, deadline, limits);
        closes.add(client::destroy);
        return client;
    }

    /** Where Graph is for the clients built here: WireMock, through the proxy. */
    String graphBase() {
        return proxiedUrl() + "/graph/v1.0";
    }

    /** WireMock, reached directly. */
    public String directUrl() {
        return "https://localhost:" + wireMock.httpsPort();
    }

    /** WireMock, reached through the proxy. */
    String proxiedUrl() {
        return "https://localhost:" + proxy.port();
    }

    /**
     * Loads the Graph SDK, Kiota and MSAL (their first use takes longer than the short deadlines of some tests) with a
     * client of the usual deadline, on a connection of its own, closed again.
     */
    void warmUpGraph() {
        EntraGraph patient = graph();
        SsoConnection connection = graph.connection(0);
        String group = UUID.randomUUID().toString();
        assertThat(patient.memberGroupIds(connection, graph.knows(connection, group, 0))).containsExactly(group);
        patient.destroy();
    }

    /** A connection whose token the client has, and whose Graph it is connected to, so only Graph's answers count. */
    SsoConnection readyGraphConnection(EntraGraph client) {
        SsoConnection connection = graph.connection(0);
        String group = UUID.randomUUID().toString();
        assertThat(client.memberGroupIds(connection, graph.knows(connection, group, 0))).containsExactly(group);
        return connection;
    }

    /**
     * An Okta connection to {@code orgUrl} whose client is built and connected (a lookup Okta answers at once), so the
     * time measured is the wait for Okta alone. A client with the usual timeout and deadline asks first: the first TLS
     * handshake with a WireMock just started, and the SDK's first start, may take longer than a test's short timeout.
     */
    SsoConnection readyOktaConnection(OktaGroupsClient client, String orgUrl) {
        SsoConnection connection = okta.connection(orgUrl);
        OktaGroupsClient patient = okta();
        patient.groupNames(connection, okta.known(connection));
        patient.destroy();
        assertThat(client.groupNames(connection, okta.known(connection))).isEmpty();
        return connection;
    }

    /**
     * A connection of {@code kind} with {@code settings} ({@link FakeGraph#settings()}, {@link FakeOkta#settings}),
     * made as an admin makes it, in an organization of its own.
     */
    public SsoFixture store(String kind, Map<String, Object> settings) {
        return SsoFixture.create(bean(TestApi.class), bean(TestData.class), bean(SsoDomainService.class), kind,
                settings);
    }

    /** The stored connection as it is now. */
    public SsoConnection current(SsoFixture sso) {
        return bean(SsoConnectionRepository.class).findById(UUID.fromString(sso.id())).orElseThrow();
    }

    /** Changes the stored connection as its admin would. */
    void change(SsoFixture sso, Map<String, Object> changes) {
        TestApi.Response changed = bean(TestApi.class).patch(sso.org.admin().token(),
                sso.org.api("/sso-connections/" + sso.id()), changes);
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    }

    /** Deletes the stored connection as its admin would. */
    void delete(SsoFixture sso) {
        TestApi.Response deleted = bean(TestApi.class).delete(sso.org.admin().token(),
                sso.org.api("/sso-connections/" + sso.id()));
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
    }

    public static void awaitUntil(BooleanSupplier condition, String description) {
        awaitUntil(Duration.ofSeconds(10), condition, description);
    }

    /** Waits until the condition holds, for at most {@code within}: for what takes longer than usual to come about. */
    public static void awaitUntil(Duration within, BooleanSupplier condition, String description) {
        Instant deadline = Instant.now().plus(within);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting until " + description).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    /**
     * Checks that {@code condition} holds again and again until {@code window} has passed, failing as soon as it does
     * not: for what must not happen, over a window longer than it would take to happen.
     */
    static void holdsThroughout(Duration window, BooleanSupplier condition, String description) {
        Instant end = Instant.now().plus(window);
        while (Instant.now().isBefore(end)) {
            assertThat(condition.getAsBoolean()).as(description).isTrue();
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    /** Roster's settings with Graph at {@code baseUrl}. */
    private SsoProperties graphAt(String baseUrl) {
        SsoProperties properties = bean(SsoProperties.class);
        return new SsoProperties(properties.clockSkew(), properties.maxMessageSize(), properties.certificateWarning(),
                properties.metadata(), properties.outbound(),
                new SsoProperties.Graph(baseUrl, properties.graph().authorityHost()), properties.verifiedDomains(),
                properties.refusalAuditLimit());
    }

    private <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** The timer threads of lookup deadlines, of every client alive in this JVM. */
    private static Set<Thread> deadlineTimers() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(thread -> thread.getName().matches("(okta-api|microsoft-graph)-deadline-\\d+"))
                .collect(Collectors.toSet());
    }
}
