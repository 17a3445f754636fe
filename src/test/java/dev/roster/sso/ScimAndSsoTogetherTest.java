package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.TeamService;
import dev.roster.membership.GrantSource;
import dev.roster.shared.Actor;
import dev.roster.shared.PageQuery;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.sso.access.SsoDomainService;

/**
 * An organization provisioned by a SCIM directory and signing in through SAML, both over real HTTP: SCIM owns who is
 * a member, SSO only signs those people in, and a user the directory deactivated stays out.
 */
@RosterIntegrationTest
class ScimAndSsoTogetherTest {

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

    @Test
    void ssoSignsInOnlyWhomTheDirectoryProvisionedAndNotOnceItDeactivatedThem() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of());
        sso.grant("domain", sso.domain);
        TestApi.Response directory = api.post(sso.org.admin().token(), sso.org.api("/scim-directories"),
                Map.of("name", "Entra provisioning", "kind", "entra"));
        assertThat(directory.status()).as(directory.body()).isEqualTo(201);
        String scimToken = directory.json().path("token").asText();

        String stranger = sso.email("stranger");
        SamlBrowser refused = new SamlBrowser(api.baseUrl());
        sso.login(refused, TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), stranger, "Stray", "Person"));
        assertThat(SsoFixture.signedIn(refused)).as("not provisioned by the directory").isFalse();

        String known = sso.email("known");
        TestApi.Response created = api.send(scimToken, "POST", "/scim/v2/Users", Map.of(
                "schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"),
                "userName", known, "active", true,
                "emails", List.of(Map.of("value", known, "type", "work", "primary", true))),
                Map.of("Content-Type", "application/scim+json"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String userId = created.json().path("id").asText();

        SamlBrowser allowed = new SamlBrowser(api.baseUrl());
        String objectId = UUID.randomUUID().toString();
        sso.login(allowed, TestIdp.entra(sso.spec(), objectId, known, "Known", "Person"));
        assertThat(SsoFixture.signedIn(allowed)).as("provisioned by the directory").isTrue();

        TestApi.Response deactivated = api.send(scimToken, "PATCH", "/scim/v2/Users/" + userId, Map.of(
                "schemas", List.of("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
                "Operations", List.of(Map.of("op", "Replace", "path", "active", "value", "False"))),
                Map.of("Content-Type", "application/scim+json"));
        assertThat(deactivated.status()).as(deactivated.body()).isIn(200, 204);

        SamlBrowser afterwards = new SamlBrowser(api.baseUrl());
        sso.login(afterwards, TestIdp.entra(sso.spec(), objectId, known, "Known", "Person"));
        assertThat(SsoFixture.signedIn(afterwards)).as("deactivated by the directory").isFalse();
        assertThat(allowed.get("/orgs/" + sso.org.slug()).status()).as("the earlier session lost the organization")
                .isEqualTo(403);
    }

    @Test
    void aGroupMappedForScimAlsoMapsThatGroupsSignInsSoAdminsMapItOnce() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of("scimPolicy", "provision"));
        sso.grant("domain", sso.domain);
        teams.create(sso.org.id(), "Engineering", null, Actor.system("test"));
        TestApi.Response directory = api.post(sso.org.admin().token(), sso.org.api("/scim-directories"),
                Map.of("name", "Entra provisioning", "kind", "entra"));
        String scimToken = directory.json().path("token").asText();
        String groupObjectId = UUID.randomUUID().toString();
        TestApi.Response group = api.send(scimToken, "POST", "/scim/v2/Groups", Map.of(
                "schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:Group"),
                "displayName", TestData.unique("Engineers"), "externalId", groupObjectId),
                Map.of("Content-Type", "application/scim+json"));
        assertThat(group.status()).as(group.body()).isEqualTo(201);
        TestApi.Response mapping = api.post(sso.org.admin().token(),
                sso.org.api("/scim-directories/" + directory.json().path("id").asText() + "/group-mappings"),
                Map.of("group", Map.of("by", "externalId", "value", groupObjectId), "teams", List.of("Engineering"),
                        "admin", false));
        assertThat(mapping.status()).as(mapping.body()).isEqualTo(201);

        String email = sso.email("engineer");
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        sso.login(browser, TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), email, "Grace", "Hopper",
                groupObjectId));

        assertThat(SsoFixture.signedIn(browser)).isTrue();
        Member member = members.list(sso.org.id(), new MemberReads.MemberFilter(email, null, null, null),
                PageQuery.of(0, 5)).items().get(0);
        assertThat(member.teams()).singleElement().satisfies(grant -> {
            assertThat(grant.teamName()).isEqualTo("Engineering");
            assertThat(grant.sources()).containsExactly(GrantSource.SSO);
        });
    }
}
