package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.Deflater;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.account.AccountService;
import dev.roster.audit.AuditEvent;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.shared.PageQuery;
import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.sso.access.SsoDomainService;

/**
 * Attacks on the ACS, each made of real messages signed with OpenSAML and posted over HTTP. Every one must be refused,
 * leave nobody signed in and nobody provisioned, and say why in the log and the organization's audit log.
 */
@RosterIntegrationTest
class SamlSecurityTest {

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
    @Autowired
    MutableClock clock;

    private static SsoFixture shared;

    private SsoFixture sso() {
        if (shared == null) {
            shared = SsoFixture.create(api, data, domains, "entra", Map.of());
            shared.grant("domain", shared.domain);
        }
        return shared;
    }

    private TestIdp.Spec person(SsoFixture sso, String local) {
        return TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), sso.email(local), "Eve", "Attacker");
    }

    /** Asserts the login was refused, nobody got in, and the audit log names the reason. */
    private void refused(SsoFixture sso, SamlBrowser browser, SamlBrowser.Page page, String email, String... reasons) {
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        assertThat(page.location()).contains("/sso/error");
        assertThat(SsoFixture.signedIn(browser)).isFalse();
        if (email != null) {
            assertThat(accounts.findByEmail(email)).isEmpty();
        }
        AuditEvent event = latestRefusal(sso);
        assertThat(event.after().toString().toLowerCase(java.util.Locale.ROOT))
                .containsAnyOf(java.util.Arrays.stream(reasons).map(r -> r.toLowerCase(java.util.Locale.ROOT))
                        .toArray(String[]::new));
    }

    private AuditEvent latestRefusal(SsoFixture sso) {
        return audit.find(sso.org.id(), new AuditQuery(null, null, null, null, null, null, null), PageQuery.of(0, 20))
                .items().stream().filter(e -> e.action().startsWith("sso.login-"))
                .findFirst().orElseThrow(() -> new AssertionError("no refusal audited"));
    }

    private SamlBrowser browser() {
        return new SamlBrowser(api.baseUrl());
    }

    @Test
    void aValidLoginGetsIn() {
        SsoFixture sso = sso();
        SamlBrowser browser = browser();
        assertThat(sso.login(browser, person(sso, TestData.unique("valid"))).location()).endsWith("/");
        assertThat(SsoFixture.signedIn(browser)).isTrue();
    }

    @Test
    void unsignedResponseAndAssertionAreRefused() {
        SsoFixture sso = sso();
        String email = sso.email(TestData.unique("unsigned"));
        TestIdp.Spec spec = TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), email, "U", "N");
        spec.signAssertion = false;
        spec.signResponse = false;
        SamlBrowser browser = browser();
        refused(sso, browser, sso.login(browser, spec), email, "unsigned");
    }

    @Test
    void aSignatureByAnUntrustedKeyIsRefused() {
        SsoFixture sso = sso();
        TestIdp attacker = new TestIdp(TestData.unique("attacker"));
        String email = sso.email(TestData.unique("untrusted"));
        TestIdp.Spec spec = TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), email, "U", "T");
        spec.signingKey = attacker.key;
        spec.signingCertificate = attacker.certificate;
        SamlBrowser browser = browser();
        refused(sso, browser, sso.login(browser, spec), email, "signature");
    }

    @Test
    void aSignatureByAKeyTheMessageCarriesInKeyInfoIsRefused() {
        SsoFixture sso = sso();
        TestIdp attacker = new TestIdp(TestData.unique("attacker"));
        String email = sso.email(TestData.unique("keyinfo"));
        TestIdp.Spec spec = TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), email, "K", "I");
        spec.signingKey = attacker.key;
        spec.signingCertificate = attacker.certificate;
        spec.includeKeyInfo = true;
        spec.signResponse = true;
        SamlBrowser browser = browser();
        refused(sso, browser, sso.login(browser, spec), email, "signature");
    }

    @Test
    void aWrongAudienceIsRefused() {
        SsoFixture sso = sso();
        TestIdp.Spec spec = person(sso, TestData.unique("audience"));
        spec.audience = "https://another-sp.test/metadata";
        SamlBrowser browser = browser();
        refused(sso, browser, sso.login(browser, spec), spec.attributes.get(emailClaim()).get(0), "audience");
    }

    @Test
    void anAssertionWithoutAudienceRestrictionIsRefused() {
        SsoFixture sso = sso();
        TestIdp.Spec spec = person(sso, TestData.unique("noaudience"));
        spec.audience = null;
        SamlBrowser browser = browser();
        refused(sso, browser, sso.login(browser, spec), null, "AudienceRestriction");
    }

    @Test
    void aWrongRecipientIsRefused() {
        SsoFixture sso = sso();
        TestIdp.Spec spec = person(sso, TestData.unique("recipient"));
        spec.recipient = "https://another-sp.test/acs";
        SamlBrowser browser = browser();
        refused(sso, browser, sso.login(browser, spec), null, "recipient");
    }

    @Test
    void aWrongOrMissingDestinationIsRefused() {
        SsoFixture sso = sso();
        TestIdp.Spec spec = person(sso, TestData.unique("destination"));
        spec.destination = "https://another-sp.test/acs";
        SamlBrowser browser = browser();
        refused(sso, browser, sso.login(browser, spec), null, "destination");

        TestIdp.Spec none = person(sso, TestData.unique("nodestination"));
        none.destination = null;
        SamlBrowser second = browser();
        refused(sso, second, sso.login(second, none), null, "Destination");
    }

    @Test
    void aWrongIssuerIsRefusedOnTheResponseAndOnTheAssertion() {
        SsoFixture sso = sso();
        TestIdp.Spec spec = person(sso, TestData.unique("issuer"));
        spec.issuer = "https://idp.test/someone-else";
        SamlBrowser browser = browser();
        refused(sso, browser, sso.login(browser, spec), null, "issuer");

        TestIdp.Spec assertionOnly = person(sso, TestData.unique("assertionissuer"));
        assertionOnly.assertionIssuer = "https://idp.test/someone-else";
        SamlBrowser second = browser();
        // The signature is checked with the credentials of the connection's IdP for the assertion's issuer.
        refused(sso, second, sso.login(second, assertionOnly), null, "issuer", "signature");
    }

    @Test
    void anExpiredAssertionIsRefused() {
        SsoFixture sso = sso();
        TestIdp.Spec spec = person(sso, TestData.unique("expired"));
        spec.issued = Instant.now().minus(Duration.ofMinutes(30));
        spec.notBefore = Instant.now().minus(Duration.ofMinutes(30));
        spec.notOnOrAfter = Instant.now().minus(Duration.ofMinutes(10));
        SamlBrowser browser = browser();
        refused(sso, browser, sso.login(browser, spec), null, "NotOnOrAfter");
    }

    @Test
    void aNotYetValidAssertionIsRefused() {
        SsoFixture sso = sso();
        TestIdp.Spec spec = person(sso, TestData.unique("early"));
        spec.notBefore = Instant.now().plus(Duration.ofMinutes(10));
        SamlBrowser browser = browser();
        refused(sso, browser, sso.login(browser, spec), null, "NotBefore");
    }

    @Test
    void aSubjectConfirmationPastItsNotOnOrAfterIsRefused() {
        SsoFixture sso = sso();
        TestIdp.Spec spec = person(sso, TestData.unique("confirmation"));
        spec.confirmationNotOnOrAfter = Instant.now().minus(Duration.ofMinutes(5));
        SamlBrowser browser = browser();
        refused(sso, browser, sso.login(browser, spec), null, "subject confirmation");
    }

    @Test
    void anInResponseToThatIsNotTheBrowsersRequestIsRefused() {
        SsoFixture sso = sso();
        SamlBrowser browser = browser();
        SsoFixture.Started started = sso.start(browser, null);
        TestIdp.Spec spec = person(sso, TestData.unique("irt"));
        spec.inResponseTo = "_someone-elses-request";
        refused(sso, browser, sso.post(browser, sso.idp.response(spec), started.relayState()), null, "InResponseTo");
    }

    @Test
    void anUnsolicitedResponseIsRefusedWhileIdpInitiatedLoginIsOff() {
        SsoFixture sso = sso();
        TestIdp.Spec spec = person(sso, TestData.unique("unsolicited"));
        SamlBrowser browser = browser();
        refused(sso, browser, sso.post(browser, sso.idp.response(spec), null), null, "IdP-initiated");
    }

    @Test
    void aReplayedAssertionIsRefusedEvenWhereIdpInitiatedLoginIsOn() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of("idpInitiated", true));
        sso.grant("domain", sso.domain);
        String email = sso.email(TestData.unique("replay"));
        String response = sso.idp.response(TestIdp.okta(sso.spec(), email, "Re", "Play"));
        SamlBrowser first = browser();
        assertThat(sso.post(first, response, null).location()).endsWith("/");
        assertThat(SsoFixture.signedIn(first)).isTrue();

        SamlBrowser attacker = browser();
        SamlBrowser.Page replayed = sso.post(attacker, response, null);
        assertThat(replayed.location()).contains("/sso/error?reason=replayed");
        assertThat(SsoFixture.signedIn(attacker)).isFalse();
        assertThat(latestRefusal(sso).after().toString()).contains("was used before");

        // Posted again and again, it is refused each time and audited within the connection's budget.
        for (int i = 0; i < 64; i++) {
            assertThat(sso.post(browser(), response, null).location()).contains("/sso/error?reason=replayed");
        }
        assertThat(audit.find(sso.org.id(), new AuditQuery(null, null, null, "sso.login-denied", null, null, null),
                PageQuery.of(0, 500)).items()).hasSize(60);
    }

    @Test
    void aResponseWhoseRequestWasAlreadyAnsweredIsRefused() {
        SsoFixture sso = sso();
        SamlBrowser browser = browser();
        SsoFixture.Started started = sso.start(browser, null);
        TestIdp.Spec spec = person(sso, TestData.unique("twice"));
        spec.inResponseTo = started.request().getID();
        String response = sso.idp.response(spec);
        assertThat(sso.post(browser, response, started.relayState()).location()).endsWith("/");
        SamlBrowser attacker = browser();
        refused(sso, attacker, sso.post(attacker, response, started.relayState()), null, "InResponseTo");
    }

    @Test
    void commentsInjectedIntoTheNameIdAndEmailDoNotTruncateTheValue() {
        SsoFixture sso = sso();
        SamlBrowser browser = browser();
        SsoFixture.Started started = sso.start(browser, null);
        // The attacker controls attacker@<domain>.evil.test; a comment makes a naive reader see only the victim part.
        String victim = sso.email(TestData.unique("victim"));
        String attacker = victim + ".evil.test";
        TestIdp.Spec spec = TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), attacker, "E", "V");
        spec.inResponseTo = started.request().getID();
        String xml = sso.idp.responseXml(spec).replace(">" + attacker + "<", ">" + victim + "<!---->.evil.test<");
        // The parser drops the comment and reads the whole signed value: the attacker's own address, whose domain
        // the organization has not verified. The victim's account is never touched.
        refused(sso, browser, sso.post(browser, TestIdp.base64(xml), started.relayState()), victim,
                attacker.substring(attacker.indexOf('@') + 1));
    }

    @Test
    void doctypeDeclarationsAndExternalEntitiesAreRefused() {
        SsoFixture sso = sso();
        SamlBrowser browser = browser();
        SsoFixture.Started started = sso.start(browser, null);
        TestIdp.Spec spec = person(sso, TestData.unique("xxe"));
        spec.inResponseTo = started.request().getID();
        String xml = "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + sso.idp.responseXml(spec).replace("<saml2:Audience>", "<saml2:Audience>&xxe;");
        refused(sso, browser, sso.post(browser, TestIdp.base64(xml), started.relayState()), null, "DOCTYPE");
    }

    @Test
    void anOversizeMessageIsRefusedBeforeParsing() {
        SsoFixture sso = sso();
        String huge = Base64.getEncoder().encodeToString(new byte[3 * 1024 * 1024]);
        SamlBrowser.Page page = sso.post(browser(), huge, null);
        assertThat(page.status()).isEqualTo(413);
    }

    @Test
    void aFloodOfRefusedResponsesWritesABoundedNumberOfAuditEntriesAndCountsTheRest() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of());
        TestIdp.Spec spec = TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), sso.email("flood"), "F", "L");
        spec.signAssertion = false;
        spec.signResponse = false;
        String unsigned = sso.idp.response(spec);
        int limit = 60;
        try {
            for (int i = 0; i < limit + 5; i++) {
                SamlBrowser.Page page = sso.post(browser(), unsigned, null);
                assertThat(page.location()).as("each is refused").contains("/sso/error");
            }
            assertThat(rejections(sso)).as("the budget of the connection and reason").hasSize(limit);

            clock.advance(Duration.ofMinutes(1));
            sso.post(browser(), unsigned, null);

            List<AuditEvent> audited = rejections(sso);
            assertThat(audited).hasSize(limit + 1);
            assertThat(audited.get(0).after().path("notAuditedBefore").asLong()).isEqualTo(5);
        }
        finally {
            clock.reset();
        }
    }

    private List<AuditEvent> rejections(SsoFixture sso) {
        return audit.find(sso.org.id(), new AuditQuery(null, null, null, "sso.login-rejected", null, null, null),
                PageQuery.of(0, 500)).items();
    }

    @Test
    void aDeflateBombOnTheRedirectBindingIsRefusedAfterReadingAtMostTheLimit() {
        SsoFixture sso = sso();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[1024 * 1024];
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        // 4 MiB of zeros deflate to about 4 KiB: small enough for a URL, sixteen times the limit once inflated.
        for (int i = 0; i < 4; i++) {
            deflater.setInput(zeros);
            while (!deflater.needsInput()) {
                bomb.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            bomb.write(buffer, 0, deflater.deflate(buffer));
        }
        String encoded = URLEncoder.encode(Base64.getEncoder().encodeToString(bomb.toByteArray()), StandardCharsets.UTF_8);
        SamlBrowser.Page page = browser().get(sso.acsPath() + "?SAMLResponse=" + encoded);
        assertThat(page.status()).isEqualTo(413);
    }

    @Test
    void relayStateAndReturnToNeverLeaveRoster() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of("idpInitiated", true));
        sso.grant("domain", sso.domain);
        for (String target : new String[] {"https://evil.test/", "//evil.test/x", "/\\evil.test", "javascript:alert(1)"}) {
            SamlBrowser browser = browser();
            String response = sso.idp.response(TestIdp.okta(sso.spec(), sso.email(TestData.unique("relay")), "R", "S"));
            SamlBrowser.Page page = sso.post(browser, response, target);
            assertThat(page.location()).as(target).isEqualTo(api.baseUrl() + "/");
        }
        SamlBrowser browser = browser();
        SsoFixture.Started started = sso.start(browser, "returnTo=" + URLEncoder.encode("//evil.test", StandardCharsets.UTF_8));
        TestIdp.Spec spec = TestIdp.okta(sso.spec(), sso.email(TestData.unique("return")), "R", "T");
        spec.inResponseTo = started.request().getID();
        assertThat(sso.post(browser, sso.idp.response(spec), started.relayState()).location())
                .isEqualTo(api.baseUrl() + "/");

        SamlBrowser local = browser();
        SsoFixture.Started localStart = sso.start(local, "returnTo=" + URLEncoder.encode("/orgs/x/members?page=2",
                StandardCharsets.UTF_8));
        TestIdp.Spec localSpec = TestIdp.okta(sso.spec(), sso.email(TestData.unique("local")), "L", "P");
        localSpec.inResponseTo = localStart.request().getID();
        assertThat(sso.post(local, sso.idp.response(localSpec), localStart.relayState()).location())
                .isEqualTo(api.baseUrl() + "/orgs/x/members?page=2");
    }

    @Test
    void metadataUrlsPointingAtInternalAddressesOrPlainHttpAreRefused() {
        TestData.Org org = data.org();
        for (String url : new String[] {"https://127.0.0.1/metadata", "https://10.1.2.3/metadata",
                "https://169.254.169.254/latest/meta-data", "https://192.168.1.1/idp", "https://[::1]/metadata",
                "http://idp.example.com/metadata"}) {
            TestApi.Response response = api.post(org.admin().token(), org.api("/sso-connections"),
                    Map.of("kind", "generic", "metadataUrl", url));
            assertThat(response.status()).as(url).isEqualTo(400);
            assertThat(response.json().path("errors").path("metadataUrl").asText()).as(url)
                    .containsAnyOf("internal address", "HTTPS");
        }
    }

    @Test
    void anAssertionFromAnotherOrganizationsIdpIsRefusedAtThisConnection() {
        SsoFixture orgA = SsoFixture.create(api, data, domains, "entra", Map.of("idpInitiated", true));
        orgA.grant("domain", orgA.domain);
        SsoFixture orgB = SsoFixture.create(api, data, domains, "entra", Map.of("idpInitiated", true));
        orgB.grant("domain", orgB.domain);
        String email = orgB.email(TestData.unique("crossed"));

        // A's IdP, addressed to A, posted at B.
        TestIdp.Spec forA = TestIdp.entra(orgA.spec(), UUID.randomUUID().toString(), email, "C", "O");
        SamlBrowser browser = browser();
        refused(orgB, browser, orgB.post(browser, orgA.idp.response(forA), null), email, "destination", "issuer");

        // A's IdP forging everything B expects except B's signing key.
        TestIdp.Spec forged = TestIdp.entra(orgB.spec(), UUID.randomUUID().toString(), email, "C", "O");
        forged.signingKey = orgA.idp.key;
        forged.signingCertificate = orgA.idp.certificate;
        SamlBrowser second = browser();
        refused(orgB, second, orgB.post(second, orgA.idp.response(forged), null), email, "signature");
    }

    @ParameterizedTest(name = "XSW{0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void signatureWrappingIsRefused(int attack) {
        SsoFixture sso = sso();
        SamlBrowser browser = browser();
        SsoFixture.Started started = sso.start(browser, null);
        String attacker = sso.email(TestData.unique("attacker"));
        String victim = sso.email(TestData.unique("victim"));
        TestIdp.Spec spec = TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), attacker, "A", "W");
        spec.inResponseTo = started.request().getID();
        spec.signAssertion = attack > 2;
        spec.signResponse = attack <= 2;
        String wrapped = SignatureWrapping.apply(attack, sso.idp.responseXml(spec), attacker, victim);
        SamlBrowser.Page page = sso.post(browser, TestIdp.base64(wrapped), started.relayState());
        assertThat(page.location()).contains("/sso/error");
        assertThat(SsoFixture.signedIn(browser)).isFalse();
        assertThat(accounts.findByEmail(victim)).isEmpty();
        assertThat(accounts.findByEmail(attacker)).isEmpty();
        JsonNode reason = latestRefusal(sso).after();
        assertThat(reason.path("reason").asText()).isNotBlank();
    }

    private static String emailClaim() {
        return "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";
    }
}
