package dev.roster.home;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.account.AccountService;
import dev.roster.membership.GrantSource;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipService;
import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.test.BrowserTest;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestData;

/**
 * A display name of 200 characters without a space, and a team name of 100, at 1,280 and at 390 pixels: no page gets
 * wider than the window (it was 4,368 px), the team picker stays inside its card, and the tabs are one row.
 */
@RosterIntegrationTest
class LongNamesBrowserTest extends BrowserTest {

    private static final Actor SETUP = Actor.system("setup");

    @Autowired
    TestData data;
    @Autowired
    TeamService teams;
    @Autowired
    MembershipService memberships;
    @Autowired
    MemberReads directory;
    @Autowired
    AccountService accounts;

    @Test
    void longUnbrokenNamesWrapOnTheDesktopAndOnAPhone() {
        TestData.Org org = data.org();
        TestData.Person member = data.member(org, false);
        String longName = "Maximiliana" + "x".repeat(189);
        accounts.updateProfile(member.id(), longName, SETUP);
        accounts.updateProfile(org.admin().id(), "Adminadminadmin" + "a".repeat(185), SETUP);
        Team team = teams.create(org.id(), "Platform" + "p".repeat(92), "A team with a long name.", SETUP);
        for (int i = 0; i < 12; i++) {
            teams.create(org.id(), "Team " + i + " " + "t".repeat(40), null, SETUP);
        }
        String memberId = directory.findByAccount(org.id(), member.id()).orElseThrow().id().toString();
        memberships.grantTeam(org.id(), directory.findByAccount(org.id(), member.id()).orElseThrow().id(), team.id(),
                GrantSource.MANUAL, SETUP);
        api.post(org.admin().token(), org.api("/invitations"), Map.of("emails",
                List.of("a".repeat(64) + "@" + "long-domain-".repeat(8) + "example.test")));
        String manage = "/orgs/" + org.slug() + "/manage";
        List<String> pages = List.of("/", "/orgs/" + org.slug(), manage + "/members", manage + "/members/" + memberId,
                manage + "/teams", manage + "/teams/" + team.id(), manage + "/invitations", manage + "/audit",
                "/account/profile");

        browser.signIn(org.admin().email(), TestData.PASSWORD);
        for (int width : List.of(1280, 390)) {
            browser.resize(width, 900);
            for (String page : pages) {
                browser.open(page);
                long scrollWidth = ((Number) browser.script("return document.documentElement.scrollWidth")).longValue();
                long viewport = ((Number) browser.script("return document.documentElement.clientWidth")).longValue();
                assertThat(scrollWidth).as("%s at %d px: %s", page, width, browser.widerThanWindow())
                        .isLessThanOrEqualTo(viewport);
                browser.screenshot("long-names-" + width + page.replaceAll("[^a-z0-9]+", "-"));
            }
        }

        // On a phone: the team picker inside its card, the tabs one row.
        browser.open(manage + "/invitations");
        Object pickerInside = browser.script("""
                const list = document.querySelector('.choice-list');
                const card = list.closest('fieldset, .panel, section');
                return list.getBoundingClientRect().right <= card.getBoundingClientRect().right + 0.5;""");
        assertThat(pickerInside).as("the team picker stays inside its card").isEqualTo(true);
        Object tabRows = browser.script(
                "return new Set([...document.querySelectorAll('.tabs a')].map(a => a.getBoundingClientRect().top)).size");
        assertThat(((Number) tabRows).intValue()).as("the tabs are one row").isEqualTo(1);
        Object currentVisible = browser.script("""
                const tab = document.querySelector('.tabs [aria-current]').getBoundingClientRect();
                return tab.left >= 0 && tab.right <= document.documentElement.clientWidth;""");
        assertThat(currentVisible).as("the current tab is scrolled into view").isEqualTo(true);
    }
}
