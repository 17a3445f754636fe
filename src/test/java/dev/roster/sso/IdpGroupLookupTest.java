package dev.roster.sso;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.AccessImpact;
import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.TeamGrant;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.PageQuery;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestEnvironment;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.connection.AttributeMapping;
import dev.roster.sso.connection.SsoChangePreview;

/**
 * Groups that are not in the assertion: the Entra overage claim resolved through Microsoft Graph, and Okta groups
 * read through the Okta API, both against a WireMock server speaking their HTTP APIs.
 */
@RosterIntegrationTest
class IdpGroupLookupTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    TeamService teams;
    @Autowired
    MemberReads members;
    @Autowired
    SsoChangePreview preview;

    private final WireMockServer wireMock = TestEnvironment.wireMock();

    @Test
    void entraOverageIsResolvedThroughGraphWithACachedToken() {
        String tenant = UUID.randomUUID().toString();
        String token = "graph-token-" + UUID.randomUUID();
        wireMock.stubFor(post(urlPathEqualTo("/" + tenant + "/oauth2/v2.0/token"))
                .willReturn(okJson("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,"
                        + "\"access_token\":\"" + token + "\"}")));
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of("graph",
                Map.of("tenantId", tenant, "clientId", "roster-app", "clientSecret", "s3cret")));
        assertThat(sso.connection.path("graphConfigured").asBoolean()).isTrue();
        teams.create(sso.org.id(), "Platform", null, Actor.system("test"));
        teams.create(sso.org.id(), "Data", null, Actor.system("test"));
        String platform = UUID.randomUUID().toString();
        String dataGroup = UUID.randomUUID().toString();
        wireMock.stubFor(get(urlPathEqualTo("/graph/v1.0/groups/" + platform))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(okJson("{\"id\":\"" + platform + "\",\"displayName\":\"Platform engineers\"}")));
        sso.grant("domain", sso.domain);
        sso.map(platform, "Platform", false);
        sso.map(dataGroup, "Data", false);
        TestApi.Response mappings = api.get(sso.org.admin().token(), sso.org.api("/sso-connections/" + sso.id()
                + "/group-mappings"));
        assertThat(mappings.json().path("items").findValuesAsText("groupDisplayName")).contains("Platform engineers");

        String objectId = UUID.randomUUID().toString();
        String next = "https://localhost:" + wireMock.httpsPort() + "/graph/v1.0/users/" + objectId
                + "/getMemberObjects?$skiptoken=page2";
        wireMock.stubFor(post(urlPathEqualTo("/graph/v1.0/users/" + objectId + "/getMemberObjects"))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .withRequestBody(equalToJson("{\"securityEnabledOnly\":false}"))
                .withQueryParam("$skiptoken", com.github.tomakehurst.wiremock.client.WireMock.absent())
                .willReturn(okJson("{\"value\":[\"" + platform + "\",\"" + UUID.randomUUID() + "\"],"
                        + "\"@odata.nextLink\":\"" + next + "\"}")));
        wireMock.stubFor(post(urlPathEqualTo("/graph/v1.0/users/" + objectId + "/getMemberObjects"))
                .withQueryParam("$skiptoken", equalTo("page2"))
                .willReturn(okJson("{\"value\":[\"" + dataGroup + "\"]}")));

        String email = sso.email("overage");
        for (int login = 0; login < 2; login++) {
            TestIdp.Spec spec = TestIdp.entra(sso.spec(), objectId, email, "Over", "Age");
            spec.attribute(AttributeMapping.ENTRA_GROUPS_LINK,
                    "https://graph.windows.net/" + tenant + "/users/" + objectId + "/getMemberObjects");
            SamlBrowser browser = new SamlBrowser(api.baseUrl());
            assertThat(sso.login(browser, spec).location()).endsWith("/");
        }
        assertThat(teamNames(sso, email)).containsExactlyInAnyOrder("Platform", "Data");
        wireMock.verify(1, postRequestedFor(urlPathEqualTo("/" + tenant + "/oauth2/v2.0/token")));
    }

    /**
     * Someone in more Entra groups than a token carries, at a connection without Microsoft Graph, whom only a group
     * grant could let in: trying again cannot help until an admin gives the connection Graph, and the page says so
     * rather than "try again in a few minutes".
     */
    @Test
    void anEntraOverageWithoutGraphTellsThePersonThatAnAdminMustSetGraphUp() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of());
        assertThat(sso.connection.path("graphConfigured").asBoolean()).isFalse();
        sso.grant("group", UUID.randomUUID().toString());
        String objectId = UUID.randomUUID().toString();
        TestIdp.Spec spec = TestIdp.entra(sso.spec(), objectId, sso.email("crowded"), "Crowded", "Person");
        spec.attribute(AttributeMapping.ENTRA_GROUPS_LINK,
                "https://graph.windows.net/" + UUID.randomUUID() + "/users/" + objectId + "/getMemberObjects");

        SamlBrowser.Page refused = sso.login(new SamlBrowser(api.baseUrl()), spec);

        assertThat(refused.location()).endsWith("/sso/error?reason=groups-need-graph");
        String page = refused.location().substring(refused.location().indexOf("/sso/error"));
        assertThat(api.get(null, page).body())
                .contains("more groups than a sign-in can carry")
                .contains("Microsoft Graph")
                .doesNotContain("Try again in a few minutes");
        // An admin about to grant the domain sees that it would have let them in, as for any refusal for want of one.
        AccessImpact domainGrant = preview.addGrant(sso.org.id(), UUID.fromString(sso.id()), "domain", sso.domain,
                Actor.system("test"));
        assertThat(domainGrant.admitted()).extracting(AccessImpact.Person::email).contains(sso.email("crowded"));
    }

    @Test
    void oktaGroupsAreReadThroughTheOktaApiFollowingPages() {
        String base = "https://localhost:" + wireMock.httpsPort();
        String apiToken = "okta-token-" + UUID.randomUUID();
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of("okta",
                Map.of("orgUrl", base, "apiToken", apiToken)));
        teams.create(sso.org.id(), "Engineering", null, Actor.system("test"));
        teams.create(sso.org.id(), "Support", null, Actor.system("test"));
        String engineering = TestData.unique("Engineering");
        String support = TestData.unique("Support");
        sso.grant("group", engineering);
        sso.map(engineering, "Engineering", false);
        sso.map(support, "Support", false);
        String email = sso.email(TestData.unique("okta"));
        String userId = "00u" + UUID.randomUUID().toString().replace("-", "").substring(0, 17);
        wireMock.stubFor(get(urlPathEqualTo("/api/v1/users/" + email.replace("@", "%40")))
                .withHeader("Authorization", equalTo("SSWS " + apiToken))
                .willReturn(okJson("{\"id\":\"" + userId + "\",\"status\":\"ACTIVE\",\"profile\":{\"login\":\""
                        + email + "\",\"email\":\"" + email + "\"}}")));
        wireMock.stubFor(get(urlPathEqualTo("/api/v1/users/" + userId + "/groups"))
                .withQueryParam("after", com.github.tomakehurst.wiremock.client.WireMock.absent())
                .willReturn(okJson("[{\"id\":\"00g1\",\"type\":\"OKTA_GROUP\",\"profile\":{\"name\":\"" + engineering
                        + "\"}}]").withHeader("Link", "<" + base + "/api/v1/users/" + userId
                        + "/groups?after=00g1&limit=1>; rel=\"next\"")));
        wireMock.stubFor(get(urlPathEqualTo("/api/v1/users/" + userId + "/groups"))
                .withQueryParam("after", equalTo("00g1"))
                .willReturn(okJson("[{\"id\":\"00g2\",\"type\":\"OKTA_GROUP\",\"profile\":{\"name\":\"" + support
                        + "\"}}]")));

        TestIdp.Spec spec = TestIdp.okta(sso.spec(), email, "Ok", "Ta");
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SamlBrowser.Page page = sso.login(browser, spec);
        assertThat(page.location()).as(page.location()).endsWith("/");
        assertThat(teamNames(sso, email)).containsExactlyInAnyOrder("Engineering", "Support");
    }

    /**
     * When the Okta API fails (here it resets the connection; an Okta that does not answer within the client's
     * timeout fails the same way, {@code OktaApiTimeoutTest}), the person is still signed in, with their groups
     * unknown: the teams SSO gave them stay as they were, none taken away.
     */
    @Test
    void whenTheOktaApiFailsThePersonSignsInAndKeepsTheirTeams() {
        String base = "https://localhost:" + wireMock.httpsPort();
        String apiToken = "okta-token-" + UUID.randomUUID();
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of("okta",
                Map.of("orgUrl", base, "apiToken", apiToken)));
        teams.create(sso.org.id(), "Engineering", null, Actor.system("test"));
        String engineering = TestData.unique("Engineering");
        sso.grant("domain", sso.domain);
        sso.map(engineering, "Engineering", false);
        String email = sso.email(TestData.unique("okta"));
        String userPath = "/api/v1/users/" + email.replace("@", "%40");
        String userId = "00u" + UUID.randomUUID().toString().replace("-", "").substring(0, 17);
        wireMock.stubFor(get(urlPathEqualTo(userPath)).withHeader("Authorization", equalTo("SSWS " + apiToken))
                .willReturn(okJson("{\"id\":\"" + userId + "\",\"status\":\"ACTIVE\",\"profile\":{\"login\":\""
                        + email + "\"}}")));
        wireMock.stubFor(get(urlPathEqualTo("/api/v1/users/" + userId + "/groups"))
                .willReturn(okJson("[{\"id\":\"00g1\",\"type\":\"OKTA_GROUP\",\"profile\":{\"name\":\"" + engineering
                        + "\"}}]")));
        SamlBrowser.Page first = sso.login(new SamlBrowser(api.baseUrl()), TestIdp.okta(sso.spec(), email, "Ok", "Ta"));
        assertThat(first.location()).as(first.location()).endsWith("/");
        assertThat(teamNames(sso, email)).containsExactly("Engineering");

        wireMock.stubFor(get(urlPathEqualTo(userPath))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SamlBrowser.Page second = sso.login(browser, TestIdp.okta(sso.spec(), email, "Ok", "Ta"));

        assertThat(second.location()).as(second.location()).endsWith("/");
        assertThat(SsoFixture.signedIn(browser)).isTrue();
        assertThat(teamNames(sso, email)).containsExactly("Engineering");
    }

    @Test
    void anOktaGroupMappedByItsIdReadsByTheNameTheOktaApiGives() {
        String base = "https://localhost:" + wireMock.httpsPort();
        String apiToken = "okta-token-" + UUID.randomUUID();
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of("okta",
                Map.of("orgUrl", base, "apiToken", apiToken)));
        teams.create(sso.org.id(), "Engineering", null, Actor.system("test"));
        String groupId = "00g" + UUID.randomUUID().toString().replace("-", "").substring(0, 17);
        String name = TestData.unique("Platform engineers");
        wireMock.stubFor(get(urlPathEqualTo("/api/v1/groups/" + groupId))
                .withHeader("Authorization", equalTo("SSWS " + apiToken))
                .willReturn(okJson("{\"id\":\"" + groupId + "\",\"type\":\"OKTA_GROUP\",\"profile\":{\"name\":\""
                        + name + "\"}}")));
        sso.map(groupId, "Engineering", false);
        // A group name is the value itself: nothing is asked of Okta for it.
        sso.map("Support", "Engineering", false);

        TestApi.Response mappings = api.get(sso.org.admin().token(), sso.org.api("/sso-connections/" + sso.id()
                + "/group-mappings"));
        Map<String, String> names = new java.util.HashMap<>();
        mappings.json().path("items").forEach(m -> names.put(m.path("groupValue").asText(),
                m.hasNonNull("groupDisplayName") ? m.path("groupDisplayName").asText() : null));
        assertThat(names).containsEntry(groupId, name).containsEntry("Support", null);
        wireMock.verify(0, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                urlPathEqualTo("/api/v1/groups/Support")));
    }

    private Set<String> teamNames(SsoFixture sso, String email) {
        Member member = members.list(sso.org.id(), new MemberReads.MemberFilter(email, null, null, null),
                PageQuery.of(0, 5)).items().get(0);
        return member.teams().stream().map(TeamGrant::teamName).collect(Collectors.toSet());
    }
}
