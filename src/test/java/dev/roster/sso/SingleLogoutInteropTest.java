package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
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
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.saml.Certificates;

/**
 * Single logout as IdPs check it: Roster's redirect-binding signatures verified by an independent verifier that
 * rebuilds the signed octets in the bindings specification's order ({@link RedirectSignatures}, OpenSAML's trust
 * engine), and the IdP's LogoutResponse to Roster's own LogoutRequest validated: signature, InResponseTo, Destination,
 * and only once.
 */
@RosterIntegrationTest
class SingleLogoutInteropTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;

    private static final Pattern CONTINUE = Pattern.compile("<a class=\"button\" href=\"([^\"]+)\">Continue</a>");

    private static X509Certificate spCertificate(SsoFixture sso) {
        return Certificates.parseCertificate(sso.connection.path("spCertificate").asText(), "sp");
    }

    /** A signed-in browser's sign-out: the URL of the LogoutRequest Roster sends it on with. */
    private static String signOut(SsoFixture sso, SamlBrowser browser) {
        assertThat(sso.login(browser, TestIdp.okta(sso.spec(), sso.email(TestData.unique("slo")), "S", "L"))
                .location()).endsWith("/");
        String csrf = TestSession.csrfToken(browser.get("/sso/login").body());
        SamlBrowser.Page out = browser.post("/logout", Map.of("_csrf", csrf));
        Matcher link = CONTINUE.matcher(out.body());
        assertThat(link.find()).as(out.body()).isTrue();
        return HtmlUtils.htmlUnescape(link.group(1));
    }

    private SsoFixture connection() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        sso.grant("domain", sso.domain);
        return sso;
    }

    @Test
    void rostersLogoutRequestIsSignedOverTheSpecificationsByteOrder() {
        SsoFixture sso = connection();
        String url = signOut(sso, new SamlBrowser(api.baseUrl()));
        assertThat(url).startsWith(sso.idp.sloUrl + "?");
        assertThat(RedirectSignatures.parameterOrder(url))
                .containsExactly("SAMLRequest", "RelayState", "SigAlg", "Signature");
        assertThat(RedirectSignatures.valid(url, spCertificate(sso), sso.spEntityId())).isTrue();
        // The verifier is not a rubber stamp: another key does not verify.
        assertThat(RedirectSignatures.valid(url, new TestIdp("other").certificate, sso.spEntityId())).isFalse();
    }

    @Test
    void rostersLogoutResponseToTheIdpIsSignedOverTheSpecificationsByteOrder() {
        SsoFixture sso = connection();
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        String email = sso.email(TestData.unique("idpslo"));
        assertThat(sso.login(browser, TestIdp.okta(sso.spec(), email, "I", "S")).location()).endsWith("/");
        String sloUrl = sso.connection.path("sloUrl").asText();
        String query = TestIdp.signedRedirectQuery("SAMLRequest", sso.idp.logoutRequest(sloUrl, email),
                "idp-relay-" + UUID.randomUUID(), sso.idp.key);

        SamlBrowser.Page answered = browser.get("/logout/saml2/slo/" + sso.id() + "?" + query);

        assertThat(answered.location()).startsWith(sso.idp.sloUrl + "?");
        assertThat(RedirectSignatures.parameterOrder(answered.location()))
                .containsExactly("SAMLResponse", "RelayState", "SigAlg", "Signature");
        assertThat(answered.locationQuery().get("RelayState")).startsWith("idp-relay-");
        assertThat(RedirectSignatures.valid(answered.location(), spCertificate(sso), sso.spEntityId())).isTrue();
        LogoutResponse response = (LogoutResponse) TestIdp.redirectMessage(answered.locationQuery().get("SAMLResponse"));
        assertThat(response.getStatus().getStatusCode().getValue()).endsWith(":Success");
        assertThat(SsoFixture.signedIn(browser)).isFalse();
    }

    /** The IdP's answer to Roster's LogoutRequest, signed by {@code signer}, as a path under Roster. */
    private static String answer(SsoFixture sso, String logoutUrl, String destination, String inResponseTo,
                                 String relayState, java.security.PrivateKey signer) {
        String response = sso.idp.logoutResponse(destination, inResponseTo);
        String query = signer == null ? "SAMLResponse=" + java.net.URLEncoder.encode(response,
                java.nio.charset.StandardCharsets.UTF_8) + "&RelayState=" + relayState
                : TestIdp.signedRedirectQuery("SAMLResponse", response, relayState, signer);
        return "/logout/saml2/slo/" + sso.id() + "?" + query;
    }

    @Test
    void theIdpsLogoutResponseIsAcceptedOnceWhenSignedAndAddressedToRostersRequest() {
        SsoFixture sso = connection();
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        String url = signOut(sso, browser);
        Map<String, String> query = new SamlBrowser.Page(200, url, "").locationQuery();
        LogoutRequest request = (LogoutRequest) TestIdp.redirectMessage(query.get("SAMLRequest"));
        String sloUrl = sso.connection.path("sloUrl").asText();

        String valid = answer(sso, url, sloUrl, request.getID(), query.get("RelayState"), sso.idp.key);
        assertThat(browser.get(valid).location()).endsWith("/login?signedOut");
        assertThat(browser.get(valid).location()).as("a second time").contains("/sso/error?reason=logout-unconfirmed");
    }

    @Test
    void aLogoutResponseUnsignedSignedByAnotherKeyForAnotherRequestOrAddressedElsewhereIsRefused() {
        SsoFixture sso = connection();
        String sloUrl = sso.connection.path("sloUrl").asText();
        TestIdp attacker = new TestIdp(TestData.unique("attacker"));
        for (String attack : new String[] {"unsigned", "other-key", "in-response-to", "destination", "relay-state"}) {
            SamlBrowser browser = new SamlBrowser(api.baseUrl());
            String url = signOut(sso, browser);
            Map<String, String> query = new SamlBrowser.Page(200, url, "").locationQuery();
            String requestId = ((LogoutRequest) TestIdp.redirectMessage(query.get("SAMLRequest"))).getID();
            String relayState = query.get("RelayState");
            String path = switch (attack) {
                case "unsigned" -> answer(sso, url, sloUrl, requestId, relayState, null);
                case "other-key" -> answer(sso, url, sloUrl, requestId, relayState, attacker.key);
                case "in-response-to" -> answer(sso, url, sloUrl, "_other" + UUID.randomUUID(), relayState,
                        sso.idp.key);
                case "destination" -> answer(sso, url, "https://elsewhere.test/slo", requestId, relayState,
                        sso.idp.key);
                default -> answer(sso, url, sloUrl, requestId, "unknown-" + UUID.randomUUID(), sso.idp.key);
            };
            assertThat(browser.get(path).location()).as(attack).contains("/sso/error?reason=logout-unconfirmed");
        }
    }
}
