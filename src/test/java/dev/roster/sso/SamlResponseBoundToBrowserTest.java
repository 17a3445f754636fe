package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.roster.account.AccountService;
import dev.roster.audit.AuditEvent;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.shared.PageQuery;
import dev.roster.shared.SecretToken;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.saml.SpUrls;

/**
 * Login CSRF: a SAML response answers the browser that started the sign-in, and no other. The attacker signs in at
 * the IdP as themselves, captures the signed response and its RelayState, and makes a victim's browser post them
 * (an auto-submitting form on any site): without the rule the victim is signed in to Roster as the attacker, and
 * whatever they enter lands in the attacker's account. Starting the sign-in sets a short-lived binding cookie whose
 * hash is stored with the pending AuthnRequest; the ACS accepts a response to that request only from a browser that
 * presents the cookie.
 */
@RosterIntegrationTest
class SamlResponseBoundToBrowserTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    AccountService accounts;
    @Autowired
    AuditLog audit;
    @Autowired
    JdbcClient jdbc;

    private static SsoFixture shared;

    private SsoFixture sso() {
        if (shared == null) {
            shared = SsoFixture.create(api, data, domains, "entra", Map.of());
            shared.grant("domain", shared.domain);
        }
        return shared;
    }

    private SamlBrowser browser() {
        return new SamlBrowser(api.baseUrl());
    }

    private static TestIdp.Spec person(SsoFixture sso, String email, SsoFixture.Started answering) {
        TestIdp.Spec spec = TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), email, "Mallory", "Attacker");
        spec.inResponseTo = answering.request().getID();
        return spec;
    }

    @Test
    void aResponseCapturedInOneBrowserAndPostedFromAnotherIsRefusedAndCreatesNoSession() {
        SsoFixture sso = sso();
        SamlBrowser attacker = browser();
        SsoFixture.Started started = sso.start(attacker, null);
        String email = sso.email(TestData.unique("mallory"));
        String captured = sso.idp.response(person(sso, email, started));

        SamlBrowser victim = browser();
        SamlBrowser.Page posted = sso.post(victim, captured, started.relayState());

        assertThat(posted.status()).as(posted.body()).isEqualTo(302);
        assertThat(posted.location()).contains("/sso/error?reason=other-browser");
        assertThat(posted.setCookie("SESSION")).as("no session is created").isEmpty();
        assertThat(victim.cookie("SESSION")).isEmpty();
        assertThat(SsoFixture.signedIn(victim)).isFalse();
        assertThat(accounts.findByEmail(email)).as("nobody is provisioned").isEmpty();
        assertThat(latestRefusal(sso).after().toString()).contains("another browser");
        assertThat(victim.get(posted.location()).body()).contains("started in another browser");

        // The attempt spent nothing: the browser that asked still signs in with its answer.
        SamlBrowser.Page own = sso.post(attacker, captured, started.relayState());
        assertThat(own.location()).isEqualTo(api.baseUrl() + "/");
        assertThat(SsoFixture.signedIn(attacker)).isTrue();
    }

    @Test
    void aBrowserWithABindingOfItsOwnCannotUseAnotherBrowsersResponse() {
        SsoFixture sso = sso();
        SamlBrowser attacker = browser();
        SsoFixture.Started attackersStart = sso.start(attacker, null);
        String captured = sso.idp.response(person(sso, sso.email(TestData.unique("mallory")), attackersStart));

        SamlBrowser victim = browser();
        sso.start(victim, null);
        assertThat(victim.cookie(SsoFixture.BINDING_COOKIE)).isPresent();
        SamlBrowser.Page posted = sso.post(victim, captured, attackersStart.relayState());

        assertThat(posted.location()).contains("/sso/error?reason=other-browser");
        assertThat(SsoFixture.signedIn(victim)).isFalse();
    }

    @Test
    void theBindingIsAShortLivedHttpOnlyCookieOfWhichOnlyAHashIsStored() {
        SsoFixture sso = sso();
        SamlBrowser browser = browser();
        SamlBrowser.Page redirect = browser.get(SpUrls.AUTHENTICATE_PATH + sso.id());
        String setCookie = redirect.setCookie(SsoFixture.BINDING_COOKIE).orElseThrow();
        // roster.base-url is plain HTTP in the tests: the documented development fallback (HTTPS is tested in
        // SsoOnHttpsBaseUrlTest).
        assertThat(setCookie).contains("HttpOnly").contains("Path=/").contains("Max-Age=600")
                .doesNotContain("Secure").doesNotContain("SameSite");
        String value = browser.cookie(SsoFixture.BINDING_COOKIE).orElseThrow();
        assertThat(value).hasSizeGreaterThanOrEqualTo(43);
        String relayState = redirect.locationQuery().get("RelayState");
        String stored = jdbc.sql("SELECT browser_binding FROM sso_authn_request WHERE relay_state = ?")
                .param(relayState).query(String.class).single();
        assertThat(stored).isEqualTo(SecretToken.sha256Hex(value)).isNotEqualTo(value);

        // A second sign-in in another tab of the same browser keeps the binding, so both answers are accepted.
        SsoFixture.Started first = new SsoFixture.Started(TestIdp.authnRequest(redirect.locationQuery()
                .get("SAMLRequest")), relayState);
        SsoFixture.Started second = sso.start(browser, null);
        assertThat(browser.cookie(SsoFixture.BINDING_COOKIE)).contains(value);
        assertThat(sso.post(browser, sso.idp.response(person(sso, sso.email(TestData.unique("tab")), second)),
                second.relayState()).location()).isEqualTo(api.baseUrl() + "/");
        SamlBrowser.Page firstTab = sso.post(browser, sso.idp.response(person(sso, sso.email(TestData.unique("tab")),
                first)), first.relayState());
        assertThat(firstTab.location()).isEqualTo(api.baseUrl() + "/");
    }

    @Test
    void idpInitiatedSignInStaysPossibleWhereTheConnectionAllowsItAndIsSpentOnce() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of("idpInitiated", true));
        sso.grant("domain", sso.domain);
        String unsolicited = sso.idp.response(TestIdp.okta(sso.spec(), sso.email(TestData.unique("idp")), "I", "P"));
        SamlBrowser browser = browser();
        assertThat(sso.post(browser, unsolicited, null).location()).isEqualTo(api.baseUrl() + "/");
        assertThat(SsoFixture.signedIn(browser)).isTrue();
        SamlBrowser other = browser();
        assertThat(sso.post(other, unsolicited, null).location()).contains("/sso/error?reason=replayed");
        assertThat(SsoFixture.signedIn(other)).isFalse();

        // A response that answers a request is still bound to its browser, IdP-initiated sign-in or not.
        SamlBrowser starter = browser();
        SsoFixture.Started started = sso.start(starter, null);
        TestIdp.Spec spec = TestIdp.okta(sso.spec(), sso.email(TestData.unique("solicited")), "S", "O");
        spec.inResponseTo = started.request().getID();
        SamlBrowser victim = browser();
        assertThat(sso.post(victim, sso.idp.response(spec), started.relayState()).location())
                .contains("/sso/error?reason=other-browser");
        assertThat(SsoFixture.signedIn(victim)).isFalse();
    }

    private AuditEvent latestRefusal(SsoFixture sso) {
        return audit.find(sso.org.id(), new AuditQuery(null, null, null, null, null, null, null), PageQuery.of(0, 20))
                .items().stream().filter(e -> e.action().startsWith("sso.login-"))
                .findFirst().orElseThrow(() -> new AssertionError("no refusal audited"));
    }
}
