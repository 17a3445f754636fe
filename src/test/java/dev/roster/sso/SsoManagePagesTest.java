package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.TeamGrant;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.PageQuery;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.StrictCsp;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;
import dev.roster.sso.access.SsoAccessService;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.saml.Certificates;

/**
 * The single sign-on pages over plain HTTP: admins only, one organization's connections and domains never reachable
 * through another's, CSRF, grants and mappings that change nothing until applied, and test logins that sign nobody
 * in.
 */
@RosterIntegrationTest
class SsoManagePagesTest {

    private static final Actor SETUP = Actor.system("test setup");

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    SsoAccessService access;
    @Autowired
    TeamService teams;
    @Autowired
    MemberReads members;
    @Autowired
    AuditLog audit;

    @Test
    void everyPageIsForAdminsOnlyAndRendersUnderTheStrictPolicy() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        TestData.Person member = data.member(sso.org, false);
        String base = "/orgs/" + sso.org.slug() + "/manage/sso";
        List<String> pages = List.of(base, base + "/new", base + "/connections/" + sso.id(),
                base + "/connections/" + sso.id() + "/access");
        TestSession admin = signedIn(sso.org.admin());
        TestSession plainMember = signedIn(member);
        TestSession anonymous = new TestSession(api.baseUrl());

