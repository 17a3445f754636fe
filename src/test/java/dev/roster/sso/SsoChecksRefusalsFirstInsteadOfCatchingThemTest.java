package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.roster.account.AccountService;
import dev.roster.audit.AuditEvent;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipService;
import dev.roster.shared.Actor;
import dev.roster.shared.PageQuery;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;
import dev.roster.sso.access.SsoDomainService;

/**
 * Finding 4 of issue 10, single sign-on's side: the sign-in caught {@code LastAdminException} thrown inside the
 * transactional membership service, and the invitation handler caught the exception of the invitation's preview.
 * Spring had marked the sign-in's transaction rollback-only by then, so its commit failed: a 500 where Roster meant
 * "they stay admin" or "this invitation is no longer valid". The rule: a call that may refuse is asked first (an
 * outcome, an Optional), never caught inside the outer transaction. Real signed SAML responses over real HTTP.
 */
@RosterIntegrationTest
class SsoChecksRefusalsFirstInsteadOfCatchingThemTest {

    private static final Pattern LINK = Pattern.compile("/invitations/accept\\?token=([A-Za-z0-9_\\-]+)");
    private static final Pattern SSO_LINK = Pattern.compile("href=\"(/saml2/authenticate/[^\"]+)\"");
    private static final String ADMINS = "5f0c7a1e-admins";

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    MembershipService memberships;
    @Autowired
    MemberReads members;
    @Autowired
    AuditLog audit;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    AccountService accounts;

    @Test
    void theLastAdminWhoLeavesTheIdpsAdminGroupIsSignedInAndStaysAdminWithTheReasonAudited() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of());
        sso.grant("domain", sso.domain);
        sso.map(ADMINS, null, true);
        String email = sso.email(TestData.unique("it-lead"));
        String objectId = UUID.randomUUID().toString();
        SamlBrowser first = new SamlBrowser(api.baseUrl());
        assertThat(sso.login(first, TestIdp.entra(sso.spec(), objectId, email, "It", "Lead", ADMINS)).status())
                .isEqualTo(302);
        Membership lead = members.findByAccount(sso.org.id(), accounts.findByEmail(email).orElseThrow().id())
                .orElseThrow();
        assertThat(lead.admin()).isTrue();
        // The organization's first admin steps down: the IdP's admin is the last one.
        memberships.setAdmin(sso.org.id(), sso.org.adminMembership().id(), false, Actor.system("test"));

        SamlBrowser later = new SamlBrowser(api.baseUrl());
        SamlBrowser.Page signedIn = sso.login(later, TestIdp.entra(sso.spec(), objectId, email, "It", "Lead"));

        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(302);
        assertThat(signedIn.location()).doesNotContain("/sso/error");
        assertThat(SsoFixture.signedIn(later)).isTrue();
        assertThat(members.find(sso.org.id(), lead.id()).orElseThrow().admin()).isTrue();
        AuditEvent kept = latest(sso.org.id(), "member.admin-kept");
        assertThat(kept.after().path("reason").asText()).isEqualTo("last-admin");
        assertThat(kept.after().path("detail").asText()).contains("last active admin");
        assertThat(latest(sso.org.id(), "sso.signed-in")).isNotNull();

        // With another admin, the IdP's word counts again at the next sign-in.
        memberships.setAdmin(sso.org.id(), sso.org.adminMembership().id(), true, Actor.system("test"));
        assertThat(sso.login(new SamlBrowser(api.baseUrl()),
                TestIdp.entra(sso.spec(), objectId, email, "It", "Lead")).status()).isEqualTo(302);
        assertThat(members.find(sso.org.id(), lead.id()).orElseThrow().admin()).isFalse();
    }

    @Test
    void aSignInWithAnExpiredInvitationGetsTheInvitationPageNotA500() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of("enforceSso", true));
        Invited invited = invite(sso, "late");
        Start started = startAccepting(sso, invited.token());
        jdbc.sql("UPDATE invitation SET expires_at = ? WHERE id = ?")
                .params(Timestamp.from(Instant.now().minus(Duration.ofMinutes(1))), invited.id()).update();

        SamlBrowser.Page answer = finish(sso, started, invited.email());

        assertRefusedWithThePage(started.browser(), answer);
        assertThat(accounts.findByEmail(invited.email())).as("nobody signed in, nothing created").isEmpty();
    }

    @Test
    void aSignInWithARevokedInvitationGetsTheInvitationPageNotA500() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of("enforceSso", true));
        Invited invited = invite(sso, "withdrawn");
        Start started = startAccepting(sso, invited.token());
        assertThat(api.post(sso.org.admin().token(), sso.org.api("/invitations/" + invited.id() + "/revoke"), null)
                .status()).isEqualTo(200);

        SamlBrowser.Page answer = finish(sso, started, invited.email());

        assertRefusedWithThePage(started.browser(), answer);
        assertThat(accounts.findByEmail(invited.email())).as("nobody signed in, nothing created").isEmpty();
    }

    private record Invited(String email, UUID id, String token) {
    }

    private record Start(SamlBrowser browser, SsoFixture.Started started) {
    }

    private Invited invite(SsoFixture sso, String local) {
        String email = sso.email(TestData.unique(local));
        TestApi.Response invite = api.post(sso.org.admin().token(), sso.org.api("/invitations"),
                Map.of("emails", List.of(email), "teams", List.of(), "admin", false));
        assertThat(invite.status()).as(invite.body()).isIn(200, 201);
        UUID id = UUID.fromString(invite.json().path("results").get(0).path("invitationId").asText());
        Matcher link = LINK.matcher(TestMailbox.await(email, 1).get(0).text());
        assertThat(link.find()).isTrue();
        return new Invited(email, id, link.group(1));
    }

    /** The invitee follows the link to the acceptance page, which sends them to the IdP. */
    private Start startAccepting(SsoFixture sso, String token) {
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SamlBrowser.Page page = browser.get("/invitations/accept?token=" + token);
        Matcher ssoLink = SSO_LINK.matcher(page.body());
        assertThat(ssoLink.find()).as(page.body()).isTrue();
        String loginPath = ssoLink.group(1).replace("&amp;", "&");
        return new Start(browser, sso.start(browser, loginPath.substring(loginPath.indexOf('?') + 1)));
    }

    /** The IdP answers with a valid signed response for the invited address. */
    private SamlBrowser.Page finish(SsoFixture sso, Start start, String email) {
        TestIdp.Spec spec = TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), email, "In", "Vitee");
        spec.inResponseTo = start.started().request().getID();
        return sso.post(start.browser(), sso.idp.response(spec), start.started().relayState());
    }

    private static void assertRefusedWithThePage(SamlBrowser browser, SamlBrowser.Page answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(302);
        assertThat(answer.location()).endsWith("/sso/error?reason=invitation-invalid");
        SamlBrowser.Page page = browser.get("/sso/error?reason=invitation-invalid");
        assertThat(page.status()).isLessThan(500);
        assertThat(page.body()).contains("no longer valid");
        assertThat(SsoFixture.signedIn(browser)).isFalse();
    }

    private AuditEvent latest(UUID organizationId, String action) {
        List<AuditEvent> found = audit.find(organizationId, new AuditQuery(null, null, null, action, null, null, null),
                PageQuery.of(0, 1)).items();
        assertThat(found).as(action).isNotEmpty();
        return found.get(0);
    }
}
