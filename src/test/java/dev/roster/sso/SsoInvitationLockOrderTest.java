package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.MembershipStatus;
import dev.roster.shared.Actor;
import dev.roster.shared.EmailAddress;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.test.LockRace;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;

/**
 * A SAML sign-in that accepts an invitation locks the invitation before the membership, the order of every acceptance
 * (the link, a SCIM directory's): it reads the member's row once, locked, and the acceptance joins on it, so it must
 * take the invitation's lock before that read. Made to meet for certain, as in {@code SsoAdminWithdrawalsRaceTest}:
 * another transaction holds the invitation (as an acceptance does first) while a removed member signs in with it;
 * once the sign-in waits for it, that transaction locks the member's row, as the acceptance would next. Had the
 * sign-in locked the row first, the two would wait for each other and PostgreSQL would end one of them.
 */
@RosterIntegrationTest
class SsoInvitationLockOrderTest {

    private static final Pattern LINK = Pattern.compile("/invitations/accept\\?token=([A-Za-z0-9_\\-]+)");
    private static final Pattern SSO_LINK = Pattern.compile("href=\"(/saml2/authenticate/[^\"]+)\"");
    private static final Actor SETUP = Actor.system("test setup");

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
    DataSource dataSource;

    @Test
    void aSignInAcceptingAnInvitationLocksTheInvitationBeforeTheMembership() throws Exception {
        LockRace.assumePostgres();
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of("enforceSso", true));
        String email = sso.email("returning");
        Account account = accounts.create(new EmailAddress(email), "Re Turning", null, SETUP);
        Membership removed = memberships.join(sso.org.id(), account, MembershipService.Join.of(MembershipSource.INVITATION),
                SETUP);
        memberships.remove(sso.org.id(), removed.id(), SETUP);
        TestApi.Response invite = api.post(sso.org.admin().token(), sso.org.api("/invitations"),
                Map.of("emails", List.of(email), "admin", false));
        assertThat(invite.status()).as(invite.body()).isIn(200, 201);
        Matcher link = LINK.matcher(TestMailbox.await(email, 1).get(0).text());
        assertThat(link.find()).isTrue();
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        Matcher ssoLink = SSO_LINK.matcher(browser.get("/invitations/accept?token=" + link.group(1)).body());
        assertThat(ssoLink.find()).isTrue();
        String loginPath = ssoLink.group(1).replace("&amp;", "&");
        SsoFixture.Started started = sso.start(browser, loginPath.substring(loginPath.indexOf('?') + 1));
        TestIdp.Spec spec = TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), email, "Re", "Turning");
        spec.inResponseTo = started.request().getID();
        String response = sso.idp.response(spec);

        CompletableFuture<SamlBrowser.Page> signIn;
        try (Connection acceptance = dataSource.getConnection()) {
            acceptance.setAutoCommit(false);
            LockRace.lock(acceptance, "SELECT id FROM invitation WHERE organization_id = ? AND pending_email = ? FOR UPDATE",
                    sso.org.id(), EmailAddress.normalize(email));
            long xid = LockRace.currentTransaction(acceptance);
            signIn = CompletableFuture.supplyAsync(() -> sso.post(browser, response, started.relayState()));
            LockRace.awaitWaiterOn(dataSource, xid, "the sign-in");
            // What an acceptance locks next: the sign-in must not be holding it.
            LockRace.lock(acceptance, "SELECT id FROM membership WHERE organization_id = ? AND id = ? FOR UPDATE",
                    sso.org.id(), removed.id());
            acceptance.rollback();
        }
        SamlBrowser.Page page = signIn.get();
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        assertThat(SsoFixture.signedIn(browser)).isTrue();
        assertThat(members.find(sso.org.id(), removed.id()).orElseThrow().status())
                .isEqualTo(MembershipStatus.ACTIVE);
    }
}
