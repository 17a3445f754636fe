package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.opensaml.saml.saml2.core.LogoutRequest;
import org.opensaml.saml.saml2.core.LogoutResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.util.HtmlUtils;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;
import dev.roster.test.TestSession;
import dev.roster.sso.access.SsoDomainService;

/** Single logout with an IdP whose metadata offers it, both ways. */
@RosterIntegrationTest
class SingleLogoutTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;

    private static final Pattern CONTINUE = Pattern.compile("<a class=\"button\" href=\"([^\"]+)\">Continue</a>");

    @Test
    void signingOutOfRosterContinuesAtTheIdpWithASignedLogoutRequest() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        sso.grant("domain", sso.domain);
        assertThat(sso.connection.path("sloUrl").asText()).endsWith("/logout/saml2/slo/" + sso.id());
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        TestIdp.Spec spec = TestIdp.okta(sso.spec(), sso.email(TestData.unique("slo")), "S", "LO");
        assertThat(sso.login(browser, spec).location()).endsWith("/");

        String csrf = TestSession.csrfToken(browser.get("/sso/login").body());
        SamlBrowser.Page out = browser.post("/logout", Map.of("_csrf", csrf));
        // A page that moves on to the IdP, not a redirect (form-action 'self' would hold a form's redirect).
        assertThat(out.status()).isEqualTo(200);
        Matcher link = CONTINUE.matcher(out.body());
        assertThat(link.find()).as(out.body()).isTrue();
        SamlBrowser.Page continueAt = new SamlBrowser.Page(200, HtmlUtils.htmlUnescape(link.group(1)), "");
        assertThat(continueAt.location()).startsWith(sso.idp.sloUrl + "?");
        Map<String, String> query = continueAt.locationQuery();
        assertThat(query).containsKeys("SAMLRequest", "SigAlg", "Signature");
        LogoutRequest request = (LogoutRequest) TestIdp.redirectMessage(query.get("SAMLRequest"));
        assertThat(request.getNameID().getValue()).isEqualTo(spec.nameId);
        assertThat(request.getIssuer().getValue()).isEqualTo(sso.spEntityId());
        assertThat(request.getSessionIndexes()).isNotEmpty();
        assertThat(SsoFixture.signedIn(browser)).isFalse();

        // The IdP's signed answer, with the RelayState it was given, lands on the sign-in page; an unsigned one does
        // not confirm the logout (SingleLogoutInteropTest has every refusal).
        String answer = sso.idp.logoutResponse(sso.connection.path("sloUrl").asText(), request.getID());
        SamlBrowser.Page unsigned = browser.get("/logout/saml2/slo/" + sso.id() + "?SAMLResponse="
                + URLEncoder.encode(answer, StandardCharsets.UTF_8));
        assertThat(unsigned.location()).contains("/sso/error?reason=logout-unconfirmed");
        SamlBrowser.Page back = browser.get("/logout/saml2/slo/" + sso.id() + "?" + TestIdp.signedRedirectQuery(
                "SAMLResponse", answer, query.get("RelayState"), sso.idp.key));
        assertThat(back.location()).endsWith("/login?signedOut");
    }

    @Test
    void aLogoutRequestFromTheIdpEndsTheSessionInThisBrowserAndIsAnswered() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of());
        sso.grant("domain", sso.domain);
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        String email = sso.email(TestData.unique("idpslo"));
        assertThat(sso.login(browser, TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), email, "I", "S"))
                .location()).endsWith("/");
        assertThat(SsoFixture.signedIn(browser)).isTrue();

        String slo = "/logout/saml2/slo/" + sso.id() + "?";
        String sloUrl = sso.connection.path("sloUrl").asText();
        SamlBrowser.Page answered = browser.get(slo + sso.idp.signedLogoutRequestQuery(sloUrl, email, sso.idp.key));
        assertThat(answered.location()).startsWith(sso.idp.sloUrl + "?");
        LogoutResponse response = (LogoutResponse) TestIdp.redirectMessage(answered.locationQuery().get("SAMLResponse"));
        assertThat(response.getStatus().getStatusCode().getValue()).endsWith(":Success");
        assertThat(SsoFixture.signedIn(browser)).isFalse();
    }

    @Test
    void aValidLogoutRequestLeavesAPasswordSessionInTheSameBrowserAlone() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        TestData.Person person = data.person("password-slo");
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        String csrf = TestSession.csrfToken(browser.get("/login").body());
        browser.post("/login", Map.of("email", person.email(), "password", TestData.PASSWORD, "_csrf", csrf));
        assertThat(SsoFixture.signedIn(browser)).isTrue();

        SamlBrowser.Page answered = browser.get("/logout/saml2/slo/" + sso.id() + "?" + sso.idp
                .signedLogoutRequestQuery(sso.connection.path("sloUrl").asText(), person.email(), sso.idp.key));

        assertThat(answered.location()).as("the IdP's chain goes on").startsWith(sso.idp.sloUrl + "?");
        assertThat(SsoFixture.signedIn(browser)).isTrue();
    }

    @Test
    void aLogoutRequestThatIsUnsignedSignedByAnotherKeyOrForSomeoneElseSignsNobodyOut() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        sso.grant("domain", sso.domain);
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        String email = sso.email(TestData.unique("forged-slo"));
        assertThat(sso.login(browser, TestIdp.okta(sso.spec(), email, "F", "S")).location()).endsWith("/");
        String slo = "/logout/saml2/slo/" + sso.id() + "?";
        String sloUrl = sso.connection.path("sloUrl").asText();
        TestIdp attacker = new TestIdp(TestData.unique("attacker"));

        List<String> forged = List.of(
                "SAMLRequest=" + URLEncoder.encode(sso.idp.logoutRequest(sloUrl, email), StandardCharsets.UTF_8),
                sso.idp.signedLogoutRequestQuery(sloUrl, email, attacker.key),
                sso.idp.signedLogoutRequestQuery(sloUrl, sso.email("someone-else"), sso.idp.key),
                sso.idp.signedLogoutRequestQuery("https://elsewhere.test/slo", email, sso.idp.key));
        for (String query : forged) {
            SamlBrowser.Page refused = browser.get(slo + query);
            assertThat(refused.location()).as(query).endsWith("/").doesNotStartWith(sso.idp.sloUrl);
            assertThat(SsoFixture.signedIn(browser)).as("still signed in after " + query).isTrue();
        }
    }
}
