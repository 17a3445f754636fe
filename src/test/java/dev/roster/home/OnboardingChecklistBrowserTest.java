package dev.roster.home;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.resource.AccessFixture;
import dev.roster.test.BrowserTest;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestData;

/** The onboarding checklist in Chromium, under the strict CSP: an item ticks itself, then the checklist is dismissed. */
@RosterIntegrationTest
class OnboardingChecklistBrowserTest extends BrowserTest {

    @Autowired
    TestData data;

    @Test
    void aNewMemberWorksThroughTheChecklistAndDismissesIt() {
        AccessFixture fixture = new AccessFixture(api);
        TestData.Org org = data.org();
        TestData.Person member = data.member(org, false);
        UUID team = fixture.team(org, "Platform");
        fixture.addToTeam(org, fixture.membershipId(org, member), team);
        fixture.resource(org, "project", TestData.unique("api"), "team", team);
        api.patch(org.admin().token(), org.api(""), Map.of("gettingStartedUrl", "https://wiki.example.test/start"));

        browser.signIn(member.email(), TestData.PASSWORD);
        browser.open("/");
        assertThat(browser.text(".checklist")).contains("Get started", "Your teams and projects in "
                + org.organization().name(), "You are in Platform, and reach 1 project.",
                "Read " + org.organization().name() + "'s getting-started page");
        assertThat(browser.find(".checklist a[href$='/welcome/guide']").getDomAttribute("href"))
                .isEqualTo("/orgs/" + org.slug() + "/welcome/guide");
        browser.screenshot("onboarding-checklist");

        browser.clickText(".checklist", "See them");
        browser.waitForPath("/orgs/" + org.slug());
        assertThat(browser.mainText()).contains("Platform");

        browser.open("/");
        assertThat(browser.findAll(".checklist li.done").stream().map(li -> li.getText()).toList())
                .anySatisfy(text -> assertThat(text).contains("Done", "Your teams and projects"));

        browser.clickText(".checklist", "Dismiss the checklist");
        assertThat(browser.awaitNotice()).contains("dismissed");
        assertThat(browser.exists(".checklist")).isFalse();
        assertThat(browser.mainText()).contains(org.organization().name());
        browser.screenshot("onboarding-dismissed");
    }
}
