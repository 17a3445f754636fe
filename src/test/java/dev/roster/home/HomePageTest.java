package dev.roster.home;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

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
class HomePageTest {

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
    void listsTheOrganizationsWithLinks() {
        TestData.Org org = data.org();
        TestData.Org other = data.org();
        TestData.Person member = data.member(org, false);
        data.join(other, member, true);

        TestSession.Page home = signedIn(member).get("/");

        assertThat(home.status()).isEqualTo(200);
        StrictCsp.assertRespectedBy(home.body());
        assertThat(home.body()).contains("Your organizations")
                .contains("href=\"/orgs/" + org.slug() + "\"").contains(org.organization().name())
                .contains("href=\"/orgs/" + other.slug() + "\"").contains("Admin")
                .doesNotContain("not a member of any organization");
    }

    @Test
    void saysWhatToDoWithoutAnOrganization() {
        TestData.Person loner = data.person("loner");

        TestSession.Page home = signedIn(loner).get("/");

        assertThat(home.body()).contains("not a member of any organization yet").contains("invite")
                .contains(loner.email());
    }

    @Test
    void theChecklistFollowsOnboardingAndGoesAwayWhenDone() {
        TestData.Person person = data.person("checklist");
        TestSession browser = signedIn(person);
        TestSession.Page fresh = browser.get("/");
        assertThat(fresh.body()).contains("Get started").contains("Check your profile")
                .contains("Turn on two-factor authentication").contains("Create an API token");
        assertThat(fresh.body().indexOf("Check your profile"))
                .isLessThan(fresh.body().indexOf("Turn on two-factor authentication"));
        assertThat(fresh.body().indexOf("Turn on two-factor authentication"))
                .isLessThan(fresh.body().indexOf("Create an API token"));

        browser.submit("/account/profile", "/account/profile", Map.of("displayName", "Checked Name"));
        TestTwoFactor.enrol(api, person.token(), clock);
        TestSession.Page done = browser.get("/");

        assertThat(done.body()).doesNotContain("Get started").contains("Welcome, Checked Name");
    }

    private TestSession signedIn(TestData.Person person) {
        TestSession browser = new TestSession(api.baseUrl());
        assertThat(browser.signIn(person.email(), TestData.PASSWORD).location()).doesNotContain("error");
        return browser;
    }
}
