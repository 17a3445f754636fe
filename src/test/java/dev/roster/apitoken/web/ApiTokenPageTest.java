package dev.roster.apitoken.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.StrictCsp;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;

@RosterIntegrationTest
class ApiTokenPageTest {

    private static final Pattern SECRET = Pattern.compile("id=\"new-token-secret\"[^>]*>(roster_pat_[^<]+)<");

    @Autowired
    TestApi api;
    @Autowired
    TestData data;

    @Test
    void createsATokenAndShowsItsSecretOnlyOnce() {
        TestData.Person person = data.person("ui-tokens");
        TestSession browser = signedIn(person);
        TestSession.Page empty = browser.get("/account/tokens");
        assertThat(empty.status()).isEqualTo(200);
        StrictCsp.assertRespectedBy(empty.body());

        TestSession.Page posted = browser.submit("/account/tokens", "/account/tokens",
                Map.of("name", "laptop CLI", "expiresInDays", "30"));
        assertThat(posted.status()).as("post/redirect/get").isEqualTo(302);
        TestSession.Page created = browser.get("/account/tokens");

        assertThat(created.status()).isEqualTo(200);
        assertThat(created.body()).contains("Copy it now").contains("only time it is shown");
        StrictCsp.assertRespectedBy(created.body());
        Matcher secret = SECRET.matcher(created.body());
        assertThat(secret.find()).as(created.body()).isTrue();
        assertThat(api.get(secret.group(1), "/api/v1/me").json().path("email").asText()).isEqualTo(person.email());

        TestSession.Page later = browser.get("/account/tokens");
        assertThat(later.body()).contains("laptop CLI").doesNotContain(secret.group(1))
                .doesNotContain("new-token-secret");
        assertThat(later.body()).containsPattern("laptop CLI</td>\\s*<td><span class=\"badge active\">active</span>");
        assertThat(api.get(person.token(), "/api/v1/me/tokens").json().path("items").get(0).path("expiresAt")
                .asText()).isNotBlank();
    }

    @Test
    void showsLastUseAndRevokes() {
        TestData.Person person = data.person("ui-revoke");
        TestSession browser = signedIn(person);
        browser.submit("/account/tokens", "/account/tokens", Map.of("name", "ci", "expiresInDays", "0"));
        TestSession.Page created = browser.get("/account/tokens");
        Matcher secret = SECRET.matcher(created.body());
        assertThat(secret.find()).isTrue();
        assertThat(browser.get("/account/tokens").body()).contains("Never used");
        api.get(secret.group(1), "/api/v1/me");
        TestSession.Page listed = browser.get("/account/tokens");
        assertThat(listed.body()).containsPattern("<td>ci</td>(?s:.*?)<td>Never</td>\\s*<td><time class=\"moment\" "
                + "title=\"\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\" datetime=\"[^\"]+\">just now</time></td>");
        String id = api.get(person.token(), "/api/v1/me/tokens").json().path("items").get(0).path("id").asText();

        TestSession.Page asked = browser.submit("/account/tokens", "/account/tokens/" + id + "/revoke", Map.of());
        assertThat(asked.status()).isEqualTo(200);
        assertThat(asked.body()).contains("Revoke the token ci?", "get 401 from then on");
        assertThat(api.get(secret.group(1), "/api/v1/me").status()).as("not revoked before the answer").isEqualTo(200);

        TestSession.Page revoked = browser.submit("/account/tokens", "/account/tokens/" + id + "/revoke",
                Map.of("confirmed", "yes"));

        assertThat(revoked.status()).isEqualTo(302);
        assertThat(browser.get("/account/tokens").body()).contains("The token is revoked.");
        assertThat(api.get(secret.group(1), "/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void aTokenWithoutANameIsRefusedNextToTheField() {
        TestData.Person person = data.person("ui-noname");
        TestSession browser = signedIn(person);

        TestSession.Page refused = browser.submit("/account/tokens", "/account/tokens",
                Map.of("name", "  ", "expiresInDays", "7"));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("class=\"field-error\">A token needs a name").doesNotContain("roster_pat_");
        assertThat(api.get(person.token(), "/api/v1/me/tokens").json().path("total").asLong()).isEqualTo(1);
    }

    @Test
    void anotherAccountsTokenCannotBeRevokedFromThePage() {
        TestData.Person owner = data.person("ui-owner");
        TestData.Person other = data.person("ui-other");
        String id = api.get(owner.token(), "/api/v1/me/tokens").json().path("items").get(0).path("id").asText();
        TestSession browser = signedIn(other);

        TestSession.Page asked = browser.submit("/account/tokens", "/account/tokens/" + id + "/revoke", Map.of());
        browser.submit("/account/tokens", "/account/tokens/" + id + "/revoke", Map.of("confirmed", "yes"));

        assertThat(asked.body()).doesNotContain("ui-owner");
        assertThat(browser.get("/account/tokens").body()).contains("Token not found.");
        assertThat(api.get(owner.token(), "/api/v1/me").status()).isEqualTo(200);
    }

    private TestSession signedIn(TestData.Person person) {
        TestSession browser = new TestSession(api.baseUrl());
        assertThat(browser.signIn(person.email(), TestData.PASSWORD).location()).doesNotContain("error");
        return browser;
    }
}
