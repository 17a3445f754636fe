package dev.roster.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;
import dev.roster.test.TestSession;

/**
 * "Forgot your password?" through the pages and a real SMTP server: the link by email, once and for a limited time,
 * the same answer for every address, no flood of mails, and the other sessions ended.
 */
@RosterIntegrationTest
class PasswordResetTest {

    private static final Pattern LINK = Pattern.compile("https?://[^/\\s]+(/password-reset/choose\\?token=[A-Za-z0-9_-]+)");
    private static final String NEW_PASSWORD = "a brand new passphrase";
    private static final String RESET_SUBJECT = "Choose a new Roster password";

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
    void aLinkByEmailSetsANewPasswordOnceAndEndsTheOtherSessions() {
        TestData.Person person = data.person("forgot");
        TestSession elsewhere = signedIn(person.email(), TestData.PASSWORD);
        TestSession browser = new TestSession(api.baseUrl());
        assertThat(browser.get("/login").body()).contains("href=\"/password-reset\"");

        TestSession.Page asked = browser.submit("/password-reset", "/password-reset", Map.of("email", person.email()));

        assertThat(asked.status()).isEqualTo(200);
        assertThat(asked.body()).contains("a link to choose a new one is on its way");
        String link = resetLinks(person.email(), 1).get(0);
        TestSession.Page form = browser.get(link);
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body()).contains("Choose a new password", person.email());

