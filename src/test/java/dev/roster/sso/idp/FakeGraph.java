package dev.roster.sso.idp;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import dev.roster.shared.SecretCipher;
import dev.roster.sso.connection.AttributeMapping;
import dev.roster.sso.connection.ConnectionKind;
import dev.roster.sso.connection.ScimPolicy;
import dev.roster.sso.connection.SsoConnection;

/**
 * Microsoft Graph and its token endpoint on the tests' WireMock: Entra connections, each with a tenant of its own
 * whose token endpoint hands out an access token of its own, and Graph's answers to that token.
 */
final class FakeGraph {

    private final WireMockServer wireMock;
    /** The application's, known once the test's application context is. */
    private final Supplier<SecretCipher> cipher;

    FakeGraph(WireMockServer wireMock, Supplier<SecretCipher> cipher) {
        this.wireMock = wireMock;
        this.cipher = cipher;
    }

    /** An Entra connection (in no database) whose tenant's token endpoint answers after {@code tokenDelayMs}. */
    SsoConnection connection(int tokenDelayMs) {
        return connection(UUID.randomUUID(), tenant(tokenDelayMs));
    }

    /** An Entra connection (in no database) of the organization, whose tenant's token endpoint answers at once. */
    SsoConnection connectionOf(UUID organizationId) {
        return connection(organizationId, tenant(0));
    }

    /** An Entra connection (in no database) whose tenant's token endpoint gives {@code answer} to every request. */
    SsoConnection connectionWhoseTokenEndpointAnswers(ResponseDefinitionBuilder answer) {
        String tenant = UUID.randomUUID().toString();
        wireMock.stubFor(post(urlPathEqualTo(tokenPath(tenant))).willReturn(answer));
        return connection(UUID.randomUUID(), tenant);
    }

    /** How many requests the connection's tenant's token endpoint has received. */
    int tokenRequests(SsoConnection connection) {
        return wireMock.findAll(postRequestedFor(urlPathEqualTo(tokenPath(connection.graphTenantId())))).size();
    }