        for (String page : pages) {
            TestSession.Page shown = admin.get(page);
            assertThat(shown.status()).as(page).isEqualTo(200);
            StrictCsp.assertRespectedBy(shown.body());
            TestSession.Page refused = plainMember.get(page);
            assertThat(refused.status()).as(page).isEqualTo(403);
            assertThat(refused.body()).as(page).contains("Only admins of this organization can do this.");
            assertThat(anonymous.get(page).location()).as(page).endsWith("/login");
        }
        String access = base + "/connections/" + sso.id() + "/access";
        TestSession.Page preview = admin.submit(access, base + "/connections/" + sso.id() + "/grants",
                Map.of("kind", "domain", "value", sso.domain));
        assertThat(preview.status()).isEqualTo(200);
        StrictCsp.assertRespectedBy(preview.body());
        assertThat(preview.body()).contains("What this change does", "name=\"confirmed\" value=\"yes\"");
    }

    @Test
    void anotherOrganizationsConnectionsAndDomainsAreNotFoundThroughThisOne() {
        SsoFixture mine = SsoFixture.create(api, data, domains, "okta", Map.of());
        SsoFixture theirs = SsoFixture.create(api, data, domains, "entra", Map.of());
        teams.create(theirs.org.id(), "Secret", null, SETUP);
        theirs.map("their-group", "Secret", false);
        UUID theirMapping = access.mappings(theirs.org.id(), UUID.fromString(theirs.id())).get(0).id();
        UUID theirDomain = domains.list(theirs.org.id()).get(0).id();
        TestSession admin = signedIn(mine.org.admin());
        String base = "/orgs/" + mine.org.slug() + "/manage/sso";
        String theirConnection = base + "/connections/" + theirs.id();

        assertThat(admin.get(theirConnection).status()).isEqualTo(404);
        assertThat(admin.get(theirConnection + "/access").status()).isEqualTo(404);
        assertThat(admin.submit(base, theirConnection + "/grants", Map.of("kind", "email", "value",
                "spy@example.test", "confirmed", "yes")).status()).isEqualTo(404);
        assertThat(admin.submit(base, theirConnection + "/mappings/" + theirMapping + "/remove",
                Map.of("confirmed", "yes")).status()).isEqualTo(404);
        assertThat(admin.submit(base, base + "/connections/" + mine.id() + "/mappings/" + theirMapping + "/remove",
                Map.of("confirmed", "yes")).status()).isEqualTo(404);
        assertThat(admin.submit(base, theirConnection + "/delete", Map.of("confirmed", "yes")).status())
                .isEqualTo(404);
        assertThat(admin.submit(base, base + "/domains/" + theirDomain + "/remove", Map.of("confirmed", "yes"))
                .status()).isEqualTo(404);
        assertThat(admin.submit(base, theirConnection + "/test", Map.of()).status()).isEqualTo(404);

        assertThat(access.grants(theirs.org.id(), UUID.fromString(theirs.id()))).isEmpty();
        assertThat(access.mappings(theirs.org.id(), UUID.fromString(theirs.id()))).hasSize(1);
        assertThat(domains.list(theirs.org.id())).hasSize(1);
    }

    @Test
    void formsWithoutTheCsrfTokenAreRefused() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        TestSession admin = signedIn(sso.org.admin());

        TestSession.Page refused = admin.send("POST", "/orgs/" + sso.org.slug() + "/manage/sso/connections/" + sso.id()
                + "/grants?kind=email&value=forged%40example.test&confirmed=yes", "/css/roster.css");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(access.grants(sso.org.id(), UUID.fromString(sso.id()))).isEmpty();
    }

    @Test
    void aMappingIsPreviewedWithThePeopleItMovesAndChangesNothingUntilApplied() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        teams.create(sso.org.id(), "Platform", null, SETUP);
        sso.grant("domain", sso.domain);
        signIn(sso, "ada", "Ada", "Lovelace", "Engineering", "Everyone");
        signIn(sso, "grace", "Grace", "Hopper", "Design", "Everyone");
        TestSession admin = signedIn(sso.org.admin());
        String page = "/orgs/" + sso.org.slug() + "/manage/sso/connections/" + sso.id();

        TestSession.Page preview = admin.submit(page + "/access", page + "/mappings",
                Map.of("group", "Engineering", "team", "Platform"));

        assertThat(preview.status()).isEqualTo(200);
        assertThat(preview.body()).contains("When they next sign in through Okta, this change will add 1 person to "
                + "Platform.", "Ada Lovelace", sso.email("ada")).doesNotContain("Grace Hopper");
        assertThat(access.mappings(sso.org.id(), UUID.fromString(sso.id()))).isEmpty();

        TestSession.Page applied = admin.submit(page + "/access", page + "/mappings",
                Map.of("group", "Engineering", "team", "Platform", "admin", "false", "confirmed", "yes"));
        assertThat(applied.status()).isEqualTo(302);
        assertThat(access.mappings(sso.org.id(), UUID.fromString(sso.id()))).singleElement()
                .satisfies(m -> assertThat(m.teamName()).isEqualTo("Platform"));

        // Ada's next sign-in puts her in the team; the removal's preview then says she would leave it.
        signIn(sso, "ada", "Ada", "Lovelace", "Engineering", "Everyone");
        assertThat(teamsOf(sso, "ada")).containsExactly("Platform");
        UUID mapping = access.mappings(sso.org.id(), UUID.fromString(sso.id())).get(0).id();
        TestSession.Page removal = admin.submit(page + "/access", page + "/mappings/" + mapping + "/remove", Map.of());
        assertThat(removal.body()).contains("this change will remove 1 person from Platform", "Ada Lovelace");
        assertThat(access.mappings(sso.org.id(), UUID.fromString(sso.id()))).hasSize(1);
    }

    @Test
    void aGrantIsPreviewedWithThePeopleItWouldLetIn() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SamlBrowser.Page refused = sso.login(browser, TestIdp.okta(sso.spec(), sso.email("linus"), "Linus",
                "Torvalds", "Contractors"));
        assertThat(refused.location()).contains("/sso/error?reason=no-grant");
        TestSession admin = signedIn(sso.org.admin());
        String page = "/orgs/" + sso.org.slug() + "/manage/sso/connections/" + sso.id();

        TestSession.Page byGroup = admin.submit(page + "/access", page + "/grants",
                Map.of("kind", "group", "value", "Contractors"));
        TestSession.Page byOtherGroup = admin.submit(page + "/access", page + "/grants",
                Map.of("kind", "group", "value", "Staff"));

        assertThat(byGroup.body()).contains("let 1 person join the organization", sso.email("linus"));
        assertThat(byOtherGroup.body()).doesNotContain(sso.email("linus"))
                .contains("whom this grant would have let in");
        assertThat(access.grants(sso.org.id(), UUID.fromString(sso.id()))).isEmpty();
    }

    @Test
    void aTestLoginShowsWhatTheIdentityProviderAssertedAndSignsNobodyIn() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        teams.create(sso.org.id(), "Platform", null, SETUP);
        sso.grant("domain", sso.domain);
        sso.map("Engineering", "Platform", false);
        TestSession admin = signedIn(sso.org.admin());
        String page = "/orgs/" + sso.org.slug() + "/manage/sso/connections/" + sso.id();

        TestSession.Page started = admin.submit(page, page + "/test", Map.of());
        assertThat(started.status()).isEqualTo(302);
        assertThat(started.location()).contains(page + "/tests/").endsWith("?start");
        TestSession.Page waiting = admin.get(started.location().substring(started.location().indexOf("/orgs/")));
        assertThat(waiting.status()).isEqualTo(200);
        StrictCsp.assertRespectedBy(waiting.body());
        assertThat(waiting.body()).contains("Waiting for your identity provider");
        Matcher login = Pattern.compile("href=\"/saml2/authenticate/[^?\"]+\\?([^\"]+)\"")
                .matcher(waiting.body());
        assertThat(login.find()).isTrue();
        String query = login.group(1).replace("&amp;", "&");
        SamlBrowser tab = new SamlBrowser(api.baseUrl());
        SsoFixture.Started request = sso.start(tab, query);
        TestIdp.Spec spec = TestIdp.okta(sso.spec(), sso.email("ada"), "Ada", "Lovelace", "Engineering");
        spec.inResponseTo = request.request().getID();
        String response = sso.idp.response(spec);
        SamlBrowser.Page answered = sso.post(tab, response, request.relayState());

        assertThat(answered.status()).isEqualTo(302);
        assertThat(answered.location()).contains(page + "/tests/");
        assertThat(SsoFixture.signedIn(tab)).isFalse();
        TestSession.Page result = admin.get(answered.location().substring(answered.location().indexOf("/orgs/")));
        assertThat(result.status()).isEqualTo(200);
        StrictCsp.assertRespectedBy(result.body());
        assertThat(result.body()).contains("Roster would sign in " + sso.email("ada"), "They would join Platform",
                "Engineering", "firstName");
        assertThat(members.list(sso.org.id(), new MemberReads.MemberFilter(sso.email("ada"), null, null, null),
                PageQuery.of(0, 5)).items()).isEmpty();
        assertThat(audit.find(sso.org.id(), new AuditQuery(null, null, null, "sso.test-login", null, null, null),
                PageQuery.of(0, 5)).items()).hasSize(1);

        // The answer cannot be used again, neither as a test nor as a sign-in, and nobody else sees the result.
        assertThat(sso.post(new SamlBrowser(api.baseUrl()), response, request.relayState()).location())
                .contains("/sso/error");
        TestData.Person otherAdmin = data.member(sso.org, true);
        assertThat(signedIn(otherAdmin).get(answered.location().substring(answered.location().indexOf("/orgs/")))
                .status()).isEqualTo(404);
    }

    @Test
    void deletingAConnectionAsksOnAPageOfItsOwnUntilConfirmed() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        TestSession admin = signedIn(sso.org.admin());
        String page = "/orgs/" + sso.org.slug() + "/manage/sso/connections/" + sso.id();

        TestSession.Page asked = admin.submit(page, page + "/delete", Map.of());

        assertThat(asked.status()).isEqualTo(200);
        StrictCsp.assertRespectedBy(asked.body());
        assertThat(asked.body()).contains("Delete Okta?", "name=\"confirmed\" value=\"yes\"");
        assertThat(admin.get(page).status()).isEqualTo(200);

        TestSession.Page deleted = admin.submit(page, page + "/delete", Map.of("confirmed", "yes"));
        assertThat(deleted.status()).isEqualTo(302);
        assertThat(admin.get(page).status()).isEqualTo(404);
    }

    @Test
    void aSigningCertificateCloseToExpiryIsFlaggedOnTheConnectionAndInTheList() {
        TestIdp expiring = new TestIdp(TestData.unique("expiring"), Certificates.generate("test-idp-expiring",
                Instant.now().minus(Duration.ofDays(300)), Instant.now().plus(Duration.ofDays(10)), 2048));
        SsoFixture sso = SsoFixture.create(api, data, domains, "generic", Map.of(), expiring);
        TestSession admin = signedIn(sso.org.admin());
        String base = "/orgs/" + sso.org.slug() + "/manage/sso";

        String connection = admin.get(base + "/connections/" + sso.id()).body();
        String list = admin.get(base).body();

        assertThat(connection).contains("Expires soon", "The IdP signing certificate "
                + Certificates.fingerprint(expiring.certificate) + " expires on");
        assertThat(list).contains("Renew soon", "1 warning");
    }

    private void signIn(SsoFixture sso, String local, String first, String last, String... groups) {
        SamlBrowser.Page done = sso.login(new SamlBrowser(api.baseUrl()),
                TestIdp.okta(sso.spec(), sso.email(local), first, last, groups));
        assertThat(done.status()).as(done.body()).isEqualTo(302);
        assertThat(done.location()).doesNotContain("/sso/error");
    }

    private List<String> teamsOf(SsoFixture sso, String local) {
        Member member = members.list(sso.org.id(), new MemberReads.MemberFilter(sso.email(local), null, null, null),
                PageQuery.of(0, 5)).items().get(0);
        return member.teams().stream().map(TeamGrant::teamName).toList();
    }

    private TestSession signedIn(TestData.Person person) {
        TestSession session = new TestSession(api.baseUrl());
        assertThat(session.signIn(person.email(), TestData.PASSWORD).location()).doesNotContain("error");
        return session;
    }
}
