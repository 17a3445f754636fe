package dev.roster.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.resource.AccessFixture;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.Scrape;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestData.Org;
import dev.roster.test.TestData.Person;
import dev.roster.test.TestSession;

/**
 * {@code /actuator/prometheus} answers only the scraper holding ROSTER_METRICS_TOKEN, and after real traffic on every
 * channel carries each metric docs/operations.md names, tagged by channel and directory, with no user data.
 */
@RosterIntegrationTest
class MetricsTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData testData;
    @Autowired
    dev.roster.test.MutableClock clock;

    @Test
    void onlyTheScraperWithTheTokenReadsTheMetrics() {
        Scrape none = Scrape.of(api.baseUrl(), null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.response().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
        assertThat(none.body()).doesNotContain("roster_");
        assertThat(Scrape.of(api.baseUrl(), "wrong-token").status()).isEqualTo(401);
        assertThat(Scrape.of(api.baseUrl(), Scrape.TOKEN + "x").status()).isEqualTo(401);
        Org org = testData.org();
        assertThat(Scrape.of(api.baseUrl(), org.admin().token()).status()).as("an admin's API token is not it")
                .isEqualTo(401);

        Scrape scrape = Scrape.of(api.baseUrl(), Scrape.TOKEN);
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.response().headers().firstValue("Content-Type")).hasValueSatisfying(
                value -> assertThat(value).startsWith("text/plain"));
    }

    @Test
    void afterRealTrafficEachNamedMetricIsThereTaggedByChannelAndDirectory() {
        Org org = testData.org();
        Person member = testData.member(org, false);
        // SCIM: a directory of one request a second, sent to until it is refused.
        TestApi.Response directory = api.post(org.admin().token(), org.api("/scim-directories"),
                Map.of("name", "Metrics", "kind", "okta", "requestsPerSecond", 1));
        assertThat(directory.status()).isEqualTo(201);
        String directoryId = directory.json().path("id").asText();
        String scimToken = directory.json().path("token").asText();
        boolean refused = false;
        for (int i = 0; i < 20 && !refused; i++) {
            refused = scim(scimToken) == 429;
        }
        assertThat(refused).isTrue();
        // The admin API, a decision, a page, a failed password sign-in.
        assertThat(api.get(member.token(), "/api/v1/me").status()).isEqualTo(200);
        AccessFixture access = new AccessFixture(api);
        UUID resource = access.sharedResource(org);
        assertThat(access.decide(org, member.id(), resource).has("allowed")).isTrue();
        TestSession browser = new TestSession(api.baseUrl());
        assertThat(browser.get("/login").status()).isEqualTo(200);
        assertThat(browser.signIn(member.email(), "not-the-password").location()).contains("/login?error");
        // A wrong second factor after the right password.
        Person enrolled = testData.member(org, false);
        dev.roster.test.TestTwoFactor.enrol(api, enrolled.token(), clock);
        TestSession second = new TestSession(api.baseUrl());
        assertThat(second.signIn(enrolled.email(), TestData.PASSWORD).location()).endsWith("/login/two-factor");
        assertThat(second.submit("/login/two-factor", "/login/two-factor", java.util.Map.of("code", "abcdef"))
                .body()).contains("two-factor");

        Scrape scrape = Scrape.of(api.baseUrl(), Scrape.TOKEN);
        assertThat(scrape.status()).isEqualTo(200);
        String requests = "roster_http_requests_seconds_count";
        assertThat(scrape.sum(requests, "channel=\"scim\"", "directory=\"" + directoryId + "\"", "status=\"200\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum(requests, "channel=\"scim\"", "directory=\"" + directoryId + "\"", "status=\"429\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum(requests, "channel=\"api\"", "status=\"200\"")).isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum(requests, "channel=\"decisions\"", "status=\"200\"")).isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum(requests, "channel=\"pages\"", "status=\"200\"")).isGreaterThanOrEqualTo(1);
        assertThat(scrape.samples("roster_http_requests_seconds_bucket", "channel=\"scim\"", "le=\"0.1\""))
                .as("latency buckets").isNotEmpty();
        // SCIM requests are timed once, by roster_http_requests (channel scim, per directory): Spring's own
        // http.server.requests observation is skipped for them (issue 15), and kept for every other channel.
        assertThat(scrape.samples("http_server_requests_seconds_count", "uri=\"/scim/"))
                .as("no second timer of SCIM requests").isEmpty();
        // (Any other URI: Spring stops adding URI tags after its first 100, which a long test run passes.)
        assertThat(scrape.samples("http_server_requests_seconds_count"))
                .as("the other channels keep Spring's").isNotEmpty();
        assertThat(scrape.sum("roster_sign_in_failures_total", "method=\"password\"", "reason=\"bad_credentials\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("roster_sign_in_failures_total", "method=\"totp\"", "reason=\"wrong_code\""))
                .isGreaterThanOrEqualTo(1);
        for (String gauge : new String[] {"roster_mail_outbox_pending", "roster_mail_outbox_oldest_age_seconds",
                "roster_webhook_backlog_events", "roster_webhook_backlog_oldest_age_seconds",
                "roster_scim_request_log_buffered", "roster_scim_request_log_dropped_total",
                "roster_rate_limit_fallbacks_total", "hikaricp_connections_active", "hikaricp_connections_pending",
                "hikaricp_connections_max"}) {
            assertThat(scrape.samples(gauge)).as(gauge).isNotEmpty();
        }
        // The dashboard in docs/ reads only metrics that are there.
        java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\b(roster_[a-z_]+|hikaricp_[a-z_]+)")
                .matcher(dashboard());
        int named = 0;
        while (names.find()) {
            named++;
            assertThat(scrape.samples(names.group(1))).as("the dashboard's " + names.group(1)).isNotEmpty();
        }
        assertThat(named).isGreaterThan(10);
        // Ids only: no address, name or slug an organization or person chose.
        assertThat(scrape.body()).doesNotContain(member.email()).doesNotContain(org.slug());
    }

    private static String dashboard() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("docs/grafana/roster-dashboard.json"));
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private int scim(String token) {
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(api.baseUrl() + "/scim/v2/Users?count=1"))
                    .header("Authorization", "Bearer " + token).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            return response.statusCode();
        }
        catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
