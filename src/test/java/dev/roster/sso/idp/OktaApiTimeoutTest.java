package dev.roster.sso.idp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.okta.sdk.resource.client.ApiException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import dev.roster.test.TestEnvironment;

/**
 * An Okta org that takes the connection and then does not answer, or answers "try again in a while", fails the
 * lookup within the client's timeout instead of holding the sign-in that asked (here a timeout of a second, for an
 * answer six seconds or more away). What a sign-in does with the failure: {@code IdpGroupLookupTest}.
 */
@RosterIntegrationTest
class OktaApiTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration PROMPTLY = Duration.ofSeconds(4);

    @Autowired
    SecretCipher cipher;

    @Autowired
    OutboundTls tls;

    @Autowired
    SsoProperties properties;

    @Autowired
    SsoConnectionRepository connections;

    private final WireMockServer wireMock = TestEnvironment.wireMock();

    private OktaGroupsClient okta;

    @BeforeEach
    void client() {
        okta = new OktaGroupsClient(cipher, tls, new OutboundAddresses(List.of("localhost")), properties, connections,
                TIMEOUT);
    }

    @AfterEach
    void closeClients() {
        okta.destroy();
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

    private static EmailAddress person() {
        return EmailAddress.parse("person-" + UUID.randomUUID() + "@example.com").orElseThrow();
    }

    private static String userPath(EmailAddress person) {
        return "/api/v1/users/" + person.value().replace("@", "%40");
    }

    private static String userId() {
        return "00u" + UUID.randomUUID().toString().replace("-", "").substring(0, 17);
    }

    private static String user(String id, EmailAddress person) {
        return "{\"id\":\"" + id + "\",\"status\":\"ACTIVE\",\"profile\":{\"login\":\"" + person.value() + "\"}}";
    }

    /**
     * A connection whose client is built and connected (a lookup Okta answers at once), so the time measured is the
     * wait for Okta alone. A client with the usual timeout asks first: the first TLS handshake with a WireMock just
     * started, and the SDK's first start, may take longer than the short timeout here.
     */
    private SsoConnection readyConnection() {
        SsoConnection connection = connection();
        EmailAddress known = person();
        String id = userId();
        wireMock.stubFor(get(urlPathEqualTo(userPath(known))).willReturn(okJson(user(id, known))));
        wireMock.stubFor(get(urlPathEqualTo("/api/v1/users/" + id + "/groups")).willReturn(okJson("[]")));
        OktaGroupsClient patient = new OktaGroupsClient(cipher, tls, new OutboundAddresses(List.of("localhost")),
                properties, connections, OktaGroupsClient.TIMEOUT);
        try {
            patient.groupNames(connection, known);
        }
        finally {
            patient.destroy();
        }
        assertThat(okta.groupNames(connection, known)).isEmpty();
        return connection;
    }

    private SsoConnection connection() {
        Instant now = Instant.now();
        return new SsoConnection(UUID.randomUUID(), UUID.randomUUID(), ConnectionKind.OKTA, "Okta", true,
                "http://www.okta.com/slow", null, null, null, null, null, null, null, false, false,
                ScimPolicy.LOGIN_ONLY, AttributeMapping.defaults(ConnectionKind.OKTA), null, null, null,
                "https://localhost:" + wireMock.httpsPort(), cipher.encrypt("okta-token-" + UUID.randomUUID()), now,
                now);
    }
}
