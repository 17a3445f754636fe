package dev.roster.home;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.invitation.InvitationService;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.test.Browser;
import dev.roster.test.BrowserTest;
import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestData;

/**
 * Times in tables read "3 hours ago", with the exact time on hover: in UTC from the server, rewritten by the page
 * script into the reader's time zone (here Tokyo, UTC+9 all year). One fragment for every table, so the members,
 * invitations and audit tables are checked alike.
 */
@RosterIntegrationTest
class RelativeTimesBrowserTest extends BrowserTest {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    @Autowired
    TestData data;
    @Autowired
    TeamService teams;
    @Autowired
    InvitationService invitations;
    @Autowired
    MutableClock clock;

    @AfterEach
    void resetClockAndZone() {
        clock.reset();
        browser.driver().executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", ""));
    }

    @Test
    void tablesSayHowLongAgoWithTheExactTimeInTheReadersZoneOnHover() {
        TestData.Org org = data.org();
        String team = TestData.unique("Platform");
        teams.create(org.id(), team, null, Actor.system("test setup"));
        String invitee = TestData.uniqueEmail("ann");
        invitations.invite(org.id(), List.of(invitee), List.of(), false, Actor.system("test setup"));
        clock.advance(Duration.ofHours(3).plusMinutes(5));
        browser.driver().executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", "Asia/Tokyo"));
        browser.signIn(org.admin().email(), TestData.PASSWORD);

        browser.open("/orgs/" + org.slug() + "/manage/audit");
        WebElement created = browser.findAll("table tbody tr").stream()
                .filter(row -> row.getText().contains(team)).findFirst().orElseThrow();
        assertReadsInTokyo(created.findElement(By.cssSelector("time.moment")), "3 hours ago");

        browser.open("/orgs/" + org.slug() + "/manage/members");
        WebElement admin = browser.findAll("table tbody tr").stream()
                .filter(row -> row.getText().contains(org.admin().email())).findFirst().orElseThrow();
        assertReadsInTokyo(admin.findElement(By.cssSelector("td[data-label=Joined] time")), "3 hours ago");

        browser.open("/orgs/" + org.slug() + "/manage/invitations");
        WebElement invitation = browser.findAll("#invitation-list tbody tr").stream()
                .filter(row -> row.getText().contains(invitee)).findFirst().orElseThrow();
        assertReadsInTokyo(invitation.findElement(By.cssSelector("td[data-label=Sent] time")), "3 hours ago");
        assertThat(invitation.getText()).contains("expires in 6 days");
        browser.resize(390, 844);
        assertThat(browser.widerThanWindow()).isEmpty();
        browser.screenshot("relative-times-phone");
        browser.resize(Browser.DESKTOP_WIDTH, Browser.DESKTOP_HEIGHT);

        // Without the script the hover text is the exact time in UTC, and says so.
        Browser.Fetched raw = browser.fetch("/orgs/" + org.slug() + "/manage/members");
        assertThat(raw.body()).containsPattern("<time class=\"moment\" title=\"\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\" "
                + "datetime=\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\">3 hours ago</time>");
    }

    private static void assertReadsInTokyo(WebElement time, String words) {
        assertThat(time.getText()).isEqualTo(words);
        Instant at = Instant.parse(time.getDomAttribute("datetime"));
        String title = time.getDomProperty("title");
        assertThat(title).as("the hover text in the reader's zone").contains("GMT+9").doesNotContain("UTC")
                .containsAnyOf(DateTimeFormatter.ofPattern("hh:mm", Locale.ENGLISH).withZone(TOKYO).format(at),
                        DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH).withZone(TOKYO).format(at));
    }
}