    private SsoConnection connection(UUID organizationId, String tenant) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new SsoConnection(UUID.randomUUID(), organizationId, ConnectionKind.ENTRA, "Entra", true,
                "https://sts.windows.net/" + UUID.randomUUID() + "/", null, null, null, null, null, null, null, false,
                false, ScimPolicy.LOGIN_ONLY, AttributeMapping.defaults(ConnectionKind.ENTRA), tenant,
                "roster-app", cipher.get().encrypt("secret-" + UUID.randomUUID()), null, null, now, now);
    }

    /** The same connection, changed since: another tenant (so another access token), a later {@code updatedAt}. */
    SsoConnection changed(SsoConnection c) {
        return new SsoConnection(c.id(), c.organizationId(), c.kind(), c.name(), c.enabled(), c.idpEntityId(),
                c.metadataUrl(), c.metadataXml(), c.metadataRefreshedAt(), c.metadataError(), c.extraCertificates(),
                c.spPrivateKey(), c.spCertificate(), c.idpInitiated(), c.enforceSso(), c.scimPolicy(), c.mapping(),
                tenant(0), c.graphClientId(), cipher.get().encrypt("secret-" + UUID.randomUUID()), c.oktaOrgUrl(),
                c.oktaApiToken(), c.createdAt(), c.updatedAt().plusSeconds(1));
    }

    /**
     * A person Graph knows, answering to the connection's access token only, after {@code delayMs}, with their one
     * group on one page; their object id.
     */
    String knows(SsoConnection connection, String group, int delayMs) {
        String objectId = UUID.randomUUID().toString();
        wireMock.stubFor(post(urlPathEqualTo(memberObjects(objectId)))
                .withHeader("Authorization", equalTo("Bearer " + accessToken(connection)))
                .willReturn(okJson("{\"value\":[\"" + group + "\"]}").withFixedDelay(delayMs)));
        return objectId;
    }

    /**
     * A person Graph knows, answering to the connection's access token only, with one group on each of two pages,
     * each after {@code delayMs}; their object id. {@code graphBase} is where Graph is, for the link to page two.
     */
    String knowsOnTwoPages(SsoConnection connection, String graphBase, String first, String second, int delayMs) {
        String objectId = UUID.randomUUID().toString();
        String next = graphBase + "/users/" + objectId + "/getMemberObjects?$skiptoken=page2";
        wireMock.stubFor(post(urlPathEqualTo(memberObjects(objectId))).withQueryParam("$skiptoken", absent())
                .withHeader("Authorization", equalTo("Bearer " + accessToken(connection)))
                .willReturn(okJson("{\"value\":[\"" + first + "\"],\"@odata.nextLink\":\"" + next + "\"}")
                        .withFixedDelay(delayMs)));
        wireMock.stubFor(post(urlPathEqualTo(memberObjects(objectId))).withQueryParam("$skiptoken", equalTo("page2"))
                .withHeader("Authorization", equalTo("Bearer " + accessToken(connection)))
                .willReturn(okJson("{\"value\":[\"" + second + "\"]}").withFixedDelay(delayMs)));
        return objectId;
    }

    /**
     * A person Graph knows, answering to the connection's access token only, with their one group on one page, but
     * whose first request gets {@code first} instead (a 503, say); their object id.
     */
    String knowsAfter(ResponseDefinitionBuilder first, SsoConnection connection, String group) {
        String objectId = UUID.randomUUID().toString();
        wireMock.stubFor(post(urlPathEqualTo(memberObjects(objectId))).inScenario(objectId)
                .whenScenarioStateIs(Scenario.STARTED).willReturn(first).willSetStateTo("answered once"));
        wireMock.stubFor(post(urlPathEqualTo(memberObjects(objectId))).inScenario(objectId)
                .whenScenarioStateIs("answered once")
                .withHeader("Authorization", equalTo("Bearer " + accessToken(connection)))
                .willReturn(okJson("{\"value\":[\"" + group + "\"]}")));
        return objectId;
    }

    /** Graph names the group, to the connection's access token only. */
    void names(SsoConnection connection, String groupId, String displayName) {
        wireMock.stubFor(get(urlPathEqualTo("/graph/v1.0/groups/" + groupId))
                .withHeader("Authorization", equalTo("Bearer " + accessToken(connection)))
                .willReturn(okJson("{\"id\":\"" + groupId + "\",\"displayName\":\"" + displayName + "\"}")));
    }

    /** What an admin sends for a connection's Graph credentials, for a tenant of its own. */
    Map<String, Object> settings() {
        return Map.of("graph", Map.of("tenantId", tenant(0), "clientId", "roster-app",
                "clientSecret", "secret-" + UUID.randomUUID()));
    }

    /** Whether Graph has been asked for the person's groups. */
    boolean asked(String objectId) {
        return !wireMock.findAll(postRequestedFor(urlPathEqualTo(memberObjects(objectId)))).isEmpty();
    }

    static String memberObjects(String objectId) {
        return "/graph/v1.0/users/" + objectId + "/getMemberObjects";
    }

    static String accessToken(SsoConnection connection) {
        return "graph-token-" + connection.graphTenantId();
    }

    /** A tenant whose token endpoint answers after {@code tokenDelayMs}; its id. */
    private String tenant(int tokenDelayMs) {
        String tenant = UUID.randomUUID().toString();
        wireMock.stubFor(post(urlPathEqualTo(tokenPath(tenant)))
                .willReturn(okJson("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,"
                        + "\"access_token\":\"graph-token-" + tenant + "\"}").withFixedDelay(tokenDelayMs)));
        return tenant;
    }

    private static String tokenPath(String tenant) {
        return "/" + tenant + "/oauth2/v2.0/token";
    }
}
