package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.apitoken.ApiTokenService;
import dev.roster.audit.AuditEvent;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.GrantSource;
import dev.roster.shared.Actor;
import dev.roster.shared.EmailAddress;
import dev.roster.shared.PageQuery;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;
import dev.roster.sso.access.SsoDomainService;

/**
 * Finding 1 of issue 10, as the attacker tried it: the admin of one organization ("acme") grants an address of a
 * domain another organization ("beta") verified, and has acme's own IdP assert it. The rule: an organization's IdP
 * speaks only for addresses in domains that organization verified, or for addresses outside every other
 * organization's verified domains that an admin granted one by one; removing a grant stops the sign-ins that
 * depended on it; every refusal is audited in the organization that attempted it, and the domain's owner is told.
 * Everything over real HTTP with signed SAML responses.
 */
@RosterIntegrationTest
class NoOrganizationSignsInAnotherOrganizationsPeopleTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    AccountService accounts;
    @Autowired
    MembershipService memberships;
    @Autowired
    MemberReads members;
    @Autowired
    ApiTokenService tokens;
    @Autowired
    AuditLog audit;
    @Autowired
    JdbcClient jdbc;

    /** beta: an organization with a verified domain and its admin at that domain. */
    private record Beta(SsoFixture sso, Account admin, String adminToken) {
    }

    private Beta beta() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of());
        Account admin = accounts.create(new EmailAddress(sso.email("admin")), "Beta Admin", TestData.PASSWORD,
                Actor.system("test"));
        memberships.join(sso.org.id(), admin.id(), new MembershipService.Join(true, MembershipSource.BOOTSTRAP,
                Set.of(), GrantSource.MANUAL), Actor.system("test"));
        return new Beta(sso, admin, tokens.create(admin.id(), "test", null, Actor.system("test")).secret());
    }

    @Test
    void anEmailGrantForAnAddressOfAnotherOrganizationsVerifiedDomainIsRefusedAndAudited() {
        Beta beta = beta();
        SsoFixture acme = SsoFixture.create(api, data, domains, "okta", Map.of());

        TestApi.Response refused = api.post(acme.org.admin().token(), grants(acme),
                Map.of("kind", "email", "value", beta.admin().email().toUpperCase()));

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().path("type").asText()).isEqualTo("urn:roster:problem:address-claimed");
        assertThat(refused.json().path("detail").asText()).contains(beta.sso().domain)
                .contains("another organization has verified");
        assertThat(refused.json().path("errors").path("value").asText()).isNotBlank();
        assertThat(api.get(acme.org.admin().token(), grants(acme)).json().path("items")).isEmpty();

        AuditEvent entry = latest(acme.org.id(), "sso.grant-refused");
        assertThat(entry.after().path("reason").asText()).isEqualTo("address-claimed");
        assertThat(entry.after().path("value").asText()).isEqualTo(beta.admin().email());
        assertThat(entry.actor()).isEqualTo(acme.org.admin().email());
    }

    @Test
    void anEmailGrantIsRefusedOnTheConnectionsPageTooWithTheReason() {
        Beta beta = beta();
        SsoFixture acme = SsoFixture.create(api, data, domains, "okta", Map.of());
        TestSession admin = new TestSession(api.baseUrl());
        admin.signIn(acme.org.admin().email(), TestData.PASSWORD);
        String page = "/orgs/" + acme.org.slug() + "/manage/sso/connections/" + acme.id() + "/access";

        TestSession.Page refused = admin.submit(page, page.replace("/access", "") + "/grants",
                Map.of("kind", "email", "value", beta.admin().email()));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains(beta.sso().domain + " is a domain another organization has verified");
        assertThat(api.get(acme.org.admin().token(), grants(acme)).json().path("items")).isEmpty();
        assertThat(latest(acme.org.id(), "sso.grant-refused").after().path("reason").asText())
                .isEqualTo("address-claimed");
    }

    @Test
    void domainGrantsAreOnlyForDomainsThisOrganizationVerified() {
        Beta beta = beta();
        SsoFixture acme = SsoFixture.create(api, data, domains, "okta", Map.of());
        String unverified = TestData.unique("gmail") + ".test";
        api.post(acme.org.admin().token(), acme.org.api("/sso-domains"), Map.of("domain", unverified));

        TestApi.Response othersDomain = api.post(acme.org.admin().token(), grants(acme),
                Map.of("kind", "domain", "value", beta.sso().domain));
        TestApi.Response claimedButUnverified = api.post(acme.org.admin().token(), grants(acme),
                Map.of("kind", "domain", "value", unverified));
        TestApi.Response own = api.post(acme.org.admin().token(), grants(acme),
                Map.of("kind", "domain", "value", acme.domain));

        assertThat(othersDomain.status()).as(othersDomain.body()).isEqualTo(400);
        assertThat(othersDomain.json().path("type").asText()).isEqualTo("urn:roster:problem:domain-not-verified");
        assertThat(othersDomain.json().path("detail").asText()).contains(beta.sso().domain);
        assertThat(claimedButUnverified.status()).as(claimedButUnverified.body()).isEqualTo(400);
        assertThat(claimedButUnverified.json().path("detail").asText()).contains(unverified)
                .contains("has not verified");
        assertThat(own.status()).as(own.body()).isEqualTo(201);
        assertThat(api.get(acme.org.admin().token(), grants(acme)).json().path("items").findValuesAsText("value"))
                .containsExactly(acme.domain);
        assertThat(audit.find(acme.org.id(), new AuditQuery(null, null, null, "sso.grant-refused", null, null, null),
                PageQuery.of(0, 10)).items()).hasSize(2);
    }

    @Test
    void anotherOrganizationsIdpAssertingAnAddressOfAVerifiedDomainSignsNobodyIn() {
        Beta beta = beta();
        SsoFixture acme = SsoFixture.create(api, data, domains, "okta", Map.of("idpInitiated", true));
        acme.grant("group", "Everyone");
        // The grant the finding created (201 before the rule), as it would be left in an upgraded database.
        jdbc.sql("""
                INSERT INTO sso_access_grant (id, organization_id, connection_id, kind, grant_value, created_at)
                VALUES (?, ?, ?, 'EMAIL', ?, ?)""")
                .params(UUID.randomUUID(), acme.org.id(), UUID.fromString(acme.id()), beta.admin().email(),
                        Timestamp.from(Instant.now())).update();

        SamlBrowser attacker = new SamlBrowser(api.baseUrl());
        SamlBrowser.Page answer = acme.login(attacker, TestIdp.okta(acme.spec(), beta.admin().email(), "Beta",
                "Admin", "Everyone"));

        assertThat(answer.location()).endsWith("/sso/error?reason=claimed-domain");
        SamlBrowser.Page explained = attacker.get(answer.location());
        assertThat(explained.status()).isEqualTo(403);
        assertThat(explained.body()).contains("another organization").contains("verified")
                .contains("cannot sign you in");
        assertThat(SsoFixture.signedIn(attacker)).isFalse();
        assertThat(attacker.get("/orgs/" + beta.sso().org.slug() + "/manage/members").status()).isNotEqualTo(200);
        assertThat(members.findByAccount(acme.org.id(), beta.admin().id())).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM sso_identity WHERE account_id = ?").param(beta.admin().id())
                .query(Integer.class).single()).isZero();

        // Unsolicited (IdP-initiated), the same answer.
        SamlBrowser unsolicited = new SamlBrowser(api.baseUrl());
        assertThat(acme.post(unsolicited, acme.idp.response(TestIdp.okta(acme.spec(), beta.admin().email(), "Beta",
                "Admin", "Everyone")), "/").location()).endsWith("/sso/error?reason=claimed-domain");
        assertThat(SsoFixture.signedIn(unsolicited)).isFalse();

        AuditEvent denied = latest(acme.org.id(), "sso.login-denied");
        assertThat(denied.after().path("reason").asText()).isEqualTo("claimed-domain");
        assertThat(denied.after().path("email").asText()).isEqualTo(beta.admin().email());
        AuditEvent told = latest(beta.sso().org.id(), "linking.claim-refused");
        assertThat(told.after().path("address").asText()).isEqualTo(beta.admin().email());
        assertThat(told.after().path("channel").asText()).isEqualTo("SSO");
        assertThat(told.after().path("organization").asText()).isEqualTo(acme.org.slug());
        assertThat(api.get(beta.adminToken(), "/api/v1/me").json().toString()).doesNotContain(acme.org.slug());
    }

    @Test
    void anAddressOfAnotherOrganizationsDomainIsNotProvisionedEitherWhenNobodyHasItYet() {
        Beta beta = beta();
        SsoFixture acme = SsoFixture.create(api, data, domains, "okta", Map.of());
        acme.grant("group", "Everyone");
        String newcomer = beta.sso().email(TestData.unique("newcomer"));

        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        assertThat(acme.login(browser, TestIdp.okta(acme.spec(), newcomer, "New", "Comer", "Everyone")).location())
                .endsWith("/sso/error?reason=claimed-domain");

        assertThat(accounts.findByEmail(newcomer)).isEmpty();
        assertThat(SsoFixture.signedIn(browser)).isFalse();
    }

    @Test
    void removingAnEmailGrantStopsTheSignInsThatDependedOnItAndTheMemberStays() {
        SsoFixture acme = SsoFixture.create(api, data, domains, "okta", Map.of());
        String contractor = TestData.uniqueEmail("contractor");
        acme.grant("email", contractor);
        assertThat(signIn(acme, contractor)).endsWith("/");
        UUID accountId = accounts.findByEmail(contractor).orElseThrow().id();
        assertThat(signIn(acme, contractor)).endsWith("/");

        String grantId = api.get(acme.org.admin().token(), grants(acme)).json().path("items").get(0).path("id")
                .asText();
        assertThat(api.delete(acme.org.admin().token(), grants(acme) + "/" + grantId).status()).isEqualTo(204);

        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        assertThat(acme.login(browser, TestIdp.okta(acme.spec(), contractor, "Con", "Tractor")).location())
                .endsWith("/sso/error?reason=unverified-domain");
        assertThat(SsoFixture.signedIn(browser)).isFalse();
        assertThat(members.findByAccount(acme.org.id(), accountId).orElseThrow().status())
                .isEqualTo(MembershipStatus.ACTIVE);
        assertThat(latest(acme.org.id(), "sso.login-denied").after().path("reason").asText())
                .isEqualTo("unverified-domain");
    }

    @Test
    void aLinkMadeThroughAGrantStopsWhenAnotherOrganizationVerifiesTheDomain() {
        SsoFixture acme = SsoFixture.create(api, data, domains, "okta", Map.of());
        String domain = TestData.unique("later") + ".test";
        String person = "someone@" + domain;
        acme.grant("email", person);
        assertThat(signIn(acme, person)).endsWith("/");

        TestData.Org owner = data.org();
        UUID domainId = UUID.fromString(api.post(owner.admin().token(), owner.api("/sso-domains"),
                Map.of("domain", domain)).json().path("id").asText());
        domains.markVerifiedByOperator(owner.id(), domainId, Actor.system("test operator"));

        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        assertThat(acme.login(browser, TestIdp.okta(acme.spec(), person, "Some", "One")).location())
                .endsWith("/sso/error?reason=claimed-domain");
        assertThat(SsoFixture.signedIn(browser)).isFalse();
    }

    @Test
    void anIdpStillSignsInItsOwnVerifiedDomainsPeople() {
        Beta beta = beta();
        beta.sso().grant("domain", beta.sso().domain);
        String objectId = UUID.randomUUID().toString();
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SamlBrowser.Page page = beta.sso().login(browser, TestIdp.entra(beta.sso().spec(), objectId,
                beta.admin().email(), "Beta", "Admin"));
        assertThat(page.location()).as(page.body()).endsWith("/");
        assertThat(SsoFixture.signedIn(browser)).isTrue();
        assertThat(members.findByAccount(beta.sso().org.id(), beta.admin().id()).orElseThrow().admin()).isTrue();
    }

    private String signIn(SsoFixture sso, String email) {
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SamlBrowser.Page page = sso.login(browser, TestIdp.okta(sso.spec(), email, "Con", "Tractor"));
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        return page.location();
    }

    private static String grants(SsoFixture sso) {
        return sso.org.api("/sso-connections/" + sso.id() + "/grants");
    }

    private AuditEvent latest(UUID organizationId, String action) {
        List<AuditEvent> found = audit.find(organizationId, new AuditQuery(null, null, null, action, null, null,
                null), PageQuery.of(0, 1)).items();
        assertThat(found).as("an audit entry " + action).isNotEmpty();
        return found.get(0);
    }
}
