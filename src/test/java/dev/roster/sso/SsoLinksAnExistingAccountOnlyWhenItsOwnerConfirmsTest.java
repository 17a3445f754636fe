package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.roster.audit.AuditEvent;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.account.AccountService;
import dev.roster.membership.MemberReads;
import dev.roster.shared.PageQuery;
import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;
import dev.roster.test.TestTwoFactor;
import dev.roster.sso.access.SsoDomainService;

/**
 * The third way an organization may link an existing account: its owner proves the account is theirs and confirms
 * (Keycloak's first-broker-login confirmation). An organization's IdP naming an account outside the organization's
 * verified domains (an address an admin granted) signs nobody in until the person who owns that account, in the
 * browser the IdP signed in, is fully signed in to it (password and second factor, or a session they had) and
 * confirms. Over real HTTP, with signed SAML responses and the real sign-in pages.
 */
@RosterIntegrationTest
class SsoLinksAnExistingAccountOnlyWhenItsOwnerConfirmsTest {

    private static final Pattern RESET_LINK = Pattern.compile("https?://[^/\\s]+(/password-reset/choose\\?token=([A-Za-z0-9_-]+))");

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    AccountService accounts;
    @Autowired
    MemberReads members;
    @Autowired
    AuditLog audit;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MutableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void anIdpNamingAnExistingAccountWaitsUntilItsOwnerSignsInAndConfirms() {
        SsoFixture acme = SsoFixture.create(api, data, domains, "okta", Map.of());
        TestData.Person contractor = data.person("contractor");
        acme.grant("email", contractor.email());

        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SamlBrowser.Page waiting = acme.login(browser, spec(acme, contractor.email()));

        assertThat(waiting.location()).endsWith("/sso/link");
        assertThat(SsoFixture.signedIn(browser)).isFalse();
        assertThat(members.findByAccount(acme.org.id(), contractor.id())).isEmpty();
        assertThat(links(contractor.id())).isZero();
        assertThat(latest(acme.org.id(), "sso.link-requested").after().path("email").asText())
                .isEqualTo(contractor.email());

        SamlBrowser.Page asked = browser.get("/sso/link");
        assertThat(asked.status()).isEqualTo(200);
        assertThat(asked.body()).contains("Link your Roster account?", acme.org.organization().name(),
                "href=\"/account/sso-link\"", contractor.email()).doesNotContain("Link and sign in");

        SamlBrowser.Page toSignIn = browser.get("/account/sso-link");
        assertThat(toSignIn.location()).endsWith("/login");
        SamlBrowser.Page signedIn = browser.signIn(contractor.email(), TestData.PASSWORD);
        assertThat(signedIn.location()).contains("/account/sso-link");
        assertThat(browser.get("/account/sso-link").location()).endsWith("/sso/link");
        assertThat(browser.get("/sso/link").body()).contains("Link and sign in");
        assertThat(links(contractor.id())).as("signing in is not yet confirming").isZero();

        SamlBrowser.Page linked = browser.submit("/sso/link", "/sso/link", Map.of());

        assertThat(linked.location()).endsWith("/");
        assertThat(SsoFixture.signedIn(browser)).isTrue();
        assertThat(jdbc.sql("SELECT link_basis FROM sso_identity WHERE account_id = ?").param(contractor.id())
                .query(String.class).single()).isEqualTo("CONFIRMED");
        assertThat(members.findByAccount(acme.org.id(), contractor.id())).isPresent();
        assertThat(latest(acme.org.id(), "sso.identity-linked").after().path("basis").asText()).isEqualTo("CONFIRMED");
        assertThat(api.get(contractor.token(), "/api/v1/me/audit-events?action=account.sso-linked").json()
                .path("items")).hasSize(1);
        assertThat(browser.get("/sso/link").status()).as("the request is spent").isEqualTo(410);

        // From now on the IdP signs them in directly.
        SamlBrowser later = new SamlBrowser(api.baseUrl());
        assertThat(acme.login(later, spec(acme, contractor.email())).location()).endsWith("/");
        assertThat(SsoFixture.signedIn(later)).isTrue();
    }

    @Test
    void aPasswordAloneDoesNotConfirmForAnAccountWithASecondFactor() {
        SsoFixture acme = SsoFixture.create(api, data, domains, "okta", Map.of());
        TestData.Person contractor = data.person("twofactor");
        TestTwoFactor.Enrolled enrolled = TestTwoFactor.enrol(api, contractor.token(), clock);
        acme.grant("email", contractor.email());
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        assertThat(acme.login(browser, spec(acme, contractor.email())).location()).endsWith("/sso/link");

        browser.get("/account/sso-link");
        SamlBrowser.Page password = browser.signIn(contractor.email(), TestData.PASSWORD);
        assertThat(password.location()).as(password.status() + " " + password.body()).endsWith("/login/two-factor");
        assertThat(browser.get("/sso/link").body()).doesNotContain("Link and sign in");
        SamlBrowser.Page early = browser.submit("/sso/link", "/sso/link", Map.of());
        assertThat(early.status()).isEqualTo(403);
        assertThat(links(contractor.id())).isZero();

        SamlBrowser.Page secondFactor = browser.submit("/login/two-factor", "/login/two-factor",
                Map.of("code", TestTwoFactor.nextCode(enrolled.secret(), clock)));
        assertThat(secondFactor.location()).contains("/account/sso-link");
        assertThat(browser.submit("/sso/link", "/sso/link", Map.of()).location()).endsWith("/");
        assertThat(links(contractor.id())).isEqualTo(1);
    }

