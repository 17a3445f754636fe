package dev.roster.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;

/**
 * Password guessing is throttled per address and per client address, in the database so every instance counts
 * together (the two-factor lock-out is the model), and the answers never tell an existing account from an unknown
 * address: the same redirect, the same page, the same work (a hash look-up and one bcrypt comparison).
 */
@RosterIntegrationTest
class PasswordSignInThrottleTest {

    private static final int PER_ACCOUNT = 10;
    private static final int PER_CLIENT = 100;
    private static final String WRONG = "not the password at all";

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

    /** A browser at its own client address (as a proxy would forward it), so tests do not share a count. */
    private TestSession client(String address) {
        return new TestSession(api.baseUrl(), Map.of("X-Forwarded-For", address));
    }

    private static String someClient() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "198.51." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }

    @Test
    void anAccountIsRefusedAfterTenFailuresEvenWithTheRightPasswordAndFromElsewhereUntilTheWindowEnds() {
        TestData.Person person = data.person("guessed");
        TestSession attacker = client(someClient());
        for (int i = 0; i < PER_ACCOUNT; i++) {
            assertThat(attacker.signIn(person.email(), WRONG + i).location()).endsWith("/login?error");
        }

        assertThat(attacker.signIn(person.email(), TestData.PASSWORD).location()).endsWith("/login?throttled");
        TestSession owner = client(someClient());
        TestSession.Page refused = owner.signIn(person.email(), TestData.PASSWORD);
        assertThat(refused.location()).as("the count is the account's, wherever it comes from")
                .endsWith("/login?throttled");
        assertThat(owner.get("/account/profile").status()).isEqualTo(302);
        assertThat(owner.get("/login?throttled").body()).contains("Too many failed sign-ins").contains(">15</span> minutes");

        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertThat(owner.signIn(person.email(), TestData.PASSWORD).location()).doesNotContain("/login?");
        assertThat(owner.get("/account/profile").status()).isEqualTo(200);
    }

    @Test
    void aSuccessfulSignInClearsTheAccountsCount() {
        TestData.Person person = data.person("typo");
        TestSession browser = client(someClient());
        for (int i = 0; i < PER_ACCOUNT - 1; i++) {
            browser.signIn(person.email(), WRONG);
        }
        assertThat(browser.signIn(person.email(), TestData.PASSWORD).location()).doesNotContain("/login?");
        TestSession later = client(someClient());
        for (int i = 0; i < PER_ACCOUNT - 1; i++) {
            assertThat(later.signIn(person.email(), WRONG).location()).endsWith("/login?error");
        }
        assertThat(later.signIn(person.email(), TestData.PASSWORD).location()).doesNotContain("/login?");
    }

    @Test
    void anUnknownAddressGetsExactlyTheAnswersOfAnExistingAccount() {
        TestData.Person person = data.person("known");
        String unknown = TestData.uniqueEmail("nobody");
        TestSession forKnown = client(someClient());
        TestSession forUnknown = client(someClient());
        for (int i = 0; i < PER_ACCOUNT; i++) {
            TestSession.Page known = forKnown.signIn(person.email(), WRONG);
            TestSession.Page nobody = forUnknown.signIn(unknown, WRONG);
            assertThat(nobody.status()).isEqualTo(known.status());
            assertThat(nobody.location()).isEqualTo(known.location()).endsWith("/login?error");
        }
        TestSession.Page known = forKnown.signIn(person.email(), WRONG);
        TestSession.Page nobody = forUnknown.signIn(unknown, WRONG);
        assertThat(nobody.location()).isEqualTo(known.location()).endsWith("/login?throttled");
        assertThat(withoutCsrfToken(forUnknown.get("/login?throttled").body()))
                .isEqualTo(withoutCsrfToken(forKnown.get("/login?throttled").body()));
    }

    private static String withoutCsrfToken(String page) {
        String token = TestSession.csrfToken(page);
        return token == null ? page : page.replace(token, "");
    }

    @Test
    void aWrongPasswordAndAnUnknownAddressTakeTheSameTime() {
        // Each attempt from its own client and for its own address, so the throttle stays out of the measurement.
        List<Long> existing = new ArrayList<>();
        List<Long> unknown = new ArrayList<>();
        List<TestData.Person> people = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            people.add(data.person("timed"));
        }
        for (int i = 0; i < 9; i++) {
            existing.add(timed(client(someClient()), people.get(i).email()));
            unknown.add(timed(client(someClient()), TestData.uniqueEmail("timed-nobody")));
        }
        long existingMedian = median(existing);
        long unknownMedian = median(unknown);
        // bcrypt is most of the time: without the comparison for unknown addresses they answer several times faster.
        assertThat(unknownMedian).as("unknown %s ms, existing %s ms", unknownMedian / 1_000_000,
                existingMedian / 1_000_000).isGreaterThan(existingMedian / 2);
        assertThat(existingMedian).isGreaterThan(unknownMedian / 2);
    }

    @Test
    void aClientIsRefusedAfterAHundredFailuresForAnyAddressesWhileOthersSignInAsUsual() {
        TestData.Person person = data.person("sprayed");
        String spraying = someClient();
        TestSession attacker = client(spraying);
        for (int i = 0; i < PER_CLIENT; i++) {
            assertThat(attacker.signIn(TestData.uniqueEmail("spray" + i), WRONG).location()).endsWith("/login?error");
        }
        assertThat(attacker.signIn(person.email(), TestData.PASSWORD).location()).endsWith("/login?throttled");
        assertThat(attacker.signIn(TestData.uniqueEmail("fresh"), WRONG).location()).endsWith("/login?throttled");

        TestSession elsewhere = client(someClient());
        assertThat(elsewhere.signIn(person.email(), TestData.PASSWORD).location()).doesNotContain("/login?");
    }

    @Test
    void failuresArrivingAtOnceAreEachCountedAndEachAnsweredAsUsual() throws Exception {
        // The first failures for an address race to insert its count: the loser must add to the winner's row, not
        // fail (a unique violation caught inside the transaction left PostgreSQL's transaction aborted).
        TestData.Person person = data.person("stormed");
        CyclicBarrier start = new CyclicBarrier(PER_ACCOUNT);
        ExecutorService pool = Executors.newFixedThreadPool(PER_ACCOUNT);
        try {
            List<Future<TestSession.Page>> answers = new ArrayList<>();
            for (int i = 0; i < PER_ACCOUNT; i++) {
                TestSession attacker = client(someClient());
                attacker.get("/login");
                String guess = WRONG + i;
                answers.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return attacker.signIn(person.email(), guess);
                }));
            }
            for (Future<TestSession.Page> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS).location()).endsWith("/login?error");
            }
        }
        finally {
            pool.shutdownNow();
        }

        assertThat(client(someClient()).signIn(person.email(), TestData.PASSWORD).location())
                .as("all ten failures were counted").endsWith("/login?throttled");
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64() {
        assertThat(SignInThrottle.client("2001:db8:1:2:aaaa::1")).isEqualTo(SignInThrottle.client("2001:db8:1:2:bbbb::2"));
        assertThat(SignInThrottle.client("2001:db8:1:2::1")).isNotEqualTo(SignInThrottle.client("2001:db8:1:3::1"));
        assertThat(SignInThrottle.client("203.0.113.9")).isEqualTo("203.0.113.9");
    }

    private static long timed(TestSession session, String email) {
        session.get("/login");
        long start = System.nanoTime();
        assertThat(session.signIn(email, WRONG).location()).endsWith("/login?error");
        return System.nanoTime() - start;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
