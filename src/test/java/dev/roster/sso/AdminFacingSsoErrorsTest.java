package dev.roster.sso;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.util.HtmlUtils;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestEnvironment;
import dev.roster.test.TestSession;

/**
 * What an admin reads when a connection cannot be made: metadata that is not SAML metadata, a second connection to
 * the same IdP, a metadata URL that cannot be fetched; through the API (problem+json) and the page.
 */
@RosterIntegrationTest
class AdminFacingSsoErrorsTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;

    private final WireMockServer wireMock = TestEnvironment.wireMock();

    private static final String HTML = """
            <!-- a login page instead of metadata -->
            <html xmlns="http://www.w3.org/1999/xhtml"><body>Sign in</body></html>
            """;
    private static final String BROKEN = """
            <?xml version="1.0" encoding="UTF-8"?>
            <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.test/x">
              <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                <md:KeyDescriptor use="signing">
                <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.test/sso"/>
              </md:IDPSSODescriptor>
            </md:EntityDescriptor>
            """;

    private TestApi.Response create(TestData.Org org, Map<String, Object> body) {
        return api.post(org.admin().token(), org.api("/sso-connections"), body);
    }

    private static String fieldError(TestApi.Response response, String field) {
        return response.json().path("errors").path(field).asText();
    }

    @Test
    void metadataThatIsNotSamlMetadataIsNamedAsSuchWithWhereItBroke() {
        TestData.Org org = data.org();
        TestApi.Response html = create(org, Map.of("kind", "generic", "metadataXml", HTML));
        assertThat(html.status()).isEqualTo(400);
        assertThat(html.header("Content-Type")).startsWith("application/problem+json");
        assertThat(fieldError(html, "metadataXml")).startsWith("This is not SAML metadata: ")
                .contains("html").contains("EntityDescriptor").doesNotContain("Cannot invoke")
                .doesNotContain("Unmarshaller");

        TestApi.Response broken = create(org, Map.of("kind", "generic", "metadataXml", BROKEN));
        assertThat(broken.status()).isEqualTo(400);
        assertThat(fieldError(broken, "metadataXml")).startsWith("This is not SAML metadata: ")
                .contains("line 6").contains("KeyDescriptor").contains("\u201c</md:IDPSSODescriptor>\u201d");

        TestApi.Response response = create(org, Map.of("kind", "generic", "metadataXml",
                "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r\" Version=\"2.0\"/>"));
        assertThat(fieldError(response, "metadataXml")).startsWith("This is not SAML metadata: ")
                .contains("Response in namespace urn:oasis:names:tc:SAML:2.0:protocol");
    }

    @Test
    void theNewConnectionPageShowsTheSameWords() {
        TestData.Org org = data.org();
        TestSession admin = new TestSession(api.baseUrl());
        assertThat(admin.signIn(org.admin().email(), TestData.PASSWORD).location()).doesNotContain("error");
        String base = "/orgs/" + org.slug() + "/manage/sso";
        TestSession.Page page = admin.submit(base + "/new", base + "/connections",
                Map.of("kind", "generic", "metadataXml", HTML));
        assertThat(page.status()).isEqualTo(400);
        assertThat(HtmlUtils.htmlUnescape(page.body())).contains("This is not SAML metadata: the document is a html")
                .doesNotContain("Cannot invoke");

        TestIdp idp = new TestIdp(TestData.unique("page-dup"));
        assertThat(admin.submit(base + "/new", base + "/connections", Map.of("kind", "generic", "name", "Primary IdP",
                "metadataXml", idp.metadataXml())).status()).isEqualTo(302);
        TestSession.Page second = admin.submit(base + "/new", base + "/connections",
                Map.of("kind", "generic", "name", "Again", "metadataXml", idp.metadataXml()));
        assertThat(second.status()).isEqualTo(409);
        assertThat(HtmlUtils.htmlUnescape(second.body())).contains("The connection \u201cPrimary IdP\u201d already uses "
                + "this identity provider");
    }

    @Test
    void aSecondConnectionToTheSameIdpIsRefusedWithTheNameOfTheFirst() {
        TestData.Org org = data.org();
        TestIdp idp = new TestIdp(TestData.unique("dup"));
        TestApi.Response first = create(org, Map.of("kind", "okta", "name", "Okta production",
                "metadataXml", idp.metadataXml()));
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        TestApi.Response second = create(org, Map.of("kind", "generic", "metadataXml", idp.metadataXml()));
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.header("Content-Type")).startsWith("application/problem+json");
        assertThat(second.json().path("type").asText()).isEqualTo("urn:roster:problem:duplicate-idp");
        assertThat(second.json().path("detail").asText()).contains("\u201cOkta production\u201d")
                .contains(idp.entityId);

        // Moving another connection onto the same IdP is refused too; another organization may use that IdP.
        TestIdp other = new TestIdp(TestData.unique("other"));
        TestApi.Response third = create(org, Map.of("kind", "generic", "metadataXml", other.metadataXml()));
        TestApi.Response moved = api.send(org.admin().token(), "PATCH",
                org.api("/sso-connections/" + third.json().path("id").asText()),
                Map.of("metadataXml", idp.metadataXml()), Map.of());
        assertThat(moved.status()).isEqualTo(409);
        TestData.Org elsewhere = data.org();
        assertThat(create(elsewhere, Map.of("kind", "okta", "metadataXml", idp.metadataXml())).status())
                .isEqualTo(201);
    }

    @Test
    void aMetadataUrlThatCannotBeFetchedSaysWhy() throws Exception {
        TestData.Org org = data.org();
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        TestApi.Response refused = create(org, Map.of("kind", "generic", "metadataUrl",
                "https://localhost:" + closed + "/metadata"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(fieldError(refused, "metadataUrl")).contains("refused the connection")
                .doesNotContain("IOException");

        TestApi.Response plainHttp = create(org, Map.of("kind", "generic", "metadataUrl",
                "https://localhost:" + wireMock.port() + "/metadata"));
        assertThat(fieldError(plainHttp, "metadataUrl")).contains("TLS handshake").doesNotContain("IOException");

        String path = "/metadata/" + UUID.randomUUID();
        wireMock.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(404)));
        TestApi.Response missing = create(org, Map.of("kind", "generic", "metadataUrl",
                "https://localhost:" + wireMock.httpsPort() + path));
        assertThat(fieldError(missing, "metadataUrl")).contains("HTTP 404 (Not Found)");
    }
}
