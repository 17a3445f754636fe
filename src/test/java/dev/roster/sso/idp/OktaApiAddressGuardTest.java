package dev.roster.sso.idp;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.github.tomakehurst.wiremock.WireMockServer;

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
import dev.roster.test.TestEnvironment;

/**
 * An Okta org URL passes the address guard when an admin saves it, but the Okta API is called long after, with the
 * organization's API token. If the host's DNS answer has changed to an internal address since (here: the host is
 * {@code localhost}, no longer allowed), the client must not connect: its resolver asks the guard again. The clients
 * built here are closed, and none of their deadline timer threads outlives the test.
 */
@RosterIntegrationTest
class OktaApiAddressGuardTest {

    @Autowired
    SecretCipher cipher;

    @Autowired
    OutboundTls tls;

    @Autowired
    SsoProperties properties;

    @Autowired
    SsoConnectionRepository connections;

    private final WireMockServer wireMock = TestEnvironment.wireMock();

    /** The deadline timer threads alive before the test; any other one still alive after it was left behind. */
    private Set<Thread> timersBefore;

    @BeforeEach
    void noteTimers() {
        timersBefore = deadlineTimers();
    }

    @AfterEach
    void noTimerOutlivesTheTest() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        Set<Thread> left = deadlineTimers();
        while (!timersBefore.containsAll(left)) {
            assertThat(Instant.now()).as("waiting until the test's deadline timers end: " + left).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            left = deadlineTimers();
        }
    }

    @Test
    void anOrgUrlThatNowResolvesToAnInternalAddressGetsNoRequestAndNoToken() {
        SsoConnection connection = oktaConnection("https://localhost:" + wireMock.httpsPort());
        EmailAddress person = EmailAddress.parse("guard-" + UUID.randomUUID() + "@example.com").orElseThrow();

        OktaGroupsClient guarded = new OktaGroupsClient(cipher, tls, new OutboundAddresses(List.of()), properties,
                connections);
        try {
            Throwable refused = catchThrowable(() -> guarded.groupNames(connection, person));
            assertThat(refused).isNotNull();
            assertThat(wireMock.findAll(anyRequestedFor(urlPathMatching("/api/v1/users/" + person.value() + ".*"))))
                    .isEmpty();
        }
        finally {
            guarded.destroy();
        }

        // The same client with the host allowed by the operator does reach it: the guard is what stopped the first.
        OktaGroupsClient allowed = new OktaGroupsClient(cipher, tls, new OutboundAddresses(List.of("localhost")),
                properties, connections);
        try {
            catchThrowable(() -> allowed.groupNames(connection, person));
            assertThat(wireMock.findAll(anyRequestedFor(urlPathMatching("/api/v1/users/.*"))))
                    .anySatisfy(request -> assertThat(request.getUrl()).contains(person.value().replace("@", "%40")));
        }
        finally {
            allowed.destroy();
        }
    }

    /** The timer threads of lookup deadlines ({@link LookupDeadlines}), of every client alive in this JVM. */
    private static Set<Thread> deadlineTimers() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(thread -> thread.getName().matches("(okta-api|microsoft-graph)-deadline-\\d+"))
                .collect(Collectors.toSet());
    }

    private SsoConnection oktaConnection(String orgUrl) {
        Instant now = Instant.now();
        return new SsoConnection(UUID.randomUUID(), UUID.randomUUID(), ConnectionKind.OKTA, "Okta", true,
                "http://www.okta.com/guard", null, null, null, null, null, null, null, false, false,
                ScimPolicy.LOGIN_ONLY, AttributeMapping.defaults(ConnectionKind.OKTA), null, null, null, orgUrl,
                cipher.encrypt("okta-token-" + UUID.randomUUID()), now, now);
    }
}
