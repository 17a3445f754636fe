package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opensaml.core.xml.config.XMLObjectProviderRegistrySupport;
import org.opensaml.core.xml.util.XMLObjectSupport;
import org.opensaml.saml.saml2.core.Response;
import org.opensaml.saml.security.impl.SAMLSignatureProfileValidator;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.signature.support.SignatureValidator;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.connection.AttributeMapping;
import dev.roster.sso.connection.ConnectionKind;
import dev.roster.sso.saml.AssertedIdentity;
import dev.roster.sso.saml.Certificates;
import dev.roster.sso.saml.IdpMetadata;

/** The TEST ONLY fixtures under idp-fixtures/saml are what their README says they are. */
@RosterIntegrationTest
class IdpFixturesTest {

    private static final Path ROOT = Path.of("idp-fixtures", "saml");

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;

    @Test
    void theSampleResponsesAreSignedByTheFixtureKeysAndReadWithTheDefaultMappings() throws Exception {
        AssertedIdentity ada = identity("entra", "sample-response.xml", ConnectionKind.ENTRA);
        assertThat(ada.email().value()).isEqualTo("ada@contoso.test");
        assertThat(ada.subject()).isEqualTo("8d3f1a2b-5c4e-4f6a-9b8c-7d6e5f4a3b2c");
        assertThat(ada.displayName()).isEqualTo("Ada Lovelace");
        assertThat(ada.groups()).containsExactlyInAnyOrder("0b8f2c1d-7e6a-4f5b-8c9d-1a2b3c4d5e6f",
                "3e5f7a9b-1c2d-4e6f-8a0b-4c6e8a0b2d4f");
        AssertedIdentity alan = identity("entra", "sample-response-overage.xml", ConnectionKind.ENTRA);
        assertThat(alan.groupsOverage()).isTrue();
        assertThat(alan.groups()).isEmpty();
        AssertedIdentity grace = identity("okta", "sample-response.xml", ConnectionKind.OKTA);
        assertThat(grace.email().value()).isEqualTo("grace@example-okta.test");
        assertThat(grace.groups()).containsExactlyInAnyOrder("Everyone", "Support");
        assertThat(grace.subject()).isEqualTo("nameid:grace@example-okta.test");
    }

    @Test
    void theFixtureIdpSignsARealLogin() throws Exception {
        Certificates.KeyMaterial keys = new Certificates.KeyMaterial(
                Certificates.parsePrivateKey(read("entra", "idp-signing-key.pem"), "key"),
                Certificates.parseCertificate(read("entra", "idp-signing-cert.pem"), "cert"));
        TestIdp idp = new TestIdp("entra-test-only", keys);
        assertThat(idp.metadataXml()).isEqualTo(read("entra", "idp-metadata.xml"));
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of(), idp);
        sso.grant("domain", sso.domain);
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        assertThat(sso.login(browser, TestIdp.entra(sso.spec(), java.util.UUID.randomUUID().toString(),
                sso.email(TestData.unique("fixture")), "Fix", "Ture")).location()).endsWith("/");
    }

    private static AssertedIdentity identity(String kind, String file, ConnectionKind connectionKind) throws Exception {
        IdpMetadata metadata = IdpMetadata.parse(read(kind, "idp-metadata.xml"));
        Response response = (Response) XMLObjectSupport.unmarshallFromInputStream(
                XMLObjectProviderRegistrySupport.getParserPool(),
                new ByteArrayInputStream(read(kind, file).getBytes(StandardCharsets.UTF_8)));
        var assertion = response.getAssertions().get(0);
        new SAMLSignatureProfileValidator().validate(assertion.getSignature());
        SignatureValidator.validate(assertion.getSignature(),
                new BasicX509Credential(metadata.signingCertificates().get(0)));
        assertThat(assertion.getIssuer().getValue()).isEqualTo(metadata.entityId());
        return AssertedIdentity.from(assertion, AttributeMapping.defaults(connectionKind));
    }

    private static String read(String kind, String file) throws Exception {
        return Files.readString(ROOT.resolve(kind).resolve(file));
    }
}
