package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.account.AccountService;
import dev.roster.audit.AuditEvent;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.shared.PageQuery;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.saml.Certificates;

/**
 * Encrypted assertions as Keycloak, Entra ID and Okta send them, built, signed and encrypted with OpenSAML here and
 * posted over HTTP to the ACS; and the encrypted responses Roster must refuse.
 */
@RosterIntegrationTest
class EncryptedAssertionTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    AuditLog audit;
    @Autowired
    AccountService accounts;

    private SsoFixture connection(String kind) {
        SsoFixture sso = SsoFixture.create(api, data, domains, kind, Map.of());
        sso.grant("domain", sso.domain);
        return sso;
    }

    private static X509Certificate spCertificate(SsoFixture sso) {
        return Certificates.parseCertificate(sso.connection.path("spCertificate").asText(), "sp");
    }

    private SamlBrowser browser() {
        return new SamlBrowser(api.baseUrl());
    }

    private static void signedIn(SamlBrowser browser, SamlBrowser.Page page) {
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        assertThat(page.location()).as(page.body()).doesNotContain("/sso/error").endsWith("/");
        assertThat(SsoFixture.signedIn(browser)).isTrue();
    }

    /** Refused, nobody signed in or provisioned, and the audit log says why. */
    private void refused(SsoFixture sso, SamlBrowser browser, SamlBrowser.Page page, String email, String... reasons) {
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        assertThat(page.location()).contains("/sso/error");
        assertThat(SsoFixture.signedIn(browser)).isFalse();
        assertThat(accounts.findByEmail(email)).isEmpty();
        AuditEvent event = audit.find(sso.org.id(), new AuditQuery(null, null, null, null, null, null, null),
                PageQuery.of(0, 20)).items().stream().filter(e -> e.action().startsWith("sso.login-")).findFirst()
                .orElseThrow(() -> new AssertionError("no refusal audited"));
        assertThat(event.after().toString().toLowerCase(Locale.ROOT)).containsAnyOf(Arrays.stream(reasons)
                .map(r -> r.toLowerCase(Locale.ROOT)).toArray(String[]::new));
    }

    /** Keycloak 26's default: a signed response around one EncryptedAssertion (AES-256-GCM, RSA-OAEP). */
    private static TestIdp.Spec keycloak(SsoFixture sso, String email) {
        TestIdp.Spec spec = sso.spec();
        spec.nameId = email;
        spec.nameIdFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
        spec.attribute("email", email).attribute("firstName", "Kay").attribute("lastName", "Cloak");
        spec.signResponse = true;
        spec.signAssertion = false;
        spec.encryptFor = spCertificate(sso);
        spec.encryption = TestIdp.Encryption.KEYCLOAK;
        return spec;
    }

    /** Entra ID with token encryption: an unsigned response, the signed assertion inside the encryption. */
    private static TestIdp.Spec entra(SsoFixture sso, String email) {
        TestIdp.Spec spec = TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), email, "En", "Tra");
        spec.encryptFor = spCertificate(sso);
        spec.encryption = TestIdp.Encryption.ENTRA;
        return spec;
    }

    /** Okta with assertion encryption: response and assertion signed, the EncryptedKey beside the EncryptedData. */
    private static TestIdp.Spec okta(SsoFixture sso, String email) {
        TestIdp.Spec spec = TestIdp.okta(sso.spec(), email, "Ok", "Ta");
        spec.encryptFor = spCertificate(sso);
        spec.encryption = TestIdp.Encryption.OKTA;
        return spec;
    }

    @Test
    void keycloaksEncryptedAssertionInASignedResponseSignsIn() {
        SsoFixture sso = connection("generic");
        SamlBrowser browser = browser();
        String email = sso.email(TestData.unique("kc"));
        signedIn(browser, sso.login(browser, keycloak(sso, email)));
        assertThat(accounts.findByEmail(email)).isPresent();
    }

    @Test
    void keycloakWithXmlEncryption11RsaOaepAndSha256SignsIn() {
        SsoFixture sso = connection("generic");
        SamlBrowser browser = browser();
        TestIdp.Spec spec = keycloak(sso, sso.email(TestData.unique("kc11")));
        spec.encryption = TestIdp.Encryption.KEYCLOAK_OAEP11;
        signedIn(browser, sso.login(browser, spec));
    }

    @Test
    void entrasEncryptedSignedAssertionInAnUnsignedResponseSignsIn() {
        SsoFixture sso = connection("entra");
        SamlBrowser browser = browser();
        signedIn(browser, sso.login(browser, entra(sso, sso.email(TestData.unique("entra")))));
    }

    @Test
    void oktasEncryptedAssertionWithThePeerEncryptedKeySignsIn() {
        SsoFixture sso = connection("okta");
        SamlBrowser browser = browser();
        signedIn(browser, sso.login(browser, okta(sso, sso.email(TestData.unique("okta")))));
    }

    @Test
    void anEncryptedNameIdInsideTheEncryptedAssertionIsDecryptedToo() {
        SsoFixture sso = connection("okta");
        SamlBrowser browser = browser();
        String email = sso.email(TestData.unique("encid"));
        TestIdp.Spec spec = okta(sso, email);
        spec.encryptNameId = true;
        signedIn(browser, sso.login(browser, spec));
        assertThat(accounts.findByEmail(email)).isPresent();
    }

    @Test
    void anAssertionEncryptedForAnotherKeyIsRefused() {
        SsoFixture sso = connection("entra");
        SamlBrowser browser = browser();
        String email = sso.email(TestData.unique("wrongkey"));
        TestIdp.Spec spec = entra(sso, email);
        spec.encryptFor = Certificates.generate("someone-else", java.time.Instant.now()).certificate();
        refused(sso, browser, sso.login(browser, spec), email, "could not be decrypted");
    }

    @Test
    void alteredCiphertextIsRefusedInGcmAndCbcMode() {
        SsoFixture sso = connection("entra");
        for (TestIdp.Encryption encryption : new TestIdp.Encryption[] {TestIdp.Encryption.ENTRA,
                TestIdp.Encryption.KEYCLOAK}) {
            SamlBrowser browser = browser();
            String email = sso.email(TestData.unique("tampered"));
            TestIdp.Spec spec = entra(sso, email);
            spec.encryption = encryption;
            SsoFixture.Started started = sso.start(browser, null);
            spec.inResponseTo = started.request().getID();
            String tampered = tamperWithContent(sso.idp.responseXml(spec));
            refused(sso, browser, sso.post(browser, TestIdp.base64(tampered), started.relayState()), email,
                    "could not be decrypted");
        }
    }

    /**
     * A stranger can post any ciphertext to an ACS: Roster refuses it with a WARN that says why, and the log holds no
     * ERROR line (OpenSAML's decrypter logs its failures at ERROR, which would wake an operator for nothing).
     */
    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void undecryptableInputIsAWarningWithItsReasonNotAnError(
            org.springframework.boot.test.system.CapturedOutput output) {
        SsoFixture sso = connection("entra");
        SamlBrowser browser = browser();
        String email = sso.email(TestData.unique("noisy"));
        TestIdp.Spec spec = entra(sso, email);
        spec.encryption = TestIdp.Encryption.ENTRA;
        SsoFixture.Started started = sso.start(browser, null);
        spec.inResponseTo = started.request().getID();
        refused(sso, browser, sso.post(browser, TestIdp.base64(tamperWithContent(sso.idp.responseXml(spec))),
                started.relayState()), email, "could not be decrypted");
        TestIdp.Spec otherKey = entra(sso, email);
        otherKey.encryptFor = Certificates.generate("someone-else", java.time.Instant.now()).certificate();
        SamlBrowser second = browser();
        refused(sso, second, sso.login(second, otherKey), email, "could not be decrypted");

        assertThat(output.getAll()).contains("decryption_error");
        assertThat(output.getAll().lines().filter(line -> line.contains(" ERROR ")).toList())
                .as("ERROR lines while refusing undecryptable assertions").isEmpty();
    }

    @Test
    void anEncryptedAssertionSignedByNobodyIsRefused() {
        SsoFixture sso = connection("entra");
        SamlBrowser browser = browser();
        String email = sso.email(TestData.unique("unsigned"));
        TestIdp.Spec spec = entra(sso, email);
        spec.signAssertion = false;
        spec.signResponse = false;
        refused(sso, browser, sso.login(browser, spec), email, "unsigned");
    }

    @Test
    void anEncryptedAssertionSignedByAnUntrustedKeyIsRefused() {
        SsoFixture sso = connection("entra");
        TestIdp attacker = new TestIdp(TestData.unique("attacker"));
        SamlBrowser browser = browser();
        String email = sso.email(TestData.unique("forged"));
        TestIdp.Spec spec = entra(sso, email);
        spec.signingKey = attacker.key;
        spec.signingCertificate = attacker.certificate;
        refused(sso, browser, sso.login(browser, spec), email, "signature");
    }

    @Test
    void aConnectionThatRequiresEncryptionRefusesAPlainAssertionAndTakesAnEncryptedOne() {
        SsoFixture sso = connection("entra");
        JsonNode settings = patchEncryption(sso, Map.of("requireEncryptedAssertions", true));
        assertThat(settings.path("requireEncryptedAssertions").asBoolean()).isTrue();

        SamlBrowser browser = browser();
        String email = sso.email(TestData.unique("plain"));
        TestIdp.Spec plain = TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), email, "P", "L");
        refused(sso, browser, sso.login(browser, plain), email, "requires encrypted assertions");

        SamlBrowser other = browser();
        signedIn(other, sso.login(other, entra(sso, sso.email(TestData.unique("enc")))));
    }

    @Test
    void rsa15KeyTransportIsRefusedUntilTheConnectionOptsIn() {
        SsoFixture sso = connection("entra");
        SamlBrowser browser = browser();
        String email = sso.email(TestData.unique("rsa15"));
        TestIdp.Spec spec = entra(sso, email);
        spec.encryption = TestIdp.Encryption.RSA15;
        refused(sso, browser, sso.login(browser, spec), email, "RSA 1.5");

        patchEncryption(sso, Map.of("allowRsa15KeyTransport", true));
        SamlBrowser again = browser();
        TestIdp.Spec allowed = entra(sso, email);
        allowed.encryption = TestIdp.Encryption.RSA15;
        signedIn(again, sso.login(again, allowed));
    }

    @Test
    void duringAKeyRolloverBothSpKeysDecryptAndBothAreInTheMetadata() {
        SsoFixture sso = connection("entra");
        X509Certificate current = spCertificate(sso);
        TestApi.Response started = api.post(sso.org.admin().token(),
                sso.org.api("/sso-connections/" + sso.id() + "/encryption/next-key"), Map.of());
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        JsonNode certificates = started.json().path("spCertificates");
        assertThat(certificates.findValuesAsText("role")).containsExactly("current", "next");
        X509Certificate next = Certificates.parseCertificate(certificates.get(1).path("pem").asText(), "sp");

        String metadata = api.send(null, "GET", "/saml2/metadata/" + sso.id(), null,
                Map.of("Accept", "application/samlmetadata+xml")).body();
        assertThat(metadata).contains(Certificates.base64(current)).contains(Certificates.base64(next));
        assertThat(metadata.split("use=\"encryption\"", -1)).hasSize(3);

        for (X509Certificate key : new X509Certificate[] {current, next}) {
            SamlBrowser browser = browser();
            TestIdp.Spec spec = entra(sso, sso.email(TestData.unique("roll")));
            spec.encryptFor = key;
            signedIn(browser, sso.login(browser, spec));
        }

        TestApi.Response promoted = api.post(sso.org.admin().token(),
                sso.org.api("/sso-connections/" + sso.id() + "/encryption/next-key/promote"), Map.of());
        assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
        assertThat(promoted.json().path("spCertificates").findValuesAsText("fingerprint"))
                .containsExactly(Certificates.fingerprint(next));

        SamlBrowser newKey = browser();
        TestIdp.Spec withNext = entra(sso, sso.email(TestData.unique("after")));
        withNext.encryptFor = next;
        signedIn(newKey, sso.login(newKey, withNext));
        SamlBrowser oldKey = browser();
        String email = sso.email(TestData.unique("retired"));
        TestIdp.Spec withOld = entra(sso, email);
        withOld.encryptFor = current;
        refused(sso, oldKey, sso.login(oldKey, withOld), email, "could not be decrypted");
    }

    @Test
    void onlyTheOrganizationsAdminsChangeEncryption() {
        SsoFixture sso = connection("okta");
        TestData.Person member = data.member(sso.org, false);
        assertThat(api.send(member.token(), "PATCH", sso.org.api("/sso-connections/" + sso.id() + "/encryption"),
                Map.of("requireEncryptedAssertions", true), Map.of()).status()).isEqualTo(403);
        TestData.Org other = data.org();
        assertThat(api.send(other.admin().token(), "PATCH", other.api("/sso-connections/" + sso.id() + "/encryption"),
                Map.of("requireEncryptedAssertions", true), Map.of()).status()).isEqualTo(404);
        assertThat(api.get(sso.org.admin().token(), sso.org.api("/sso-connections/" + sso.id() + "/encryption"))
                .json().path("requireEncryptedAssertions").asBoolean()).isFalse();
    }

    /**
     * OpenSAML 4.0.1 would follow a CipherReference (fetching its URI, running its XPath or XSLT transforms) or a
     * transformed RetrievalMethod: the Shibboleth advisory of 2022-12-12. Anyone can post an unsigned response, so
     * such content is refused before decryption, and the URI is never fetched.
     */
    @Test
    void encryptedContentThatWouldMakeTheDecrypterFetchOrTransformIsRefusedUnread() throws Exception {
        SsoFixture sso = connection("entra");
        java.util.concurrent.atomic.AtomicInteger fetched = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            fetched.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/cipher";
            String cipherReference = "<xenc:CipherReference URI=\"" + url + "\"><xenc:Transforms>"
                    + "<ds:Transform xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" "
                    + "Algorithm=\"http://www.w3.org/TR/1999/REC-xpath-19991116\"><ds:XPath>count(//.) &gt; 0"
                    + "</ds:XPath></ds:Transform></xenc:Transforms></xenc:CipherReference>";
            String retrieval = "<ds:RetrievalMethod xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" URI=\"" + url
                    + "\" Type=\"http://www.w3.org/2001/04/xmlenc#EncryptedKey\"/>";
            for (String attack : new String[] {cipherReference, retrieval}) {
                SamlBrowser browser = browser();
                String email = sso.email(TestData.unique("fetch"));
                TestIdp.Spec spec = entra(sso, email);
                SsoFixture.Started started = sso.start(browser, null);
                spec.inResponseTo = started.request().getID();
                String xml = sso.idp.responseXml(spec);
                String changed = attack == cipherReference ? replaceLastCipherValue(xml, attack)
                        : xml.replaceFirst("<ds:KeyInfo([^>]*)>", "<ds:KeyInfo$1>" + retrieval);
                assertThat(changed).isNotEqualTo(xml);
                refused(sso, browser, sso.post(browser, TestIdp.base64(changed), started.relayState()), email,
                        "does not accept", "outside the message");
            }
            assertThat(fetched.get()).isZero();
        }
        finally {
            server.stop(0);
        }
    }

    /** Puts {@code replacement} in place of the EncryptedData's CipherValue (the last one). */
    private static String replaceLastCipherValue(String xml, String replacement) {
        int end = xml.lastIndexOf("</xenc:CipherValue>") + "</xenc:CipherValue>".length();
        int start = xml.lastIndexOf("<xenc:CipherValue", end);
        return xml.substring(0, start) + replacement + xml.substring(end);
    }

    private JsonNode patchEncryption(SsoFixture sso, Map<String, Object> body) {
        TestApi.Response response = api.send(sso.org.admin().token(), "PATCH",
                sso.org.api("/sso-connections/" + sso.id() + "/encryption"), body, Map.of());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** Changes one base64 character in the middle of the EncryptedData's ciphertext (the last CipherValue). */
    private static String tamperWithContent(String xml) {
        int end = xml.lastIndexOf("</xenc:CipherValue>");
        int start = xml.lastIndexOf(">", end) + 1;
        int middle = (start + end) / 2;
        char c = xml.charAt(middle);
        char replacement = c == 'A' ? 'B' : 'A';
        return xml.substring(0, middle) + replacement + xml.substring(middle + 1);
    }
}
