package dev.roster.home;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.GrantSource;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipService;
import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.test.BrowserTest;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestData;

/** The management pages on a phone (375 px wide): nothing runs off the side, and the tabs and menu work. */
@RosterIntegrationTest
class NarrowScreenBrowserTest extends BrowserTest {

    private static final int PHONE_WIDTH = 375;

    @Autowired
    TestData data;
    @Autowired
    TeamService teams;
    @Autowired
    MembershipService memberships;
    @Autowired
    MemberReads directory;

    @Test
    void theTabsAndTheMenuAreUsableOnAPhone() {
        TestData.Org org = data.org();
        TestData.Person member = data.member(org, false);
        Team platform = teams.create(org.id(), "Platform", "Runs the build and deploy stack.", Actor.system("setup"));
        memberships.grantTeam(org.id(), directory.findByAccount(org.id(), member.id()).orElseThrow().id(),
                platform.id(), GrantSource.MANUAL, Actor.system("setup"));
        api.post(org.admin().token(), org.api("/invitations"),
                Map.of("emails", List.of(TestData.uniqueEmail("phone")), "teams", List.of("Platform")));
        browser.resize(PHONE_WIDTH, 812);
        browser.signIn(org.admin().email(), TestData.PASSWORD);

        browser.click(".user-menu summary");
        WebElement manage = browser.findAll(".user-menu a").stream()
                .filter(a -> a.getText().equals("Manage " + org.organization().name())).findFirst().orElseThrow();
        assertThat(manage.isDisplayed()).isTrue();
        assertWithinScreen(browser.find(".user-menu ul"));
        browser.screenshotWindow("narrow-menu-open");
        manage.click();
        browser.waitForPath("/orgs/" + org.slug() + "/manage/members");

        List<WebElement> tabs = browser.findAll(".tabs a");
        assertThat(tabs).extracting(WebElement::getText).containsExactly("Invitations", "Members", "Teams",
                "Single sign-on", "Provisioning", "Webhooks", "Audit log");
        tabs.forEach(tab -> assertThat(tab.isDisplayed()).isTrue());
        assertWithinScreen(browser.find(".tabs"));
        assertThat(tabs.stream().map(tab -> tab.getRect().getY()).distinct()).as("the tabs are one row").hasSize(1);
        assertNoSidewaysScrolling();
        browser.screenshot("narrow-members");

        for (String tab : List.of("Invitations", "Teams", "Single sign-on", "Provisioning", "Webhooks",
                "Audit log")) {
            browser.clickText(".tabs", tab);
            browser.waitUntil(d -> browser.text(".tabs [aria-current]").equals(tab));
            assertNoSidewaysScrolling();
            browser.screenshot("narrow-" + tab.toLowerCase().replace(' ', '-'));
        }

        browser.open("/orgs/" + org.slug() + "/manage/members");
        browser.clickText("table.members", "Test member");
        browser.waitForPath("/orgs/" + org.slug() + "/manage/members/");
        assertNoSidewaysScrolling();
        browser.screenshot("narrow-member-page");

        browser.open("/orgs/" + org.slug() + "/manage/teams/" + platform.id());
        assertNoSidewaysScrolling();
        browser.screenshot("narrow-team-page");

        browser.open("/");
        assertNoSidewaysScrolling();
        browser.screenshot("narrow-home");
    }

    /** Nothing is wider than the window (without its scroll bar); the message names what sticks out. */
    private void assertNoSidewaysScrolling() {
        Object wider = browser.script("""
                const width = document.documentElement.clientWidth;
                return [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > width + 0.5)
                    // inside a container that scrolls sideways (the tabs on a phone) it widens nothing
                    .filter(e => ![...document.querySelectorAll('body *')].some(c => c !== e && c.contains(e)
                        && ['auto', 'scroll'].includes(getComputedStyle(c).overflowX)))
                    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + e.className + ' right='
                        + Math.round(e.getBoundingClientRect().right) + ' of ' + width)
                    .slice(0, 10);""");
        assertThat((List<?>) wider).as("elements wider than the screen on %s", browser.path()).isEmpty();
    }

    private static void assertWithinScreen(WebElement element) {
        Rectangle box = element.getRect();
        assertThat(box.getX()).isGreaterThanOrEqualTo(0);
        assertThat(box.getX() + box.getWidth()).as(element.getText()).isLessThanOrEqualTo(PHONE_WIDTH);
    }
}