        TestSession.Page mismatch = browser.submit(link, "/password-reset/choose", Map.of("token", token(link),
                "newPassword", NEW_PASSWORD, "confirmPassword", NEW_PASSWORD + "!"));
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.body()).contains("The two new passwords are not the same.");
        TestSession.Page tooShort = browser.submit(link, "/password-reset/choose", Map.of("token", token(link),
                "newPassword", "short", "confirmPassword", "short"));
        assertThat(tooShort.body()).contains("A password has at least");

        TestSession.Page set = browser.submit(link, "/password-reset/choose", Map.of("token", token(link),
                "newPassword", NEW_PASSWORD, "confirmPassword", NEW_PASSWORD));

        assertThat(set.status()).isEqualTo(302);
        assertThat(set.location()).endsWith("/login?passwordReset");
        assertThat(new TestSession(api.baseUrl()).signIn(person.email(), TestData.PASSWORD).location())
                .endsWith("/login?error");
        assertThat(new TestSession(api.baseUrl()).signIn(person.email(), NEW_PASSWORD).location())
                .doesNotContain("error");
        assertThat(elsewhere.get("/account/profile").status()).as("the session elsewhere ended").isEqualTo(302);
        assertThat(browser.get(link).status()).as("the link works once").isEqualTo(410);
        assertThat(api.get(person.token(), "/api/v1/me/audit-events?action=account.password-reset").json()
                .path("items")).hasSize(1);
        TestMailbox.Mail notice = TestMailbox.await(person.email(), 2).get(1);
        assertThat(notice.subject()).isEqualTo("Your Roster password was changed");
        assertThat(notice.text()).contains("/password-reset", "Your sessions in other browsers were ended");
    }

    @Test
    void everyAddressGetsTheSameAnswerAndOnlyAccountsGetMail() {
        String nobody = TestData.uniqueEmail("nobody");
        TestData.Person person = data.person("somebody");
        TestSession browser = new TestSession(api.baseUrl());

        String forNobody = browser.submit("/password-reset", "/password-reset", Map.of("email", nobody)).body();
        String forSomebody = browser.submit("/password-reset", "/password-reset", Map.of("email", person.email()))
                .body();

        assertThat(main(forNobody).replace(nobody, "ADDRESS"))
                .isEqualTo(main(forSomebody).replace(person.email(), "ADDRESS"));
        TestMailbox.await(person.email(), 1);
        assertThat(TestMailbox.receivedBy(List.of(nobody))).isEmpty();
    }

    @Test
    void aLinkStopsWorkingAfterItsTimeAndANewerPasswordEndsEveryEarlierLink() {
        TestData.Person person = data.person("expiring");
        TestSession browser = new TestSession(api.baseUrl());
        browser.submit("/password-reset", "/password-reset", Map.of("email", person.email()));
        browser.submit("/password-reset", "/password-reset", Map.of("email", person.email()));
        List<String> links = resetLinks(person.email(), 2);
        String first = links.get(0);
        String second = links.get(1);

        browser.submit(second, "/password-reset/choose", Map.of("token", token(second), "newPassword", NEW_PASSWORD,
                "confirmPassword", NEW_PASSWORD));
        assertThat(browser.get(first).status()).as("spent by the newer password").isEqualTo(410);

        browser.submit("/password-reset", "/password-reset", Map.of("email", person.email()));
        String third = resetLinks(person.email(), 3).get(2);
        clock.advance(Duration.ofMinutes(61));
        assertThat(browser.get(third).status()).isEqualTo(410);
        TestSession.Page late = browser.submit("/password-reset", "/password-reset/choose", Map.of("token",
                token(third), "newPassword", "yet another passphrase", "confirmPassword", "yet another passphrase"));
        assertThat(late.status()).isEqualTo(410);
        assertThat(new TestSession(api.baseUrl()).signIn(person.email(), NEW_PASSWORD).location())
                .doesNotContain("error");
    }

    @Test
    void aForgedOrGuessedTokenIsRefused() {
        TestSession browser = new TestSession(api.baseUrl());

        assertThat(browser.get("/password-reset/choose?token=roster_pwr_guess").status()).isEqualTo(410);
        assertThat(browser.get("/password-reset/choose?token=" + "x".repeat(500)).status()).isEqualTo(410);
        assertThat(browser.get("/password-reset/choose").status()).isEqualTo(410);
    }

    @Test
    void askingOverAndOverSendsAFewLinksAnHourAndNoMore() {
        TestData.Person person = data.person("flooded");
        TestSession browser = new TestSession(api.baseUrl());

        for (int i = 0; i < 6; i++) {
            browser.submit("/password-reset", "/password-reset", Map.of("email", person.email()));
        }

        // Each request has returned, so the outbox holds all that they queued: three messages, no more.
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mail_outbox WHERE lower(recipient) = lower(?)")
                .param(person.email()).query(Long.class).single()).isEqualTo(3);
        assertThat(TestMailbox.await(person.email(), 3)).hasSize(3);

        clock.advance(Duration.ofMinutes(61));
        browser.submit("/password-reset", "/password-reset", Map.of("email", person.email()));
        TestMailbox.await(person.email(), 4);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** The links of the reset mails the address received, oldest first, once there are {@code count}. */
    private static List<String> resetLinks(String email, int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        List<String> links = List.of();
        while (links.size() < count && Instant.now().isBefore(deadline)) {
            links = TestMailbox.receivedBy(List.of(email)).stream().filter(mail -> mail.subject().equals(RESET_SUBJECT))
                    .map(PasswordResetTest::link).toList();
            sleep(100);
        }
        assertThat(links).hasSizeGreaterThanOrEqualTo(count);
        return links;
    }

    private static String link(TestMailbox.Mail mail) {
        assertThat(mail.subject()).isEqualTo(RESET_SUBJECT);
        Matcher matcher = LINK.matcher(mail.text());
        assertThat(matcher.find()).as(mail.text()).isTrue();
        assertThat(mail.html()).contains(matcher.group(1).replace("&", "&amp;"));
        return matcher.group(1);
    }

    private static String main(String page) {
        return page.substring(page.indexOf("<main"), page.indexOf("</main>"));
    }

    private static String token(String link) {
        return link.substring(link.indexOf("token=") + "token=".length());
    }

    private TestSession signedIn(String email, String password) {
        TestSession session = new TestSession(api.baseUrl());
        assertThat(session.signIn(email, password).location()).doesNotContain("error");
        return session;
    }
}
