package dev.roster.resource.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.resource.AccessFixture;
import dev.roster.test.BrowserTest;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestData;

/**
 * Quotas in Chromium: an admin sets a team's quota on its Quotas page, sees a lease taken through the API counted
 * there and on the environment's page, and sets the environment's default for other teams there.
 */
@RosterIntegrationTest
class QuotasBrowserTest extends BrowserTest {

    @Autowired
    TestData data;

    @Test
    void quotasAreSetAndTheirUsageShownOnTheTeamAndTheEnvironment() {
        AccessFixture fixture = new AccessFixture(api);
        TestData.Org org = data.org();
        TestData.Person ada = data.member(org, false);
        UUID team = fixture.team(org, "Platform");
        fixture.team(org, "Data");
        fixture.addToTeam(org, fixture.membershipId(org, ada), team);
        UUID staging = fixture.resource(org, "environment", "staging", "organization", null);

        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/manage/teams/" + team + "/quotas");
        assertThat(browser.mainText()).contains("Platform has no quota of its own");
        new Select(browser.find("#environment")).selectByVisibleText("staging");
        browser.type("#maxConcurrent", "8");
        browser.clickText("main form.stack", "Set quota");
        assertThat(browser.awaitNotice()).isEqualTo("Platform may now hold 8 at once on staging.");
        assertThat(browser.text("table.quotas")).contains("staging", "8");

        var lease = api.post(org.admin().token(), org.api("/leases"), Map.of("environment", staging.toString(),
                "account", ada.id().toString(), "ttlSeconds", 600));
        assertThat(lease.status()).as(lease.body()).isEqualTo(201);
        browser.open("/orgs/" + org.slug() + "/manage/teams/" + team + "/quotas");
        assertThat(browser.findAll("table.quotas tbody tr").get(0).getText()).contains("staging", "1", "8");
        browser.screenshot("team-quotas");

        browser.clickText("table.quotas", "staging");
        browser.waitForPath("/orgs/" + org.slug() + "/resources/" + staging);
        assertThat(browser.text("table.quota-usage")).contains("Platform");
        assertThat(browser.text("#quotas-heading + p")).contains("are unlimited");
        browser.type("#defaultTeamQuota", "2");
        browser.clickText("main .quotas", "Save default");
        assertThat(browser.awaitNotice()).isEqualTo("Teams without a quota of their own may hold 2 at once here.");
        new Select(browser.find("#quota-team")).selectByVisibleText("Data");
        browser.type("#maxConcurrent", "3");
        browser.clickText("main .quotas", "Set quota");
        assertThat(browser.awaitNotice()).isEqualTo("Data may now hold 3 at once here.");
        assertThat(browser.text("table.quota-usage")).contains("Data", "Platform");
        browser.screenshot("environment-quotas");
    }
}
