package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.Scrape;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.saml.SpUrls;

/**
 * SAML traffic in the metrics: requests by connection, and refused sign-ins by reason; a connection that does not
 * exist is never a tag (anyone can post to any address).
 */
@RosterIntegrationTest
class SamlMetricsTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;

    @Test
    void signInsAreCountedByConnectionAndRefusalsByReason() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of());
        TestIdp.Spec spec = TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), sso.email("metrics"), "M", "T");
        spec.signAssertion = false;
        spec.signResponse = false;
        assertThat(sso.post(new SamlBrowser(api.baseUrl()), sso.idp.response(spec), null).location())
                .contains("/sso/error");
        String unknown = UUID.randomUUID().toString();
        assertThat(new SamlBrowser(api.baseUrl()).post(SpUrls.ACS_PATH + unknown, Map.of("SAMLResponse", "x"))
                .status()).isEqualTo(404);

        Scrape scrape = Scrape.of(api.baseUrl(), Scrape.TOKEN);
        assertThat(scrape.sum("roster_http_requests_seconds_count", "channel=\"saml\"",
                "connection=\"" + sso.id() + "\"")).isGreaterThanOrEqualTo(1);
        // Unsolicited (IdP-initiated sign-in is off for the connection), before the signature is looked at.
        assertThat(scrape.sum("roster_sign_in_failures_total", "method=\"saml\"", "reason=\"invalid_in_response_to\""))
                .as(String.join("\n", scrape.samples("roster_sign_in_failures_total"))).isGreaterThanOrEqualTo(1);
        assertThat(scrape.body()).doesNotContain(unknown);
    }
}
