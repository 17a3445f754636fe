package dev.roster.sso;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestEnvironment;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.connection.SsoMaintenance;
import dev.roster.sso.saml.Certificates;
import dev.roster.sso.saml.SpUrls;

/** The admin API of SSO connections, the SP metadata Roster publishes, and IdP metadata and certificates. */
@RosterIntegrationTest
class SsoConnectionApiTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    SsoMaintenance maintenance;
    @Autowired
    MutableClock clock;

    private final WireMockServer wireMock = TestEnvironment.wireMock();

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aConnectionAnswersWhatToPasteIntoTheIdpAndPublishesSpMetadata() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of());
        String id = sso.id();
        assertThat(sso.connection.path("spEntityId").asText()).isEqualTo("http://localhost:8080/saml2/metadata/" + id);
        assertThat(sso.connection.path("spMetadataUrl").asText()).isEqualTo("http://localhost:8080/saml2/metadata/" + id);
        assertThat(sso.connection.path("acsUrl").asText()).isEqualTo("http://localhost:8080/login/saml2/sso/" + id);
        assertThat(sso.connection.path("loginUrl").asText()).isEqualTo("http://localhost:8080/saml2/authenticate/" + id);
        assertThat(sso.connection.path("idpEntityId").asText()).isEqualTo(sso.idp.entityId);
        assertThat(sso.connection.path("attributeMapping").path("groups").asText())
                .isEqualTo("http://schemas.microsoft.com/ws/2008/06/identity/claims/groups");
        assertThat(sso.connection.path("spCertificate").asText()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(sso.connection.has("spPrivateKey")).isFalse();

        TestApi.Response metadata = api.send(null, "GET", "/saml2/metadata/" + id, null,
                Map.of("Accept", "application/samlmetadata+xml"));
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.body()).contains("entityID=\"http://localhost:8080/saml2/metadata/" + id + "\"")
                .contains("Location=\"http://localhost:8080/login/saml2/sso/" + id + "\"")
                .contains("X509Certificate");
        TestApi.Response list = api.get(sso.org.admin().token(), sso.org.api("/sso-connections"));
        assertThat(list.json().path("items").findValuesAsText("id")).containsExactly(id);
    }

    @Test
    void onlyAdminsOfTheOrganizationReachItsConnections() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        TestData.Person member = data.member(sso.org, false);
        assertThat(api.get(member.token(), sso.org.api("/sso-connections")).status()).isEqualTo(403);
        assertThat(api.post(member.token(), sso.org.api("/sso-connections"),
                Map.of("kind", "okta", "metadataXml", sso.idp.metadataXml())).status()).isEqualTo(403);
        assertThat(api.post(member.token(), sso.org.api("/sso-connections/" + sso.id() + "/grants"),
                Map.of("kind", "email", "value", member.email())).status()).isEqualTo(403);
        TestData.Org other = data.org();
        assertThat(api.get(other.admin().token(), other.api("/sso-connections/" + sso.id())).status()).isEqualTo(404);
        assertThat(api.delete(other.admin().token(), other.api("/sso-connections/" + sso.id())).status()).isEqualTo(404);
    }

    @Test
    void badInputIsExplainedByField() {
        TestData.Org org = data.org();
        TestApi.Response kind = api.post(org.admin().token(), org.api("/sso-connections"),
                Map.of("kind", "adfs", "metadataXml", "<x/>"));
        assertThat(kind.status()).isEqualTo(400);
        assertThat(kind.json().path("errors").has("kind")).isTrue();
        TestApi.Response xml = api.post(org.admin().token(), org.api("/sso-connections"),
                Map.of("kind", "generic", "metadataXml", "<md:EntityDescriptor"));
        assertThat(xml.json().path("errors").has("metadataXml")).isTrue();
        TestApi.Response doctype = api.post(org.admin().token(), org.api("/sso-connections"), Map.of("kind", "generic",
                "metadataXml", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/hostname\">]>"
                        + new TestIdp(TestData.unique("dt")).metadataXml().replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "")));
        assertThat(doctype.status()).isEqualTo(400);
        assertThat(doctype.json().path("errors").path("metadataXml").asText()).contains("DOCTYPE");
    }

    @Test
    void anUploadedSpKeyPairSignsRequestsAndAPostOnlyIdpIsRefused() throws Exception {
        Certificates.KeyMaterial sp = Certificates.generate("uploaded-sp", Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(700)), 2048);
        TestIdp idp = new TestIdp(TestData.unique("upload"));
        SsoFixture sso = SsoFixture.create(api, data, domains, "generic", Map.of(
                "spPrivateKeyPem", Certificates.pem(sp.privateKey()), "spCertificatePem", Certificates.pem(sp.certificate())),
                idp);
        assertThat(sso.connection.path("spCertificate").asText()).isEqualTo(Certificates.pem(sp.certificate()));
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SamlBrowser.Page redirect = browser.get(SpUrls.AUTHENTICATE_PATH + sso.id());
        Map<String, String> query = redirect.locationQuery();
        java.security.Signature verifier = java.security.Signature.getInstance("SHA256withRSA");
        verifier.initVerify(sp.certificate().getPublicKey());
        String signed = "SAMLRequest=" + java.net.URLEncoder.encode(query.get("SAMLRequest"), java.nio.charset.StandardCharsets.UTF_8)
                + "&RelayState=" + java.net.URLEncoder.encode(query.get("RelayState"), java.nio.charset.StandardCharsets.UTF_8)
                + "&SigAlg=" + java.net.URLEncoder.encode(query.get("SigAlg"), java.nio.charset.StandardCharsets.UTF_8);
        verifier.update(signed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(verifier.verify(java.util.Base64.getDecoder().decode(query.get("Signature")))).isTrue();

        TestApi.Response mismatch = api.post(sso.org.admin().token(), sso.org.api("/sso-connections"), Map.of(
                "kind", "generic", "metadataXml", idp.metadataXml(), "spPrivateKeyPem", Certificates.pem(sp.privateKey())));
        assertThat(mismatch.status()).isEqualTo(400);
        String postOnly = idp.metadataXml().replaceAll("<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\"[^>]*/>", "");
        TestApi.Response refused = api.post(sso.org.admin().token(), sso.org.api("/sso-connections"),
                Map.of("kind", "generic", "metadataXml", postOnly));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("errors").path("metadataXml").asText()).contains("HTTP-Redirect");

        assertThat(api.delete(sso.org.admin().token(), sso.org.api("/sso-connections/" + sso.id())).status())
                .isEqualTo(204);
        assertThat(browser.get(SpUrls.AUTHENTICATE_PATH + sso.id()).status()).isNotEqualTo(302);
        assertThat(api.get(null, "/saml2/metadata/" + sso.id()).status()).isNotEqualTo(200);
    }

    @Test
    void severalIdpCertificatesAreTrustedAtOnceAndAdminsAreWarnedBeforeOneExpires() {
        TestIdp idp = new TestIdp(TestData.unique("rollover"));
        Certificates.KeyMaterial next = Certificates.generate("next", Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(10)), 2048);
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta",
                Map.of("metadataXml", idp.metadataXml(List.of(idp.certificate, next.certificate()))), idp);
        sso.grant("domain", sso.domain);
        assertThat(sso.connection.path("idpCertificates")).hasSize(2);
        assertThat(sso.connection.path("warnings").toString()).contains("expires on")
                .contains(Certificates.fingerprint(next.certificate()));

        TestIdp.Spec oldKey = TestIdp.okta(sso.spec(), sso.email("old"), "O", "K");
        oldKey.signingKey = idp.key;
        oldKey.signingCertificate = idp.certificate;
        TestIdp.Spec newKey = TestIdp.okta(sso.spec(), sso.email("new"), "N", "K");
        newKey.signingKey = next.privateKey();
        newKey.signingCertificate = next.certificate();
        assertThat(sso.login(new SamlBrowser(api.baseUrl()), oldKey).location()).endsWith("/");
        assertThat(sso.login(new SamlBrowser(api.baseUrl()), newKey).location()).endsWith("/");
    }

    @Test
    void metadataFromAUrlIsFetchedAndRefreshedOnSchedule() {
        String path = "/metadata/" + UUID.randomUUID();
        TestIdp first = new TestIdp(TestData.unique("md"));
        Certificates.KeyMaterial rotated = Certificates.generate("rotated", Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(400)), 2048);
        wireMock.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/samlmetadata+xml").withBody(first.metadataXml())));
        TestData.Org org = data.org();
        String url = "https://localhost:" + wireMock.httpsPort() + path;
        TestApi.Response created = api.post(org.admin().token(), org.api("/sso-connections"),
                Map.of("kind", "generic", "metadataUrl", url));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("metadataUrl").asText()).isEqualTo(url);
        assertThat(created.json().path("idpCertificates")).hasSize(1);
        String id = created.json().path("id").asText();

        wireMock.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)
                .withBody(first.metadataXml(List.of(first.certificate, rotated.certificate())))));
        maintenance.refreshDueMetadata();
        assertThat(api.get(org.admin().token(), org.api("/sso-connections/" + id)).json().path("idpCertificates"))
                .as("not due yet").hasSize(1);
        clock.advance(Duration.ofHours(7));
        maintenance.refreshDueMetadata();
        assertThat(api.get(org.admin().token(), org.api("/sso-connections/" + id)).json().path("idpCertificates"))
                .hasSize(2);

        wireMock.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(500)));
        TestApi.Response failed = api.post(org.admin().token(), org.api("/sso-connections/" + id + "/refresh-metadata"),
                null);
        assertThat(failed.json().path("metadataError").asText()).contains("500");
        assertThat(failed.json().path("idpCertificates")).as("the last good metadata stays").hasSize(2);
    }
}
