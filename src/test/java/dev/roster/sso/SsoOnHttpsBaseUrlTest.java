package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipSource;
import dev.roster.organization.OrganizationService;
import dev.roster.shared.PageQuery;
import dev.roster.test.HttpsRosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.demo.DemoIdpSetup;
import dev.roster.sso.saml.BrowserBinding;
import dev.roster.sso.saml.SpUrls;

/**
 * Single sign-on where {@code roster.base-url} is HTTPS: the browser binding ({@link SamlResponseBoundToBrowserTest})
 * is a {@code __Host-} cookie, {@code Secure} and {@code SameSite=None} so that the IdP's cross-site POST carries it,
 * and the flows that depend on it (the demo IdP, an invitation accepted through SSO) work as on plain HTTP.
 */
@HttpsRosterIntegrationTest
class SsoOnHttpsBaseUrlTest {

    private static final Pattern HIDDEN = Pattern.compile(
            "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"");
    private static final Pattern INVITATION_LINK = Pattern.compile("/invitations/accept\\?token=([A-Za-z0-9_\\-]+)");
    private static final Pattern SSO_LINK = Pattern.compile("href=\"(/saml2/authenticate/[^\"]+)\"");

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    DemoIdpSetup demo;
    @Autowired
    OrganizationService organizations;
    @Autowired
    MemberReads members;

    @Test
    void theBindingCookieIsSecureHostOnlyAndSentOnTheIdpsCrossSitePost() {
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SamlBrowser.Page redirect = browser.get(SpUrls.AUTHENTICATE_PATH + demo.connectionId("entra").orElseThrow());
        String cookie = redirect.setCookie(BrowserBinding.HTTPS_NAME).orElseThrow();
        assertThat(cookie).contains("Path=/").contains("Max-Age=600").contains("Secure").contains("HttpOnly")
                .contains("SameSite=None").doesNotContain("Domain=");
        assertThat(redirect.setCookie(BrowserBinding.HTTP_NAME)).isEmpty();
    }

    @Test
    void theDemoIdpSignsInThroughAnHttpsBaseUrl() {
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        String connection = demo.connectionId("entra").orElseThrow().toString();
        SamlBrowser.Page toIdp = browser.get(SpUrls.AUTHENTICATE_PATH + connection);
        assertThat(toIdp.location()).startsWith(HttpsRosterIntegrationTest.BASE_URL + "/demo-idp/entra/sso?SAMLRequest=");
        URI idpUrl = URI.create(toIdp.location());
        SamlBrowser.Page picker = browser.get(idpUrl.getRawPath() + "?" + idpUrl.getRawQuery());
        SamlBrowser.Page signed = browser.post("/demo-idp/entra/sso", form(picker.body(), "Sign in as Alan Turing"));
        Map<String, String> toRoster = form(signed.body(), "Continue to Roster");

        // Another browser cannot use what the IdP answered this one.
        SamlBrowser other = new SamlBrowser(api.baseUrl());
        assertThat(other.post(SpUrls.ACS_PATH + connection, toRoster).location()).contains("reason=other-browser");

        SamlBrowser.Page landed = browser.post(SpUrls.ACS_PATH + connection, toRoster);
        assertThat(landed.location()).as(landed.body()).isEqualTo(api.baseUrl() + "/");
        assertThat(SsoFixture.signedIn(browser)).isTrue();
        var contoso = organizations.findBySlug(DemoIdpSetup.ORGANIZATION).orElseThrow();
        assertThat(members.list(contoso.id(), new MemberReads.MemberFilter("alan@contoso-demo.test", null, null,
                null), PageQuery.of(0, 1)).items()).hasSize(1);
    }

    @Test
    void anInviteeAcceptsThroughTheIdpOnAnHttpsBaseUrl() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of("enforceSso", true));
        String invited = sso.email(TestData.unique("https"));
        TestApi.Response invite = api.post(sso.org.admin().token(), sso.org.api("/invitations"),
                Map.of("emails", List.of(invited), "admin", false));
        assertThat(invite.status()).as(invite.body()).isIn(200, 201);
        Matcher link = INVITATION_LINK.matcher(TestMailbox.await(invited, 1).get(0).text());
        assertThat(link.find()).isTrue();

        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SamlBrowser.Page page = browser.get("/invitations/accept?token=" + link.group(1));
        Matcher ssoLink = SSO_LINK.matcher(page.body());
        assertThat(ssoLink.find()).as(page.body()).isTrue();
        String loginPath = ssoLink.group(1).replace("&amp;", "&");
        SsoFixture.Started started = sso.start(browser, loginPath.substring(loginPath.indexOf('?') + 1));
        TestIdp.Spec spec = TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), invited, "Https", "Invitee");
        spec.inResponseTo = started.request().getID();
        SamlBrowser.Page done = sso.post(browser, sso.idp.response(spec), started.relayState());

        assertThat(done.location()).as(done.body()).isEqualTo(api.baseUrl() + "/");
        assertThat(SsoFixture.signedIn(browser)).isTrue();
        Member member = members.list(sso.org.id(), new MemberReads.MemberFilter(invited, null, null, null),
                PageQuery.of(0, 5)).items().get(0);
        assertThat(member.source()).isEqualTo(MembershipSource.INVITATION);
    }

    /** The hidden fields of the form whose submit button has the given text. */
    private static Map<String, String> form(String html, String button) {
        int end = html.indexOf(button);
        assertThat(end).as("button " + button).isPositive();
        int start = html.lastIndexOf("<form", end);
        Matcher matcher = HIDDEN.matcher(html.substring(start, end));
        Map<String, String> fields = new LinkedHashMap<>();
        while (matcher.find()) {
            fields.put(matcher.group(1), matcher.group(2).replace("&#43;", "+").replace("&#61;", "=")
                    .replace("&#47;", "/"));
        }
        return fields;
    }
}
