package dev.roster.sso.idp;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.roster.shared.EmailAddress;
import dev.roster.shared.SecretCipher;
import dev.roster.sso.connection.AttributeMapping;
import dev.roster.sso.connection.ConnectionKind;
import dev.roster.sso.connection.ScimPolicy;
import dev.roster.sso.connection.SsoConnection;

/**
 * The Okta API on the tests' WireMock: Okta connections, each with an API token of its own, and the people Okta knows.
 */
public final class FakeOkta {

    private final WireMockServer wireMock;
    /** The application's, known once the test's application context is. */
    private final Supplier<SecretCipher> cipher;
    /** Per connection, someone Okta answers for at once. */
    private final Map<UUID, EmailAddress> knownPeople = new ConcurrentHashMap<>();

    FakeOkta(WireMockServer wireMock, Supplier<SecretCipher> cipher) {
        this.wireMock = wireMock;
        this.cipher = cipher;
    }

    /** An Okta connection (in no database) to the org at {@code orgUrl}, in an organization of its own. */
    SsoConnection connection(String orgUrl) {
        return connection(UUID.randomUUID(), orgUrl);
    }

    /** An Okta connection (in no database) of the organization to the org at {@code orgUrl}. */
    SsoConnection connection(UUID organizationId, String orgUrl) {
        Instant now = Instant.now();
        return new SsoConnection(UUID.randomUUID(), organizationId, ConnectionKind.OKTA, "Okta", true,
                "http://www.okta.com/" + UUID.randomUUID(), null, null, null, null, null, null, null, false, false,
                ScimPolicy.LOGIN_ONLY, AttributeMapping.defaults(ConnectionKind.OKTA), null, null, null,
                orgUrl, cipher.get().encrypt("okta-token-" + UUID.randomUUID()), now, now);
    }

    /** What an admin sends for a connection's Okta API at {@code orgUrl}, with a new API token. */
    public static Map<String, Object> settings(String orgUrl) {
        return Map.of("okta", Map.of("orgUrl", orgUrl, "apiToken", "okta-token-" + UUID.randomUUID()));
    }

    /**
     * Okta answers the person's look-up, after {@code delayMs}, and lists their one group, both to the connection's API
     * token only.
     */
    public void knows(SsoConnection connection, EmailAddress person, String group, int delayMs) {
        String userId = userId();
        String authorization = "SSWS " + cipher.get().decrypt(connection.oktaApiToken());
        wireMock.stubFor(get(urlPathEqualTo(userPath(person))).withHeader("Authorization", equalTo(authorization))
                .willReturn(okJson(user(userId, person)).withFixedDelay(delayMs)));
        wireMock.stubFor(get(urlPathEqualTo("/api/v1/users/" + userId + "/groups"))
                .withHeader("Authorization", equalTo(authorization))
                .willReturn(okJson("[{\"id\":\"00g1\",\"type\":\"OKTA_GROUP\",\"profile\":{\"name\":\"" + group
                        + "\"}}]")));
    }

    /** Okta names the group, to the connection's API token only. */
    void names(SsoConnection connection, String groupId, String name) {
        wireMock.stubFor(get(urlPathEqualTo("/api/v1/groups/" + groupId))
                .withHeader("Authorization", equalTo("SSWS " + cipher.get().decrypt(connection.oktaApiToken())))
                .willReturn(okJson("{\"id\":\"" + groupId + "\",\"type\":\"OKTA_GROUP\",\"profile\":{\"name\":\""
                        + name + "\"}}")));
    }

    /** Someone Okta answers for at once, in no group (stubbed on the connection's first use). */
    EmailAddress known(SsoConnection connection) {
        return knownPeople.computeIfAbsent(connection.id(), id -> {
            EmailAddress known = person();
            String userId = userId();
            wireMock.stubFor(get(urlPathEqualTo(userPath(known))).willReturn(okJson(user(userId, known))));
            wireMock.stubFor(get(urlPathEqualTo("/api/v1/users/" + userId + "/groups")).willReturn(okJson("[]")));
            return known;
        });
    }

    /** Whether Okta has been asked for the person. */
    boolean asked(EmailAddress person) {
        return lookups(person) > 0;
    }

    /** How many times Okta has been asked for the person. */
    public int lookups(EmailAddress person) {
        return wireMock.findAll(getRequestedFor(urlPathEqualTo(userPath(person)))).size();
    }

    static EmailAddress person() {
        return EmailAddress.parse("person-" + UUID.randomUUID() + "@example.com").orElseThrow();
    }

    static String userPath(EmailAddress person) {
        return "/api/v1/users/" + person.value().replace("@", "%40");
    }

    static String userId() {
        return "00u" + UUID.randomUUID().toString().replace("-", "").substring(0, 17);
    }

    static String groupId() {
        return "00g" + UUID.randomUUID().toString().replace("-", "").substring(0, 17);
    }

    /** Okta's answer for a user. */
    static String user(String id, EmailAddress person) {
        return "{\"id\":\"" + id + "\",\"status\":\"ACTIVE\",\"profile\":{\"login\":\"" + person.value() + "\"}}";
    }
}
