package dev.roster.home;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.test.BrowserTest;
import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;
import dev.roster.test.TestTwoFactor;

/**
 * A newcomer's first visit in Chromium: from the invitation email to an account, the onboarding checklist worked
 * through (profile, two-factor, API token), and the next sign-in with a code; and the organization switcher.
 */
@RosterIntegrationTest
class OnboardingBrowserTest extends BrowserTest {

    /** Invitation links name roster.base-url, which tests fix at localhost:8080; the browser follows the path. */
    private static final Pattern LINK = Pattern.compile("https?://[^/\\s]+(/invitations/accept\\?token=[A-Za-z0-9_-]+)");

    @Autowired
    TestData data;
    @Autowired
    TeamService teams;
    @Autowired
    MutableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void theInvitationEmailLeadsToAnAccountAndTheChecklist() {
        TestData.Org org = data.org();
        teams.create(org.id(), "Platform", null, Actor.system("test setup"));
        String email = TestData.uniqueEmail("newcomer");
        var invited = api.post(org.admin().token(), org.api("/invitations"),
                Map.of("emails", List.of(email), "teams", List.of("Platform")));
        assertThat(invited.status()).as(invited.body()).isEqualTo(200);

        TestMailbox.Mail mail = TestMailbox.await(email, 1).get(0);
        Matcher link = LINK.matcher(mail.text());
        assertThat(link.find()).as(mail.text()).isTrue();
        browser.open(link.group(1));
        assertThat(browser.mainText()).contains("Join " + org.organization().name(), "Test admin", "Platform");
        browser.screenshot("invitation-accept");

        browser.type("#displayName", "Nora Newcomer").type("#password", TestData.PASSWORD)
                .type("#passwordConfirmation", TestData.PASSWORD);
        browser.clickText("main form", "Create account and join");
        browser.waitForPath("/");
        assertThat(browser.path()).isEqualTo("/");
        assertThat(browser.text("p.notice")).isEqualTo("You joined " + org.organization().name() + ".");
        assertThat(browser.text(".checklist")).contains("Get started", "Check your profile",
                "Turn on two-factor authentication", "Create an API token",
                "Your teams and projects in " + org.organization().name());
        assertThat(browser.text(".user-menu summary")).isEqualTo("Hi, Nora Newcomer");
        browser.screenshot("home-checklist");

        // Profile.
        browser.clickText(".checklist", "Edit profile");
        browser.waitForPath("/account/profile");
        browser.screenshot("account-profile");
        browser.type("#displayName", "Nora N.");
        browser.clickText("main", "Save name");
        browser.awaitNotice();
        assertThat(browser.text(".user-menu summary")).isEqualTo("Hi, Nora N.");

        // Two-factor, with the code an authenticator app would show.
        browser.open("/");
        browser.clickText(".checklist", "Set up two-factor");
        browser.waitForPath("/account/two-factor");
        browser.clickText("main", "Set up two-factor authentication");
        browser.waitUntil(d -> browser.exists("#totp-secret"));
        browser.screenshot("account-two-factor-setup");
        String secret = browser.text("#totp-secret");
        browser.type("#confirm-code", TestTwoFactor.code(secret, clock));
        browser.clickText("main", "Turn on two-factor authentication");
        browser.waitUntil(d -> browser.exists("#recovery-codes"));
        assertThat(browser.findAll("#recovery-codes li")).hasSize(10);
        browser.screenshot("account-recovery-codes");

        // An API token.
        browser.open("/");
        browser.clickText(".checklist", "Create a token");
        browser.waitForPath("/account/tokens");
        browser.type("#name", "laptop CLI");
        browser.clickText("main form", "Create token");
        browser.waitUntil(d -> browser.exists("#new-token-secret"));
        assertThat(browser.text("#new-token-secret")).startsWith("roster_pat_");
        browser.screenshot("account-tokens");

        // The teams and projects of the organization (the last item).
        browser.open("/");
        assertThat(browser.text(".checklist")).contains("Your teams and projects in " + org.organization().name(),
                "You are in Platform");
        browser.clickText(".checklist", "See them");
        browser.waitForPath("/orgs/" + org.slug());

        browser.open("/");
        assertThat(browser.exists(".checklist")).isFalse();
        assertThat(browser.text("main")).contains("Welcome, Nora N.", org.organization().name());

        // Revoking a token asks first.
        browser.open("/account/tokens");
        browser.clickText("table", "Revoke");
        WebElement dialog = browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("dialog.confirm-dialog")));
        assertThat(dialog.getText()).contains("Revoke the token laptop CLI?", "get 401 from then on");
        browser.clickText("dialog.confirm-dialog", "Revoke token");
        assertThat(browser.awaitNotice()).contains("The token is revoked.");
        assertThat(browser.text("table")).contains("revoked");

        // Signing out from the menu, and in again with the second factor.
        browser.click(".user-menu summary");
        browser.clickText(".user-menu", "Sign out");
        browser.waitForPath("/login");
        browser.signIn(email, TestData.PASSWORD);
        assertThat(browser.path()).isEqualTo("/login/two-factor");
        browser.screenshot("sign-in-two-factor");
        browser.type("#code", TestTwoFactor.nextCode(secret, clock));
        browser.clickText("main", "Verify");
        browser.waitForPath("/");
        assertThat(browser.text(".user-menu summary")).isEqualTo("Hi, Nora N.");
    }

    @Test
    void someoneWhoForgotTheirPasswordChoosesANewOneThroughTheEmailedLink() {
        TestData.Person person = data.person("forgetful");
        String next = "remembered this time, surely";

        browser.open("/login");
        browser.clickText("main", "Forgot your password?");
        browser.waitForPath("/password-reset");
        browser.type("#email", person.email());
        browser.clickText("main form", "Email me a link");
        assertThat(browser.awaitNotice()).contains(person.email(), "a link to choose a new one is on its way");
        Matcher link = Pattern.compile("https?://[^/\\s]+(/password-reset/choose\\?token=[A-Za-z0-9_-]+)")
                .matcher(TestMailbox.await(person.email(), 1).get(0).text());
        assertThat(link.find()).isTrue();

        browser.open(link.group(1));
        assertThat(browser.text("main")).contains("Choose a new password", person.email());
        browser.type("#newPassword", next).type("#confirmPassword", next);
        browser.screenshot("password-reset-choose");
        browser.clickText("main form", "Set password");
        assertThat(browser.awaitNotice()).isEqualTo("Your new password is set. Sign in with it.");
        browser.signIn(person.email(), next);
        assertThat(browser.path()).isEqualTo("/");
    }

    @Test
    void someoneInSeveralOrganizationsSwitchesBetweenThemAndManagesOnlyWhereTheyAreAdmin() {
        TestData.Org first = data.org();
        TestData.Org second = data.org();
        TestData.Person person = data.member(first, true);
        data.join(second, person, false);

        browser.signIn(person.email(), TestData.PASSWORD);
        browser.screenshot("home-organizations");
        browser.click(".org-switcher summary");
        assertThat(browser.text(".org-switcher ul")).contains(first.organization().name(),
                second.organization().name());
        browser.screenshotWindow("org-switcher-open");
        browser.clickText(".org-switcher", second.organization().name());
        browser.waitForPath("/orgs/" + second.slug());
        assertThat(browser.text(".org-switcher summary")).contains(second.organization().name());
        assertThat(browser.exists("main a[href$='/manage']")).isFalse();
        browser.click(".user-menu summary");
        assertThat(browser.text(".user-menu ul")).doesNotContain("Manage");
        browser.screenshot("organization-overview-member");

        browser.click(".org-switcher summary");
        browser.clickText(".org-switcher", first.organization().name());
        browser.waitForPath("/orgs/" + first.slug());
        assertThat(browser.find(".org-switcher a[aria-current]").getDomProperty("textContent"))
                .isEqualTo(first.organization().name());
        browser.screenshot("organization-overview-admin");
        browser.click(".user-menu summary");
        browser.clickText(".user-menu", "Manage " + first.organization().name());
        browser.waitForPath("/orgs/" + first.slug() + "/manage/members");

        // A member of the second organization only: its management pages are closed to them.
        browser.open("/orgs/" + second.slug() + "/manage/members");
        assertThat(browser.text("h1")).isEqualTo("Not allowed");
        assertThat(browser.mainText()).contains("Only admins of this organization can do this.");
    }
}