    @Test
    void aSessionTheOwnerHadAlreadyIsProofAndNobodyElsesSessionIs() {
        SsoFixture acme = SsoFixture.create(api, data, domains, "okta", Map.of());
        TestData.Person contractor = data.person("session");
        TestData.Person bystander = data.person("bystander");
        acme.grant("email", contractor.email());

        SamlBrowser someoneElse = new SamlBrowser(api.baseUrl());
        someoneElse.signIn(bystander.email(), TestData.PASSWORD);
        assertThat(acme.login(someoneElse, spec(acme, contractor.email())).location()).endsWith("/sso/link");
        assertThat(someoneElse.get("/sso/link").body()).contains("You are signed in as")
                .doesNotContain("Link and sign in");
        assertThat(someoneElse.submit("/sso/link", "/sso/link", Map.of()).status()).isEqualTo(403);
        assertThat(links(contractor.id())).isZero();

        SamlBrowser owner = new SamlBrowser(api.baseUrl());
        owner.signIn(contractor.email(), TestData.PASSWORD);
        assertThat(acme.login(owner, spec(acme, contractor.email())).location()).endsWith("/sso/link");
        assertThat(owner.get("/sso/link").body()).contains("Link and sign in");
        assertThat(owner.submit("/sso/link", "/sso/link", Map.of()).location()).endsWith("/");
        assertThat(links(contractor.id())).isEqualTo(1);
    }

    @Test
    void theWaitingSignInBelongsToTheBrowserThatMadeItAndCancellingLinksNothing() {
        SsoFixture acme = SsoFixture.create(api, data, domains, "okta", Map.of());
        TestData.Person contractor = data.person("cancel");
        acme.grant("email", contractor.email());
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        assertThat(acme.login(browser, spec(acme, contractor.email())).location()).endsWith("/sso/link");

        // The owner's own browser, signed in, never received the secret: nothing to confirm there.
        SamlBrowser owner = new SamlBrowser(api.baseUrl());
        owner.signIn(contractor.email(), TestData.PASSWORD);
        assertThat(owner.get("/sso/link").status()).isEqualTo(410);
        assertThat(owner.submit("/", "/sso/link", Map.of()).status()).isEqualTo(410);
        assertThat(links(contractor.id())).isZero();

        SamlBrowser.Page cancelled = browser.submit("/sso/link", "/sso/link/cancel", Map.of());
        assertThat(cancelled.body()).contains("Nothing was linked");
        assertThat(browser.get("/sso/link").status()).isEqualTo(410);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM sso_link_request WHERE account_id = ?").param(contractor.id())
                .query(Integer.class).single()).isZero();
    }

    @Test
    void aPasswordResetEndsTheLinksAnIdpMadeByCreatingTheAccountSoTheOwnerDecidesAgain() {
        SsoFixture acme = SsoFixture.create(api, data, domains, "okta", Map.of());
        // acme's IdP is first to name this address: it creates the account (the address's owner has none yet).
        String address = TestData.uniqueEmail("prehijack");
        acme.grant("email", address);
        assertThat(acme.login(new SamlBrowser(api.baseUrl()), spec(acme, address)).location()).endsWith("/");
        UUID accountId = accounts.findByEmail(address).orElseThrow().id();
        assertThat(jdbc.sql("SELECT link_basis FROM sso_identity WHERE account_id = ?").param(accountId)
                .query(String.class).single()).isEqualTo("NEW_ACCOUNT");

        // The owner of the mailbox claims the account the only way there is: a reset link to the address.
        SamlBrowser owner = new SamlBrowser(api.baseUrl());
        owner.submit("/password-reset", "/password-reset", Map.of("email", address));
        Matcher link = RESET_LINK.matcher(TestMailbox.await(address, 1).get(0).text());
        assertThat(link.find()).isTrue();
        SamlBrowser.Page reset = owner.submit(link.group(1), "/password-reset/choose", Map.of("token", link.group(2),
                "newPassword", "a brand new passphrase", "confirmPassword", "a brand new passphrase"));
        assertThat(reset.location()).endsWith("/login?passwordReset");

        SamlBrowser idp = new SamlBrowser(api.baseUrl());
        assertThat(acme.login(idp, spec(acme, address)).location()).as("the owner decides now").endsWith("/sso/link");
        assertThat(SsoFixture.signedIn(idp)).isFalse();
    }

    private static TestIdp.Spec spec(SsoFixture sso, String email) {
        TestIdp.Spec spec = TestIdp.okta(sso.spec(), email, "Con", "Tractor");
        return spec;
    }

    private int links(UUID accountId) {
        return jdbc.sql("SELECT COUNT(*) FROM sso_identity WHERE account_id = ?").param(accountId)
                .query(Integer.class).single();
    }

    private AuditEvent latest(UUID organizationId, String action) {
        List<AuditEvent> found = audit.find(organizationId, new AuditQuery(null, null, null, action, null, null,
                null), PageQuery.of(0, 1)).items();
        assertThat(found).as("an audit entry " + action).isNotEmpty();
        return found.get(0);
    }
}
