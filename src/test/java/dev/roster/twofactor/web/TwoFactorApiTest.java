package dev.roster.twofactor.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestTwoFactor;

@RosterIntegrationTest
class TwoFactorApiTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void enrolmentGivesAQrCodeAndIsOnlyOnOnceConfirmed() {
        TestData.Person person = data.person("enrol");

        TestApi.Response begun = api.post(person.token(), "/api/v1/me/two-factor", null);

        assertThat(begun.status()).isEqualTo(200);
        String secret = begun.json().path("secret").asText();
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(begun.json().path("otpauthUri").asText()).startsWith("otpauth://totp/")
                .contains("secret=" + secret).contains("issuer=Roster");
        assertThat(begun.json().path("qrCodeDataUri").asText()).startsWith("data:image/png;base64,");
        assertThat(status(person).path("enabled").asBoolean()).isFalse();
        assertThat(status(person).path("pending").asBoolean()).isTrue();
        assertThat(jdbc.sql("SELECT secret FROM two_factor WHERE account_id = ?").param(person.id())
                .query(String.class).single()).startsWith("v1:").doesNotContain(secret);

        TestApi.Response wrong = api.post(person.token(), "/api/v1/me/two-factor/confirm",
                Map.of("code", TestTwoFactor.wrongCode(secret, clock)));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().path("errors").has("code")).isTrue();
        assertThat(status(person).path("enabled").asBoolean()).isFalse();

        TestApi.Response confirmed = api.post(person.token(), "/api/v1/me/two-factor/confirm",
                Map.of("code", TestTwoFactor.code(secret, clock)));

        assertThat(confirmed.status()).isEqualTo(200);
        assertThat(confirmed.json().path("recoveryCodes")).hasSize(10);
        assertThat(status(person).path("enabled").asBoolean()).isTrue();
        assertThat(status(person).path("remainingRecoveryCodes").asInt()).isEqualTo(10);
        assertThat(status(person).toString()).doesNotContain(confirmed.json().path("recoveryCodes").get(0).asText());
        assertThat(api.get(person.token(), "/api/v1/me").json().path("twoFactorEnabled").asBoolean()).isTrue();
        assertThat(api.post(person.token(), "/api/v1/me/two-factor", null).status()).isEqualTo(409);
    }

    @Test
    void turningOffTakesACurrentCode() {
        TestData.Person person = data.person("disable");
        TestTwoFactor.Enrolled enrolled = TestTwoFactor.enrol(api, person.token(), clock);

        TestApi.Response withoutCode = api.send(person.token(), "DELETE", "/api/v1/me/two-factor", Map.of(), Map.of());
        assertThat(withoutCode.status()).isEqualTo(400);
        TestApi.Response wrongCode = api.send(person.token(), "DELETE", "/api/v1/me/two-factor",
                Map.of("code", TestTwoFactor.wrongCode(enrolled.secret(), clock)), Map.of());
        assertThat(wrongCode.status()).isEqualTo(400);
        TestApi.Response replayed = api.send(person.token(), "DELETE", "/api/v1/me/two-factor",
                Map.of("code", TestTwoFactor.code(enrolled.secret(), clock)), Map.of());
        assertThat(replayed.status()).as("the code that confirmed enrolment is spent").isEqualTo(400);
        assertThat(replayed.json().at("/errors/code").asText()).as("a spent code is not blamed on the clock")
                .contains("used already").doesNotContain("time on your device");
        assertThat(wrongCode.json().at("/errors/code").asText()).contains("not right");
        assertThat(status(person).path("enabled").asBoolean()).isTrue();

        TestApi.Response disabled = api.send(person.token(), "DELETE", "/api/v1/me/two-factor",
                Map.of("code", TestTwoFactor.nextCode(enrolled.secret(), clock)), Map.of());

        assertThat(disabled.status()).isEqualTo(204);
        assertThat(status(person).path("enabled").asBoolean()).isFalse();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM recovery_code WHERE account_id = ?").param(person.id())
                .query(Long.class).single()).isZero();
    }

    @Test
    void aRecoveryCodeAlsoTurnsItOffButOnlyOnce() {
        TestData.Person person = data.person("recovery-off");
        TestTwoFactor.Enrolled enrolled = TestTwoFactor.enrol(api, person.token(), clock);
        String recovery = enrolled.recoveryCodes().get(3);

        TestApi.Response regenerated = api.post(person.token(), "/api/v1/me/two-factor/recovery-codes",
                Map.of("code", recovery));
        assertThat(regenerated.status()).isEqualTo(200);
        assertThat(regenerated.json().path("recoveryCodes")).hasSize(10);
        assertThat(regenerated.json().path("recoveryCodes").toString()).doesNotContain(recovery);

        TestApi.Response oldCode = api.send(person.token(), "DELETE", "/api/v1/me/two-factor",
                Map.of("code", enrolled.recoveryCodes().get(5)), Map.of());
        assertThat(oldCode.status()).as("regeneration voids the old codes").isEqualTo(400);

        String fresh = regenerated.json().path("recoveryCodes").get(0).asText();
        assertThat(api.send(person.token(), "DELETE", "/api/v1/me/two-factor", Map.of("code", fresh), Map.of())
                .status()).isEqualTo(204);
    }

    @Test
    void fiveWrongCodesLockTheAccountOutWithRetryAfter() {
        TestData.Person person = data.person("lockout");
        TestTwoFactor.Enrolled enrolled = TestTwoFactor.enrol(api, person.token(), clock);
        Map<String, String> wrong = Map.of("code", TestTwoFactor.wrongCode(enrolled.secret(), clock));

        for (int attempt = 1; attempt <= 4; attempt++) {
            assertThat(api.post(person.token(), "/api/v1/me/two-factor/recovery-codes", wrong).status())
                    .isEqualTo(400);
        }
        TestApi.Response fifth = api.post(person.token(), "/api/v1/me/two-factor/recovery-codes", wrong);

        assertThat(fifth.status()).isEqualTo(429);
        assertThat(fifth.json().path("type").asText()).isEqualTo("urn:roster:problem:too-many-attempts");
        assertThat(Long.parseLong(fifth.header("Retry-After"))).isBetween(1L, 300L);
        TestApi.Response rightButLocked = api.post(person.token(), "/api/v1/me/two-factor/recovery-codes",
                Map.of("code", TestTwoFactor.nextCode(enrolled.secret(), clock)));
        assertThat(rightButLocked.status()).isEqualTo(429);
        assertThat(api.post(person.token(), "/api/v1/me/two-factor/recovery-codes",
                Map.of("code", enrolled.recoveryCodes().get(0))).status()).isEqualTo(429);

        clock.advance(Duration.ofMinutes(5));

        assertThat(api.post(person.token(), "/api/v1/me/two-factor/recovery-codes",
                Map.of("code", TestTwoFactor.code(enrolled.secret(), clock))).status()).isEqualTo(200);
    }

    @Test
    void parallelGuessesAreCountedOneByOne() throws Exception {
        TestData.Person person = data.person("parallel");
        TestTwoFactor.Enrolled enrolled = TestTwoFactor.enrol(api, person.token(), clock);
        Map<String, String> wrong = Map.of("code", TestTwoFactor.wrongCode(enrolled.secret(), clock));
        int guesses = 12;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(guesses);
        List<Future<Integer>> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < guesses; i++) {
                statuses.add(pool.submit(() -> {
                    start.await();
                    return api.post(person.token(), "/api/v1/me/two-factor/recovery-codes", wrong).status();
                }));
            }
            start.countDown();
            List<Integer> answered = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                answered.add(status.get(60, TimeUnit.SECONDS));
            }
            assertThat(answered).filteredOn(status -> status == 400).as("only four wrong guesses before the lock")
                    .hasSize(4);
            assertThat(answered).filteredOn(status -> status == 429).hasSize(guesses - 4);
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoFactorChangesAreInTheAccountsAuditTrail() {
        TestData.Person person = data.person("tf-audit");
        TestTwoFactor.Enrolled enrolled = TestTwoFactor.enrol(api, person.token(), clock);
        api.send(person.token(), "DELETE", "/api/v1/me/two-factor",
                Map.of("code", TestTwoFactor.nextCode(enrolled.secret(), clock)), Map.of());

        TestApi.Response events = api.get(person.token(), "/api/v1/me/audit-events?action=two-factor.disabled");
        assertThat(events.json().path("total").asLong()).isEqualTo(1);
        assertThat(events.json().path("items").get(0).path("channel").asText()).isEqualTo("API");
        assertThat(api.get(person.token(), "/api/v1/me/audit-events?action=two-factor.enabled").json()
                .path("total").asLong()).isEqualTo(1);
    }

    private JsonNode status(TestData.Person person) {
        return api.get(person.token(), "/api/v1/me/two-factor").json();
    }
}
