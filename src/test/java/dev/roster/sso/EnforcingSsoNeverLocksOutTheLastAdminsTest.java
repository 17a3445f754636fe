package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.apitoken.ApiTokenService;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.shared.Actor;
import dev.roster.shared.EmailAddress;
import dev.roster.shared.PageQuery;
import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;
import dev.roster.test.TestSession;
import dev.roster.test.TestTwoFactor;
import dev.roster.sso.access.DomainVerification;
import dev.roster.sso.access.SsoBreakGlass;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.access.SsoDomains;
import dev.roster.sso.access.VerifiedDomain;
import dev.roster.sso.connection.EnforcementRefused;
import dev.roster.sso.connection.SsoConnectionRepository;

/**
 * Enforcing single sign-on never locks out the last admins: the organization's admins keep signing in with their
 * password and second factor (break-glass) although their IdP does not know them, unless the organization removes
 * that; removing it needs an admin who signs in through SSO; enforcing warns with the count of people who lose
 * password sign-in, and is refused when no admin could sign in afterwards. Real HTTP, the real sign-in form.
 */
@RosterIntegrationTest
class EnforcingSsoNeverLocksOutTheLastAdminsTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    AccountService accounts;
    @Autowired
    ApiTokenService tokens;
    @Autowired
    AuditLog audit;
    @Autowired
    MutableClock clock;

    @BeforeEach
    void resetClock() {
        clock.reset();
    }

    /**
     * The context and its clock are shared: TestTwoFactor.nextCode moves the clock on, and a later class would
     * otherwise run 30 seconds or more ahead until something reset it (SamlSecurityTest then read a refusal written
     * before its clock went back as the latest).
     */
    @AfterEach
    void putTheClockBack() {
        clock.reset();
    }

    /** A person at the organization's verified domain, with a password and an API token. */
    record Person(Account account, String token) {
    }

    private Person atDomain(SsoFixture sso, String local, boolean admin, boolean secondFactor) {
        Account account = accounts.create(new EmailAddress(sso.email(TestData.unique(local))), "Test " + local,
                TestData.PASSWORD, Actor.system("test"));
        String token = tokens.create(account.id(), "tests", null, Actor.system("test")).secret();
        data.join(sso.org, new TestData.Person(account, token), admin);
        Person person = new Person(account, token);
        if (secondFactor) {
            secrets.put(account.id().toString(), TestTwoFactor.enrol(api, token, clock).secret());
        }
        return person;
    }

    private final Map<String, String> secrets = new java.util.HashMap<>();

    private TestApi.Response enforce(SsoFixture sso, Integer accepted) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("enforceSso", true));
        if (accepted != null) {
            body.put("acceptPasswordSignInLoss", accepted);
        }
        return api.patch(sso.org.admin().token(), sso.org.api("/sso-connections/" + sso.id()), body);
    }

    /** Signs in on the real form; answers where the browser was sent. */
    private String passwordSignIn(Person person, String password) {
        return new TestSession(api.baseUrl()).signIn(person.account().email(), password).location();
    }

    private boolean signsInWithPasswordAndCode(Person person) {
        TestSession browser = new TestSession(api.baseUrl());
        String next = browser.signIn(person.account().email(), TestData.PASSWORD).location();
        if (next == null || !next.endsWith("/login/two-factor")) {
            return false;
        }
        TestSession.Page verified = browser.submit("/login/two-factor", "/login/two-factor",
                Map.of("code", TestTwoFactor.nextCode(secrets.get(person.account().id().toString()), clock)));
        return verified.location() != null && verified.location().endsWith("/") && browser.get("/").status() == 200;
    }

    @Test
    void anAdminTheIdpDoesNotKnowKeepsPasswordAndSecondFactorSignInAndTheWarningCountsTheOthers() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of());
        Person admin = atDomain(sso, "glass-admin", true, true);
        Person adminWithoutCode = atDomain(sso, "plain-admin", true, false);
        Person member = atDomain(sso, "member", false, false);
        Person memberWithCode = atDomain(sso, "coded-member", false, true);
        // Someone at the domain who belongs to no organization loses their password sign-in too.
        accounts.create(new EmailAddress(sso.email(TestData.unique("loner"))), "Lo Ner", TestData.PASSWORD,
                Actor.system("test"));

        TestApi.Response preview = api.get(sso.org.admin().token(), sso.org.api("/sso-settings"));
        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        assertThat(preview.json().path("adminBreakGlass").asBoolean()).isTrue();
        assertThat(preview.json().path("enforced").asBoolean()).isFalse();
        assertThat(preview.json().at("/enforcementImpact/losingPasswordSignIn").asLong()).isEqualTo(4);
        assertThat(preview.json().at("/enforcementImpact/adminsKeepingBreakGlass").asInt()).isEqualTo(1);
        assertThat(preview.json().at("/enforcementImpact/adminsWithoutSecondFactor").asInt()).isEqualTo(1);

        TestApi.Response unconfirmed = enforce(sso, null);
        assertThat(unconfirmed.status()).as(unconfirmed.body()).isEqualTo(409);
        assertThat(unconfirmed.contentType()).startsWith("application/problem+json");
        assertThat(unconfirmed.json().path("type").asText()).isEqualTo("urn:roster:problem:confirmation-required");
        assertThat(unconfirmed.json().path("losingPasswordSignIn").asLong()).isEqualTo(4);
        assertThat(unconfirmed.json().path("domains").get(0).asText()).isEqualTo(sso.domain);
        assertThat(passwordSignIn(member, TestData.PASSWORD)).doesNotContain("/sso/login");
        assertThat(enforce(sso, 3).status()).isEqualTo(409);
        TestApi.Response confirmed = enforce(sso, 4);
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.json().path("enforceSso").asBoolean()).isTrue();

        assertThat(signsInWithPasswordAndCode(admin)).isTrue();
        // The answer to a wrong password is the refusal everyone at the domain gets: it does not tell who is exempt.
        assertThat(passwordSignIn(admin, "not the password at all")).contains("/sso/login?required");
        assertThat(passwordSignIn(member, TestData.PASSWORD)).contains("/sso/login?required");
        assertThat(passwordSignIn(memberWithCode, TestData.PASSWORD)).contains("/sso/login?required");
        assertThat(passwordSignIn(adminWithoutCode, TestData.PASSWORD)).contains("/sso/login?required");

        // Once enforced, the preview says so and changes to other settings need no confirmation.
        assertThat(api.get(sso.org.admin().token(), sso.org.api("/sso-settings")).json().path("enforced").asBoolean())
                .isTrue();
        assertThat(api.patch(sso.org.admin().token(), sso.org.api("/sso-connections/" + sso.id()),
                Map.of("idpInitiated", true)).status()).isEqualTo(200);
    }

    @Test
    void withTheBreakGlassRemovedTheAdminCannotAndOnlyAnAdminWhoSignsInThroughSsoCanRemoveIt() throws Exception {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        Person admin = atDomain(sso, "glass-admin", true, true);
        assertThat(enforce(sso, 1).status()).isEqualTo(200);

        // Neither a password admin (whose session may be someone else's) nor anyone while no admin signs in through
        // SSO can take the way back away.
        for (String token : new String[] {sso.org.admin().token(), admin.token()}) {
            TestApi.Response refused = api.put(token, sso.org.api("/sso-settings"), Map.of("adminBreakGlass", false));
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.json().path("type").asText()).isEqualTo("urn:roster:problem:sso-sign-in-needed");
        }
        assertThat(signsInWithPasswordAndCode(admin)).isTrue();

        // An admin who signs in through the IdP.
        sso.grant("group", "Everyone");
        sso.map("Roster Admins", null, true);
        String ssoEmail = sso.email(TestData.unique("idp-admin"));
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        assertThat(sso.login(browser, TestIdp.okta(sso.spec(), ssoEmail, "Idp", "Admin", "Everyone", "Roster Admins"))
                .location()).endsWith("/");
        Account ssoAdmin = accounts.findByEmail(ssoEmail).orElseThrow();
        String ssoToken = tokens.create(ssoAdmin.id(), "tests", null, Actor.system("test")).secret();

        TestApi.Response removed = api.put(ssoToken, sso.org.api("/sso-settings"), Map.of("adminBreakGlass", false));
        assertThat(removed.status()).as(removed.body()).isEqualTo(200);
        assertThat(removed.json().path("adminBreakGlass").asBoolean()).isFalse();
        assertThat(audit.find(sso.org.id(), new AuditQuery(null, null, null, "sso.break-glass-changed", null, null, null),
                PageQuery.of(0, 5)).items()).hasSize(1);

        // Every admin is told, the one it concerns above all.
        String subject = "Removed: admins' password sign-in for " + sso.org.organization().name();
        assertThat(mailWithSubject(admin.account().email(), subject).text())
                .contains(ssoEmail + " removed the admins' password sign-in");
        mailWithSubject(sso.org.admin().email(), subject);

        assertThat(passwordSignIn(admin, TestData.PASSWORD)).contains("/sso/login?required");
        assertThat(signsInWithPasswordAndCode(admin)).isFalse();

        // The IdP's admin flag is the IdP's to withdraw (docs/decisions/0010): an admin's demotion is refused...
        TestApi.Response demoted = api.patch(admin.token(), sso.org.api("/members/" + membershipIdOf(sso, ssoAdmin)),
                Map.of("admin", false));
        assertThat(demoted.status()).as(demoted.body()).isEqualTo(409);
        assertThat(demoted.json().path("type").asText()).isEqualTo("urn:roster:problem:managed-by-directory");
        // ...but suspending them is not: while no active admin could sign in through SSO, the way back opens again
        // by itself.
        TestApi.Response suspended = api.post(admin.token(),
                sso.org.api("/members/" + membershipIdOf(sso, ssoAdmin) + "/suspend"), null);
        assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);
        assertThat(signsInWithPasswordAndCode(admin)).isTrue();
    }

    @Test
    void enforcingIsRefusedWhenNoAdminCouldSignInAfterwards() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of());
        Person admin = atDomain(sso, "only-admin", true, false);
        // The bootstrap admin (outside the domain) leaves: the only admin is at the domain, without a second factor.
        TestApi.Response left = api.delete(admin.token(), sso.org.api("/members/"
                + membershipIdOf(sso, sso.org.admin().account())));
        assertThat(left.status()).as(left.body()).isEqualTo(204);

        TestApi.Response refused = api.patch(admin.token(), sso.org.api("/sso-connections/" + sso.id()),
                Map.of("enforceSso", true, "acceptPasswordSignInLoss", 100));
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().path("type").asText()).isEqualTo("urn:roster:problem:enforcement-locks-out-admins");
        assertThat(refused.json().path("adminsSigningInAfterwards").asInt()).isZero();
        assertThat(api.get(admin.token(), sso.org.api("/sso-connections/" + sso.id())).json().path("enforceSso")
                .asBoolean()).isFalse();

        secrets.put(admin.account().id().toString(), TestTwoFactor.enrol(api, admin.token(), clock).secret());
        TestApi.Response enforced = api.patch(admin.token(), sso.org.api("/sso-connections/" + sso.id()),
                Map.of("enforceSso", true));
        assertThat(enforced.status()).as(enforced.body()).isEqualTo(200);
        assertThat(signsInWithPasswordAndCode(admin)).isTrue();
    }

    @Test
    void verifyingADomainWhileSsoIsEnforcedIsRefusedWhenNoAdminCouldSignInAfterwards(
            @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc,
            @Autowired org.springframework.transaction.support.TransactionTemplate transactions,
            @Autowired SsoBreakGlass breakGlass, @Autowired SsoConnectionRepository connectionRows) {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of("enforceSso", true));
        String acquired = TestData.unique("acquired") + ".test";
        Account account = accounts.create(new EmailAddress("only-admin@" + acquired), "Only Admin", TestData.PASSWORD,
                Actor.system("test"));
        Person admin = new Person(account, tokens.create(account.id(), "tests", null, Actor.system("test")).secret());
        data.join(sso.org, new TestData.Person(account, admin.token()), true);
        // The bootstrap admin leaves: the only admin is at a domain not verified yet, without a second factor.
        TestApi.Response left = api.delete(admin.token(), sso.org.api("/members/"
                + membershipIdOf(sso, sso.org.admin().account())));
        assertThat(left.status()).as(left.body()).isEqualTo(204);
        Map<String, java.util.List<String>> dns = new java.util.HashMap<>();
        SsoDomainService withDns = SsoDomains.withDns(jdbc, name -> dns.getOrDefault(name, java.util.List.of()),
                audit, clock);
        DomainVerification verification = SsoDomains.verification(withDns, breakGlass, connectionRows);
        VerifiedDomain claimed = transactions.execute(s -> withDns.claim(sso.org.id(), acquired, Actor.system("test")));
        dns.put(claimed.txtName(), java.util.List.of(claimed.txtRecord()));

        // Verified, the domain would take the last admin's password with everyone else's: no consent overrides that.
        assertThatThrownBy(() -> transactions.execute(s -> verification.verify(sso.org.id(), claimed.id(), 100L,
                Actor.system("test")))).isInstanceOfSatisfying(EnforcementRefused.class, ex -> assertThat(ex.code())
                .isEqualTo("enforcement-locks-out-admins"));
        assertThat(domains.isVerified(sso.org.id(), acquired)).isFalse();
        assertThat(passwordSignIn(admin, TestData.PASSWORD)).endsWith("/");

        secrets.put(account.id().toString(), TestTwoFactor.enrol(api, admin.token(), clock).secret());
        assertThat(transactions.execute(s -> verification.verify(sso.org.id(), claimed.id(), 0L,
                Actor.system("test"))).verified()).isTrue();
        assertThat(signsInWithPasswordAndCode(admin)).isTrue();
    }

    @Test
    void theConnectionPageWarnsWithTheCountBeforeEnforcingAndThePasswordAdminCannotRemoveTheWayBack() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "generic", Map.of());
        atDomain(sso, "member", false, false);
        atDomain(sso, "glass-admin", true, true);
        atDomain(sso, "other-member", false, true);
        TestSession browser = new TestSession(api.baseUrl());
        assertThat(browser.signIn(sso.org.admin().email(), TestData.PASSWORD).location()).endsWith("/");
        String page = "/orgs/" + sso.org.slug() + "/manage/sso/connections/" + sso.id();

        TestSession.Page asked = browser.submit(page, page, Map.of("name", "Corp IdP", "enabled", "true",
                "enforceSso", "true", "scimPolicy", "login_only", "confirmed", "yes"));
        assertThat(asked.status()).isEqualTo(200);
        assertThat(asked.body()).contains("2 people with a password at " + sso.domain + " will no longer be able to "
                + "sign in with it.").contains("1 admin keeps signing in with a password and second factor")
                .contains("name=\"acceptPasswordSignInLoss\" value=\"2\"");
        assertThat(api.get(sso.org.admin().token(), sso.org.api("/sso-connections/" + sso.id())).json()
                .path("enforceSso").asBoolean()).isFalse();

        TestSession.Page enforced = browser.submit(page, page, Map.of("name", "Corp IdP", "enabled", "true",
                "enforceSso", "true", "scimPolicy", "login_only", "confirmed", "yes", "acceptPasswordSignInLoss", "2"));
        assertThat(enforced.status()).as(enforced.body()).isEqualTo(302);
        assertThat(api.get(sso.org.admin().token(), sso.org.api("/sso-connections/" + sso.id())).json()
                .path("enforceSso").asBoolean()).isTrue();

        String overview = "/orgs/" + sso.org.slug() + "/manage/sso";
        assertThat(browser.get(overview).body()).contains("Admins' way back")
                .contains("Remove password sign-in for admins");
        TestSession.Page removal = browser.submit(overview, overview + "/break-glass",
                Map.of("adminBreakGlass", "false", "confirmed", "yes"));
        assertThat(removal.status()).isEqualTo(302);
        assertThat(browser.get(overview).body()).contains("Only an admin who signs in through single sign-on can "
                + "remove the admins");
        assertThat(api.get(sso.org.admin().token(), sso.org.api("/sso-settings")).json().path("adminBreakGlass")
                .asBoolean()).isTrue();
    }

    /** Waits up to 30 s for a message with this subject to reach the address. */
    private static TestMailbox.Mail mailWithSubject(String address, String subject) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            var found = TestMailbox.receivedBy(java.util.List.of(address)).stream()
                    .filter(mail -> mail.subject().equals(subject)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no mail '" + subject + "' to " + address + " within 30 s");
            }
            Thread.sleep(50); // the interval between looks at the mailbox, not a wait for the mail
        }
    }

    private String membershipIdOf(SsoFixture sso, Account account) {
        TestApi.Response list = api.get(sso.org.admin().token(), sso.org.api("/members?search="
                + java.net.URLEncoder.encode(account.email(), java.nio.charset.StandardCharsets.UTF_8)));
        if (list.status() != 200 || list.json().path("items").isEmpty()) {
            throw new AssertionError("no membership for " + account.email() + ": " + list.body());
        }
        return list.json().path("items").get(0).path("id").asText();
    }
}
