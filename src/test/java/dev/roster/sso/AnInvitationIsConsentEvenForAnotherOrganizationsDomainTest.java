package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.GrantSource;
import dev.roster.shared.Actor;
import dev.roster.shared.EmailAddress;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;
import dev.roster.sso.access.SsoDomainService;

/**
 * An organization may invite anyone, including an address of a domain another organization verified: the person
 * chooses, and accepting is their consent. Organization A verified its domain; B invites a person there. Accepting
 * makes them a member of B (with a password, or through A's identity provider where A enforces single sign-on),
 * and still gives B's own IdP no say over the address. Over real HTTP, with the invitation email from GreenMail.
 */
@RosterIntegrationTest
class AnInvitationIsConsentEvenForAnotherOrganizationsDomainTest {

    private static final Pattern LINK = Pattern.compile("/invitations/accept\\?token=([A-Za-z0-9_\\-]+)");
    private static final Pattern SSO_LINK = Pattern.compile("href=\"(/saml2/authenticate/[^\"]+)\"");

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

    @Test
    void bInvitesAPersonOfADomainAVerifiedAndTheyJoinBWhenTheyAccept() {
        SsoFixture a = SsoFixture.create(api, data, domains, "entra", Map.of());
        Account alice = accounts.create(new EmailAddress(a.email(TestData.unique("alice"))), "Alice A",
                TestData.PASSWORD, Actor.system("test"));
        memberships.join(a.org.id(), alice.id(), MembershipService.Join.of(MembershipSource.INVITATION),
                Actor.system("test"));
        SsoFixture b = SsoFixture.create(api, data, domains, "okta", Map.of());

        TestApi.Response invited = api.post(b.org.admin().token(), b.org.api("/invitations"),
                Map.of("emails", List.of(alice.email()), "teams", List.of(), "admin", false));
        assertThat(invited.status()).as(invited.body()).isIn(200, 201);
        assertThat(invited.json().path("results").get(0).path("result").asText()).isEqualTo("invited");
        assertThat(members.findByAccount(b.org.id(), alice.id())).as("nothing before she accepts").isEmpty();

        String token = token(TestMailbox.await(alice.email(), 1).get(0));
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        assertThat(browser.get("/invitations/accept?token=" + token).body()).contains("Sign in to accept");
        browser.get("/account/invitations/accept?token=" + token);
        browser.signIn(alice.email(), TestData.PASSWORD);
        SamlBrowser.Page accepted = browser.submit("/invitations/accept?token=" + token,
                "/account/invitations/accept", Map.of("token", token));

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(302);
        assertThat(members.findByAccount(b.org.id(), alice.id()).orElseThrow().status())
                .isEqualTo(MembershipStatus.ACTIVE);
        assertThat(members.findByAccount(a.org.id(), alice.id()).orElseThrow().status())
                .isEqualTo(MembershipStatus.ACTIVE);

        // Membership of B gives B's identity provider no say over an address of A's domain.
        b.grant("group", "Everyone");
        SamlBrowser throughB = new SamlBrowser(api.baseUrl());
        assertThat(b.login(throughB, TestIdp.okta(b.spec(), alice.email(), "Alice", "A", "Everyone")).location())
                .endsWith("/sso/error?reason=claimed-domain");
        assertThat(SsoFixture.signedIn(throughB)).isFalse();
    }

    @Test
    void whereADomainEnforcesSsoAnInviteeOfAnotherOrganizationAcceptsThroughTheDomainsIdp() {
        SsoFixture a = SsoFixture.create(api, data, domains, "entra", Map.of("enforceSso", true));
        SsoFixture b = SsoFixture.create(api, data, domains, "okta", Map.of());
        String invitee = a.email(TestData.unique("newcomer"));
        TestApi.Response invited = api.post(b.org.admin().token(), b.org.api("/invitations"),
                Map.of("emails", List.of(invitee), "teams", List.of(), "admin", false));
        assertThat(invited.status()).as(invited.body()).isIn(200, 201);
        String token = token(TestMailbox.await(invitee, 1).get(0));

        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SamlBrowser.Page page = browser.get("/invitations/accept?token=" + token);
        assertThat(page.body()).contains("Accept with single sign-on");
        Matcher ssoLink = SSO_LINK.matcher(page.body());
        assertThat(ssoLink.find()).isTrue();
        String loginPath = ssoLink.group(1).replace("&amp;", "&");
        assertThat(loginPath).as("the domain's own IdP").startsWith("/saml2/authenticate/" + a.id());

        SsoFixture.Started started = a.start(browser, loginPath.substring(loginPath.indexOf('?') + 1));
        TestIdp.Spec spec = TestIdp.entra(a.spec(), UUID.randomUUID().toString(), invitee, "New", "Comer");
        spec.inResponseTo = started.request().getID();
        SamlBrowser.Page done = a.post(browser, a.idp.response(spec), started.relayState());

        assertThat(done.status()).as(done.body()).isEqualTo(302);
        assertThat(done.location()).doesNotContain("/sso/error");
        assertThat(SsoFixture.signedIn(browser)).isTrue();
        Account account = accounts.findByEmail(invitee).orElseThrow();
        assertThat(members.findByAccount(b.org.id(), account.id()).orElseThrow().source())
                .isEqualTo(MembershipSource.INVITATION);
        assertThat(members.findByAccount(a.org.id(), account.id())).as("A granted nobody anything").isEmpty();
        assertThat(api.get(b.org.admin().token(), b.org.api("/invitations?status=accepted")).json().path("items")
                .findValuesAsText("email")).contains(invitee);
    }

    @Test
    void anotherOrganizationsIdpCannotUseAnInvitationToSpeakForADomainItDoesNotHold() {
        SsoFixture a = SsoFixture.create(api, data, domains, "entra", Map.of());
        SsoFixture b = SsoFixture.create(api, data, domains, "okta", Map.of());
        Account alice = accounts.create(new EmailAddress(a.email(TestData.unique("alice"))), "Alice A",
                TestData.PASSWORD, Actor.system("test"));
        memberships.join(a.org.id(), alice.id(), new MembershipService.Join(true, MembershipSource.BOOTSTRAP,
                Set.of(), GrantSource.MANUAL), Actor.system("test"));
        api.post(b.org.admin().token(), b.org.api("/invitations"),
                Map.of("emails", List.of(alice.email()), "teams", List.of(), "admin", false));
        String token = token(TestMailbox.await(alice.email(), 1).get(0));

        // B's admin has the invitee's link (a forwarded mail, say) and runs it through B's own IdP.
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SsoFixture.Started started = b.start(browser, "invitation=" + token);
        TestIdp.Spec spec = TestIdp.okta(b.spec(), alice.email(), "Alice", "A");
        spec.inResponseTo = started.request().getID();
        assertThat(b.post(browser, b.idp.response(spec), started.relayState()).location())
                .endsWith("/sso/error?reason=claimed-domain");
        assertThat(SsoFixture.signedIn(browser)).isFalse();
        assertThat(members.findByAccount(b.org.id(), alice.id())).isEmpty();
    }

    private static String token(TestMailbox.Mail mail) {
        Matcher matcher = LINK.matcher(mail.text());
        assertThat(matcher.find()).as(mail.text()).isTrue();
        return matcher.group(1);
    }
}
