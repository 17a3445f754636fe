package dev.roster.twofactor.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;
import dev.roster.test.TestTwoFactor;

/** Signing in through the browser once two-factor is on. */
@RosterIntegrationTest
class TwoFactorSignInTest {

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
    void thePasswordAloneNoLongerSignsIn() {
        TestData.Person person = data.person("second-factor");
        TestTwoFactor.Enrolled enrolled = TestTwoFactor.enrol(api, person.token(), clock);
        TestSession browser = new TestSession(api.baseUrl());

        TestSession.Page afterPassword = browser.signIn(person.email(), TestData.PASSWORD);

        assertThat(afterPassword.status()).isEqualTo(302);
        assertThat(afterPassword.location()).endsWith("/login/two-factor");
        assertThat(browser.get("/").location()).as("sent to the second factor").endsWith("/login/two-factor");
        assertThat(browser.get("/account/tokens").location()).as("sent to the second factor").endsWith("/login/two-factor");

        TestSession.Page wrong = submitCode(browser, TestTwoFactor.wrongCode(enrolled.secret(), clock));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("That code is not right");
        assertThat(browser.get("/").location()).as("sent to the second factor").endsWith("/login/two-factor");

        TestSession.Page right = submitCode(browser, TestTwoFactor.nextCode(enrolled.secret(), clock));

        assertThat(right.status()).isEqualTo(302);
        assertThat(right.location()).as("back to the last page asked for").matches(".*:[0-9]+/(\\?continue)?");
        TestSession.Page home = browser.get("/");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).contains("Your organizations");
    }

    @Test
    void aCodeWorksOnlyOnce() {
        TestData.Person person = data.person("replay");
        TestTwoFactor.Enrolled enrolled = TestTwoFactor.enrol(api, person.token(), clock);
        String code = TestTwoFactor.nextCode(enrolled.secret(), clock);
        TestSession first = new TestSession(api.baseUrl());
        first.signIn(person.email(), TestData.PASSWORD);
        assertThat(submitCode(first, code).status()).isEqualTo(302);

        TestSession second = new TestSession(api.baseUrl());
        second.signIn(person.email(), TestData.PASSWORD);
        TestSession.Page replayed = submitCode(second, code);

        assertThat(replayed.status()).isEqualTo(400);
        assertThat(second.get("/").location()).as("sent to the second factor").endsWith("/login/two-factor");
    }

    @Test
    void aRecoveryCodeSignsInOnce() {
        TestData.Person person = data.person("recovery");
        TestTwoFactor.Enrolled enrolled = TestTwoFactor.enrol(api, person.token(), clock);
        String recovery = enrolled.recoveryCodes().get(0);
        TestSession first = new TestSession(api.baseUrl());
        first.signIn(person.email(), TestData.PASSWORD);

        assertThat(submitCode(first, recovery.toUpperCase()).status()).isEqualTo(302);
        assertThat(first.get("/").status()).isEqualTo(200);
        assertThat(api.get(person.token(), "/api/v1/me/two-factor").json().path("remainingRecoveryCodes").asInt())
                .isEqualTo(9);

        TestSession second = new TestSession(api.baseUrl());
        second.signIn(person.email(), TestData.PASSWORD);
        TestSession.Page again = submitCode(second, recovery);
        assertThat(again.status()).isEqualTo(400);
        assertThat(second.get("/").location()).as("sent to the second factor").endsWith("/login/two-factor");
        assertThat(api.get(person.token(), "/api/v1/me/audit-events?action=two-factor.recovery-code-used").json()
                .path("total").asLong()).isEqualTo(1);
    }

    @Test
    void fiveWrongCodesShowTheLockOutPage() {
        TestData.Person person = data.person("ui-lockout");
        TestTwoFactor.Enrolled enrolled = TestTwoFactor.enrol(api, person.token(), clock);
        TestSession browser = new TestSession(api.baseUrl());
        browser.signIn(person.email(), TestData.PASSWORD);
        String wrong = TestTwoFactor.wrongCode(enrolled.secret(), clock);
        for (int attempt = 1; attempt <= 4; attempt++) {
            assertThat(submitCode(browser, wrong).status()).isEqualTo(400);
        }

        TestSession.Page locked = submitCode(browser, wrong);

        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.body()).contains("Too many wrong codes");
        TestSession.Page rightTooLate = submitCode(browser, TestTwoFactor.nextCode(enrolled.secret(), clock));
        assertThat(rightTooLate.status()).isEqualTo(429);
        assertThat(browser.get("/").location()).as("sent to the second factor").endsWith("/login/two-factor");
    }

    private static TestSession.Page submitCode(TestSession browser, String code) {
        return browser.submit("/login/two-factor", "/login/two-factor", Map.of("code", code));
    }
}
