package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.account.AccountService;
import dev.roster.audit.AuditEvent;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.TeamGrant;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.PageQuery;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.sso.access.SsoDomainService;

/** Who SSO lets in and what it changes, over real HTTP with a test IdP. */
@RosterIntegrationTest
class SsoProvisioningTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    TeamService teams;
    @Autowired
    MembershipService memberships;
    @Autowired
    MemberReads members;
    @Autowired
    AccountService accounts;
    @Autowired
    AuditLog audit;

    @Test
    void oktaLoginMakesAdminsFromTheAdminGroupAndTakesBackOnlyWhatSsoGave() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        teams.create(sso.org.id(), "Support", null, Actor.system("test"));
        sso.grant("group", "Everyone");
        sso.map("Roster Admins", null, true);
        sso.map("Support Crew", "Support", false);
        String email = sso.email("grace");

        assertThat(login(sso, TestIdp.okta(sso.spec(), email, "Grace", "Hopper", "Everyone", "Roster Admins",
                "Support Crew"))).endsWith("/");
        Member member = member(sso, email).orElseThrow();
        assertThat(member.admin()).isTrue();
        assertThat(member.source()).isEqualTo(MembershipSource.SSO);
        assertThat(teamNames(member)).containsExactly("Support");

        assertThat(login(sso, TestIdp.okta(sso.spec(), email, "Grace", "Hopper", "Everyone"))).endsWith("/");
        Member demoted = member(sso, email).orElseThrow();
        assertThat(demoted.admin()).isFalse();
        assertThat(teamNames(demoted)).isEmpty();

        // An admin promoted by hand keeps the flag although the IdP never says so.
        String handMade = sso.email("linus");
        assertThat(login(sso, TestIdp.okta(sso.spec(), handMade, "Linus", "T", "Everyone"))).endsWith("/");
        Member linus = member(sso, handMade).orElseThrow();
        memberships.setAdmin(sso.org.id(), linus.id(), true,
                Actor.account(sso.org.admin().id(), sso.org.admin().email(), dev.roster.shared.Channel.API));
        assertThat(login(sso, TestIdp.okta(sso.spec(), handMade, "Linus", "T", "Everyone"))).endsWith("/");
        assertThat(member(sso, handMade).orElseThrow().admin()).isTrue();
    }

    @Test
    void idpInitiatedLoginProvisionsWhenTheConnectionAllowsIt() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of("idpInitiated", true));
        teams.create(sso.org.id(), "Research", null, Actor.system("test"));
        String research = UUID.randomUUID().toString();
        sso.grant("group", research);
        sso.map(research, "Research", false);
        String email = sso.email("marie");
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SamlBrowser.Page page = sso.post(browser, sso.idp.response(TestIdp.entra(sso.spec(),
                UUID.randomUUID().toString(), email, "Marie", "Curie", research)), "/orgs/" + sso.org.slug());
        assertThat(page.location()).isEqualTo(api.baseUrl() + "/orgs/" + sso.org.slug());
        assertThat(SsoFixture.signedIn(browser)).isTrue();
        assertThat(teamNames(member(sso, email).orElseThrow())).containsExactly("Research");
    }

    @Test
    void withoutAMatchingGrantNobodyIsProvisionedAndTheRefusalIsExplainedAndAudited() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of());
        sso.grant("group", UUID.randomUUID().toString());
        String email = sso.email("nogrant");
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SamlBrowser.Page page = sso.login(browser, TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), email,
                "No", "Grant", UUID.randomUUID().toString()));
        assertThat(page.location()).endsWith("/sso/error?reason=no-grant");
        SamlBrowser.Page explained = browser.get(page.location());
        assertThat(explained.status()).isEqualTo(403);
        assertThat(explained.body()).contains("has not granted you access");
        assertThat(SsoFixture.signedIn(browser)).isFalse();
        assertThat(member(sso, email)).isEmpty();
        AuditEvent denied = audit.find(sso.org.id(), new AuditQuery(null, null, null, "sso.login-denied", null, null,
                null), PageQuery.of(0, 5)).items().get(0);
        assertThat(denied.after().path("reason").asText()).isEqualTo("no-grant");
        assertThat(denied.after().path("email").asText()).isEqualTo(email);
    }

    @Test
    void suspendedAndRemovedMembersDoNotGetBackInThroughSso() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        sso.grant("domain", sso.domain);
        String suspended = sso.email("suspended");
        String removed = sso.email("removed");
        assertThat(login(sso, TestIdp.okta(sso.spec(), suspended, "S", "P"))).endsWith("/");
        assertThat(login(sso, TestIdp.okta(sso.spec(), removed, "R", "M"))).endsWith("/");
        Actor admin = Actor.account(sso.org.admin().id(), sso.org.admin().email(), dev.roster.shared.Channel.API);
        memberships.suspend(sso.org.id(), member(sso, suspended).orElseThrow().id(), admin);
        memberships.remove(sso.org.id(), member(sso, removed).orElseThrow().id(), admin);

        assertThat(login(sso, TestIdp.okta(sso.spec(), suspended, "S", "P"))).endsWith("/sso/error?reason=suspended");
        assertThat(login(sso, TestIdp.okta(sso.spec(), removed, "R", "M"))).endsWith("/sso/error?reason=removed");
        assertThat(member(sso, removed)).isEmpty();
    }

    @Test
    void anIdpCannotSpeakForAddressesOutsideTheOrganizationsVerifiedDomainsUnlessAnAdminNamedThem() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        sso.grant("group", "Everyone");
        // An existing account elsewhere: the IdP asserting its address must not take it over.
        TestData.Person outsider = data.person("outsider");
        assertThat(login(sso, TestIdp.okta(sso.spec(), outsider.email(), "Out", "Sider", "Everyone")))
                .endsWith("/sso/error?reason=unverified-domain");
        assertThat(members.findByAccount(sso.org.id(), outsider.id())).isEmpty();

        String contractor = TestData.uniqueEmail("contractor");
        sso.grant("email", contractor);
        assertThat(login(sso, TestIdp.okta(sso.spec(), contractor, "Con", "Tractor"))).endsWith("/");
        assertThat(member(sso, contractor)).isPresent();
    }

    @Test
    void aTransientNameIdIsNeverTakenForTheAddressAndTheUrnOidMailAttributeIsRead() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "generic", Map.of());
        sso.grant("domain", sso.domain);
        String email = sso.email("transient");
        TestIdp.Spec spec = sso.spec();
        spec.nameId = "_" + UUID.randomUUID();
        spec.nameIdFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
        spec.attribute("urn:oid:0.9.2342.19200300.100.1.3", email);
        assertThat(login(sso, spec)).endsWith("/");
        assertThat(member(sso, email)).isPresent();

        TestIdp.Spec noEmail = sso.spec();
        noEmail.nameId = sso.email("looks-like-mail");
        noEmail.nameIdFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
        assertThat(login(sso, noEmail)).endsWith("/sso/error?reason=unidentified");
        assertThat(accounts.findByEmail(noEmail.nameId)).isEmpty();
    }

    private String login(SsoFixture sso, TestIdp.Spec spec) {
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SamlBrowser.Page page = sso.login(browser, spec);
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        return page.location();
    }

    private Optional<Member> member(SsoFixture sso, String email) {
        return members.list(sso.org.id(), new MemberReads.MemberFilter(email, null, null, null),
                PageQuery.of(0, 5)).items().stream().findFirst();
    }

    private static Set<String> teamNames(Member member) {
        return member.teams().stream().map(TeamGrant::teamName).collect(Collectors.toSet());
    }
}
