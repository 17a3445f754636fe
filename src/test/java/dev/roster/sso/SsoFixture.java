package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.opensaml.saml.saml2.core.AuthnRequest;

import dev.roster.shared.Actor;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.saml.SpUrls;

/**
 * An organization with a verified domain and an SSO connection to a {@link TestIdp}, made through the real API, and
 * the steps of a login over real HTTP. Public for the tests of the IdP API clients ({@code dev.roster.sso.idp}), which
 * store connections with it.
 */
public final class SsoFixture {

    /** The cookie that ties a sign-in to its browser, as named on a plain-HTTP {@code roster.base-url}. */
    static final String BINDING_COOKIE = "roster-sso-binding";

    final TestApi api;
    public final TestData.Org org;
    final String domain;
    final TestIdp idp;
    final JsonNode connection;

    private SsoFixture(TestApi api, TestData.Org org, String domain, TestIdp idp, JsonNode connection) {
        this.api = api;
        this.org = org;
        this.domain = domain;
        this.idp = idp;
        this.connection = connection;
    }

    public static SsoFixture create(TestApi api, TestData data, SsoDomainService domains, String kind,
                                    Map<String, Object> extra) {
        return create(api, data, domains, kind, extra, new TestIdp(TestData.unique(kind)));
    }

    static SsoFixture create(TestApi api, TestData data, SsoDomainService domains, String kind, Map<String, Object> extra,
                             TestIdp idp) {
        TestData.Org org = data.org();
        String domain = TestData.unique("corp") + ".test";
        UUID domainId = UUID.fromString(api.post(org.admin().token(), org.api("/sso-domains"), Map.of("domain", domain))
                .json().path("id").asText());
        domains.markVerifiedByOperator(org.id(), domainId, Actor.system("test operator"));
        Map<String, Object> body = new java.util.HashMap<>(Map.of("kind", kind, "metadataXml", idp.metadataXml()));
        body.putAll(extra);
        TestApi.Response created = api.post(org.admin().token(), org.api("/sso-connections"), body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new SsoFixture(api, org, domain, idp, created.json());
    }

    public String id() {
        return connection.path("id").asText();
    }

    String acsUrl() {
        return connection.path("acsUrl").asText();
    }

    String acsPath() {
        return URI.create(acsUrl()).getPath();
    }

    String spEntityId() {
        return connection.path("spEntityId").asText();
    }

    String email(String local) {
        return local + "@" + domain;
    }

    void grant(String kind, String value) {
        TestApi.Response response = api.post(org.admin().token(), org.api("/sso-connections/" + id() + "/grants"),
                Map.of("kind", kind, "value", value));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    void map(String group, String team, boolean admin) {
        TestApi.Response response = api.post(org.admin().token(),
                org.api("/sso-connections/" + id() + "/group-mappings"),
                team == null ? Map.of("group", group, "admin", admin) : Map.of("group", group, "team", team, "admin", admin));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    TestIdp.Spec spec() {
        return idp.spec(acsUrl(), spEntityId());
    }

    /** Whether the browser's session is signed in: a protected page answers instead of sending it to /login. */
    static boolean signedIn(SamlBrowser browser) {
        SamlBrowser.Page page = browser.get("/account/two-factor");
        return !(page.status() == 302 && page.location() != null && page.location().contains("/login"));
    }

    /** A started SP-initiated login: the AuthnRequest Roster sent and the RelayState to echo. */
    record Started(AuthnRequest request, String relayState) {
    }

    Started start(SamlBrowser browser, String query) {
        SamlBrowser.Page redirect = browser.get(SpUrls.AUTHENTICATE_PATH + id() + (query == null ? "" : "?" + query));
        assertThat(redirect.status()).as(redirect.body()).isEqualTo(302);
        assertThat(redirect.location()).startsWith(idp.ssoUrl);
        Map<String, String> params = redirect.locationQuery();
        assertThat(params).containsKeys("SAMLRequest", "RelayState", "Signature", "SigAlg");
        return new Started(TestIdp.authnRequest(params.get("SAMLRequest")), params.get("RelayState"));
    }

    /** Posts a response to the ACS as the browser would after the IdP's auto-submitting form. */
    SamlBrowser.Page post(SamlBrowser browser, String samlResponse, String relayState) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        form.put("SAMLResponse", samlResponse);
        if (relayState != null) {
            form.put("RelayState", relayState);
        }
        return browser.post(acsPath(), form);
    }

    /** A full SP-initiated login with the given spec (InResponseTo filled in). */
    SamlBrowser.Page login(SamlBrowser browser, TestIdp.Spec spec) {
        Started started = start(browser, null);
        spec.inResponseTo = started.request().getID();
        return post(browser, idp.response(spec), started.relayState());
    }
}
