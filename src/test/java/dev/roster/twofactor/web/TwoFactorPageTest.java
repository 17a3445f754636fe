package dev.roster.twofactor.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.StrictCsp;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;
import dev.roster.test.TestTwoFactor;

@RosterIntegrationTest
class TwoFactorPageTest {

    private static final Pattern SECRET = Pattern.compile("id=\"totp-secret\"[^>]*>([A-Z2-7]+)<");
    private static final Pattern RECOVERY = Pattern.compile("<li>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</li>");

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    MutableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void enrolsWithTheQrCodeAndShowsRecoveryCodesOnce() {
        TestData.Person person = data.person("ui-enrol");
        TestSession browser = signedIn(person);
        TestSession.Page off = browser.get("/account/two-factor");
        assertThat(off.body()).contains("Two-factor authentication is off").doesNotContain("requires two-factor");
        StrictCsp.assertRespectedBy(off.body());

        TestSession.Page begun = browser.submit("/account/two-factor", "/account/two-factor/begin", Map.of());
        // Post/redirect/get: 303 to a page a refresh only reads again.
        assertThat(begun.status()).isEqualTo(303);
        assertThat(begun.location()).endsWith("/account/two-factor");
        TestSession.Page setUp = browser.get("/account/two-factor");
        StrictCsp.assertRespectedBy(setUp.body());
        assertThat(setUp.body()).contains("<img class=\"qr\" src=\"data:image/png;base64,");
        Matcher secret = SECRET.matcher(setUp.body());
        assertThat(secret.find()).isTrue();

        TestSession.Page posted = browser.submit("/account/two-factor", "/account/two-factor/confirm",
                Map.of("code", TestTwoFactor.code(secret.group(1), clock)));

        assertThat(posted.status()).isEqualTo(303);
        assertThat(posted.location()).endsWith("/account/two-factor/recovery-codes");
        TestSession.Page confirmed = browser.get("/account/two-factor/recovery-codes");
        assertThat(confirmed.status()).isEqualTo(200);
        StrictCsp.assertRespectedBy(confirmed.body());
        Matcher recovery = RECOVERY.matcher(confirmed.body());
        int codes = 0;
        String first = null;
        while (recovery.find()) {
            first = first == null ? recovery.group(1) : first;
            codes++;
        }
        assertThat(codes).isEqualTo(10);
        // A refresh of the codes' page shows them no more (and confirms nothing again): back to the two-factor page.
        TestSession.Page refreshed = browser.get("/account/two-factor/recovery-codes");
        assertThat(refreshed.status()).isEqualTo(302);
        assertThat(refreshed.location()).endsWith("/account/two-factor");
        TestSession.Page on = browser.get("/account/two-factor");
        assertThat(on.body()).contains("Two-factor authentication is on").contains("<strong>10</strong> unused")
                .doesNotContain(first).doesNotContain(secret.group(1));
        assertThat(api.get(person.token(), "/api/v1/me").json().path("twoFactorEnabled").asBoolean()).isTrue();
    }

    @Test
    void replacesRecoveryCodesAndTurnsOffWithACode() {
        TestData.Person person = data.person("ui-manage");
        TestTwoFactor.Enrolled enrolled = TestTwoFactor.enrol(api, person.token(), clock);
        TestSession browser = new TestSession(api.baseUrl());
        browser.signIn(person.email(), TestData.PASSWORD);
        browser.submit("/login/two-factor", "/login/two-factor",
                Map.of("code", TestTwoFactor.nextCode(enrolled.secret(), clock)));

        TestSession.Page wrong = browser.submit("/account/two-factor", "/account/two-factor/recovery-codes",
                Map.of("code", TestTwoFactor.wrongCode(enrolled.secret(), clock)));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("id=\"regenerate-error\" class=\"field-error\">That code is not right");

        TestSession.Page posted = browser.submit("/account/two-factor", "/account/two-factor/recovery-codes",
                Map.of("code", TestTwoFactor.nextCode(enrolled.secret(), clock)));
        assertThat(posted.status()).isEqualTo(303);
        assertThat(posted.location()).endsWith("/account/two-factor/recovery-codes");
        TestSession.Page replaced = browser.get("/account/two-factor/recovery-codes");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.body()).contains("New recovery codes").doesNotContain(enrolled.recoveryCodes().get(0));
        Matcher shown = RECOVERY.matcher(replaced.body());
        assertThat(shown.find()).isTrue();
        // Reading the page again replaces nothing: the codes just shown are still the ones that count.
        assertThat(browser.get("/account/two-factor/recovery-codes").status()).isEqualTo(302);
        assertThat(browser.get("/account/two-factor").body()).contains("<strong>10</strong> unused");

        TestSession.Page off = browser.submit("/account/two-factor", "/account/two-factor/disable",
                Map.of("code", TestTwoFactor.nextCode(enrolled.secret(), clock)));

        assertThat(off.status()).isEqualTo(303);
        assertThat(off.location()).endsWith("/account/two-factor");
        assertThat(browser.get("/account/two-factor").body()).contains("Two-factor authentication is off.");
        assertThat(api.get(person.token(), "/api/v1/me").json().path("twoFactorEnabled").asBoolean()).isFalse();
    }

    private TestSession signedIn(TestData.Person person) {
        TestSession browser = new TestSession(api.baseUrl());
        assertThat(browser.signIn(person.email(), TestData.PASSWORD).location()).doesNotContain("error");
        return browser;
    }
}
