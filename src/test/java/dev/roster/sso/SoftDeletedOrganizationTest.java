package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.shared.Actor;
import dev.roster.shared.ConflictException;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.saml.SpUrls;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * An organization the operator soft-deleted: its SAML sign-ins and SCIM requests are refused at once, saying why,
 * and work again after a restore; and its verified domains stay its own for the retention period, so nobody can
 * grab a just-deleted customer's domain (verify it, grant it, or claim its addresses) while it may still come back.
 */
@RosterIntegrationTest
class SoftDeletedOrganizationTest {

    static final String OPERATOR = "test-operator-token-0123456789abcdef-never-in-production";

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;

    @Test
    void samlSignInsAndScimRequestsAreRefusedWithTheReasonAndResumeAfterARestore() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of("idpInitiated", true,
                "scimPolicy", "provision"));
        sso.grant("group", "Everyone");
        TestApi.Response directory = api.post(sso.org.admin().token(), sso.org.api("/scim-directories"),
                Map.of("name", "Okta", "kind", "okta"));
        assertThat(directory.status()).as(directory.body()).isEqualTo(201);
        String scimToken = directory.json().path("token").asText();
        String email = sso.email("grace");
        assertThat(signIn(sso, email).location()).endsWith("/");
        assertThat(scim(scimToken).status()).isEqualTo(200);

        assertThat(api.delete(OPERATOR, "/api/v1/orgs/" + sso.org.slug()).status()).isEqualTo(200);

        // The IdP's response (IdP-initiated) and the start of an SP-initiated sign-in: a page that says why.
        TestIdp.Spec spec = TestIdp.okta(sso.spec(), email, "Grace", "Hopper", "Everyone");
        HttpResponse<String> refused = page(HttpRequest.newBuilder(URI.create(api.baseUrl() + sso.acsPath()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("SAMLResponse="
                        + URLEncoder.encode(sso.idp.response(spec), StandardCharsets.UTF_8))));
        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(refused.body()).contains("has been deleted from Roster").doesNotContain("Exception");
        HttpResponse<String> start = page(HttpRequest.newBuilder(URI.create(api.baseUrl() + SpUrls.AUTHENTICATE_PATH
                + sso.id())).GET());
        assertThat(start.statusCode()).isEqualTo(404);
        assertThat(start.body()).contains("has been deleted from Roster");
        // SCIM: the token is refused in SCIM's error schema, with the reason; a wrong token learns nothing of it.
        TestApi.Response scimRefused = scim(scimToken);
        assertThat(scimRefused.status()).isEqualTo(401);
        assertThat(scimRefused.contentType()).startsWith("application/scim+json");
        assertThat(scimRefused.json().path("schemas").get(0).asText())
                .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(scimRefused.json().path("status").asText()).isEqualTo("401");
        assertThat(scimRefused.json().path("detail").asText()).contains("organization has been deleted");
        TestApi.Response wrong = scim(scimToken.substring(0, scimToken.length() - 4) + "AAAA");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("detail").asText()).doesNotContain("deleted");

        assertThat(api.post(OPERATOR, "/api/v1/orgs/" + sso.org.slug() + "/restore", null).status()).isEqualTo(200);

        assertThat(signIn(sso, email).location()).endsWith("/");
        assertThat(scim(scimToken).status()).isEqualTo(200);
    }

    @Test
    void aDeletedOrganizationsVerifiedDomainCannotBeGrabbedWhileItMayComeBack() {
        SsoFixture victim = SsoFixture.create(api, data, domains, "okta", Map.of());
        SsoFixture attacker = SsoFixture.create(api, data, domains, "okta", Map.of());
        assertThat(api.delete(OPERATOR, "/api/v1/orgs/" + victim.org.slug()).status()).isEqualTo(200);

        // The attacker claims the domain and has it verified (the operator path; DNS ends in the same check).
        TestApi.Response claimed = api.post(attacker.org.admin().token(), attacker.org.api("/sso-domains"),
                Map.of("domain", victim.domain));
        assertThat(claimed.status()).as(claimed.body()).isEqualTo(201);
        UUID claim = UUID.fromString(claimed.json().path("id").asText());
        assertThatThrownBy(() -> domains.markVerifiedByOperator(attacker.org.id(), claim, Actor.system("operator")))
                .isInstanceOf(ConflictException.class).hasMessageContaining("verified by another organization");
        assertThat(domains.isVerified(attacker.org.id(), victim.domain)).isFalse();
        // Nor can the attacker's IdP be granted the domain or one of its addresses.
        TestApi.Response domainGrant = api.post(attacker.org.admin().token(), attacker.org.api("/sso-connections/"
                + attacker.id() + "/grants"), Map.of("kind", "domain", "value", victim.domain));
        assertThat(domainGrant.status()).isEqualTo(400);
        TestApi.Response addressGrant = api.post(attacker.org.admin().token(), attacker.org.api("/sso-connections/"
                + attacker.id() + "/grants"), Map.of("kind", "email", "value", victim.email("ceo")));
        assertThat(addressGrant.status()).isEqualTo(400);
        assertThat(addressGrant.json().path("type").asText()).endsWith("address-claimed");

        // Restored, the victim still holds its domain and its people sign in as before.
        assertThat(api.post(OPERATOR, "/api/v1/orgs/" + victim.org.slug() + "/restore", null).status())
                .isEqualTo(200);
        assertThat(domains.isVerified(victim.org.id(), victim.domain)).isTrue();
        victim.grant("domain", victim.domain);
        assertThat(signIn(victim, victim.email("ada")).location()).endsWith("/");
        assertThat(List.of(domains.verifiedOwner(victim.domain).orElseThrow())).containsExactly(victim.org.id());
    }

    private SamlBrowser.Page signIn(SsoFixture sso, String email) {
        SamlBrowser.Page page = sso.login(new SamlBrowser(api.baseUrl()), TestIdp.okta(sso.spec(), email, "First",
                "Last", "Everyone"));
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        return page;
    }

    /** A request as a browser sends it (asking for HTML), answered without following redirects. */
    private static HttpResponse<String> page(HttpRequest.Builder request) {
        try {
            return HttpClient.newHttpClient().send(request.header("Accept", "text/html,*/*;q=0.8")
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private TestApi.Response scim(String token) {
        return api.send(token, "GET", "/scim/v2/Users", null, Map.of("Accept", "application/scim+json"));
    }
}
