package dev.roster.invitation.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.TeamChoices;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.test.BrowserTest;
import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;

/** Manage → Invitations in Chromium: inviting many at once, the result per address, and the list's actions. */
@RosterIntegrationTest
class ManageInvitationsBrowserTest extends BrowserTest {

    private static final Actor SETUP = Actor.system("test setup");

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
    void pastingManyAddressesInvitesEachAndSaysWhatHappenedToEveryOne() {
        TestData.Org org = data.org();
        teams.create(org.id(), "Platform", null, SETUP);
        teams.create(org.id(), "Data", null, SETUP);
        TestData.Person member = data.member(org, false);
        String ann = TestData.uniqueEmail("ann");
        String bob = TestData.uniqueEmail("bob");

        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/manage/invitations");
        assertThat(browser.text("#invitation-list")).contains("No invitations yet");
        assertThat(browser.text("#admin-warning")).contains("invite and remove members", "make other people admins");
        browser.screenshot("invitations-empty");

        browser.find("#emails").sendKeys(ann + ", Bob Builder <" + bob + ">; not-an-address\n" + member.email()
                + "\n" + ann.toUpperCase());
        checkbox("Platform").click();
        browser.find("#admin").click();
        browser.clickText(".invite-form", "Send invitations");
        browser.waitForPath("/orgs/" + org.slug() + "/manage/invitations");

        assertThat(browser.text("#invite-results [role=status]"))
                .isEqualTo("2 invited, 1 not an email address, 1 already a member, 1 repeat skipped.");
        List<String> rows = browser.findAll("#invite-results tbody tr").stream().map(WebElement::getText).toList();
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0)).contains(ann, "Invited", "email is on its way");
        assertThat(rows.get(1)).contains(bob, "Invited");
        assertThat(rows.get(2)).contains("not-an-address", "Not an email address");
        assertThat(rows.get(3)).contains(member.email(), "Already a member");
        assertThat(rows.get(4)).contains(ann.toUpperCase(), "Listed twice");
        // The address that was not valid stays in the box, ready to be corrected.
        assertThat(browser.find("#emails").getDomProperty("value")).isEqualTo("not-an-address");
        assertThat(browser.text("#invitation-list")).contains(ann, bob, "Platform", "Admin", "Pending");
        browser.screenshot("invitations-results");

        assertThat(TestMailbox.await(List.of(ann, bob), 2)).extracting(TestMailbox.Mail::subject)
                .allSatisfy(subject -> assertThat(subject).contains(org.organization().name()));
    }

    @Test
    void eachLineMayCarryItsOwnTeamsAndALineNamingAnUnknownTeamInvitesNobody() {
        TestData.Org org = data.org();
        teams.create(org.id(), "Platform", null, SETUP);
        teams.create(org.id(), "Data", null, SETUP);
        teams.create(org.id(), "Support", null, SETUP);
        String ann = TestData.uniqueEmail("ann");
        String bob = TestData.uniqueEmail("bob");
        String cy = TestData.uniqueEmail("cy");
        String dee = TestData.uniqueEmail("dee");

        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.resize(390, 844);
        browser.open("/orgs/" + org.slug() + "/manage/invitations");
        // Two spreadsheet columns arrive with a tab between them, which typing cannot put in a text box.
        browser.script("document.getElementById('emails').value = arguments[0];", ann + ", Platform; Data\n" + bob
                + "\n" + cy + ", Nope; Platform\n" + dee + "\tdata");
        checkbox("Support").click();
        browser.clickText(".invite-form", "Send invitations");
        browser.waitForPath("/orgs/" + org.slug() + "/manage/invitations");

        assertThat(browser.text("#invite-results [role=status]"))
                .isEqualTo("3 invited, 1 not invited for an unknown team.");
        List<String> rows = browser.findAll("#invite-results tbody tr").stream().map(WebElement::getText).toList();
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).contains(ann, "Invited", "Platform, Data").doesNotContain("Support");
        assertThat(rows.get(1)).contains(bob, "Invited", "Support");
        assertThat(rows.get(2)).contains(cy, "Unknown team", "Not invited: there is no team named \u201cNope\u201d");
        assertThat(rows.get(3)).contains(dee, "Invited", "Data").doesNotContain("Support");
        assertThat(browser.widerThanWindow()).isEmpty();
        browser.screenshot("invitations-per-line-teams-phone");
        // The refused line stays in the box to be corrected; nobody was invited for it, not even to Platform.
        assertThat(browser.find("#emails").getDomProperty("value")).isEqualTo(cy + ", Nope; Platform");
        assertThat(browser.text("#invitation-list")).contains(ann, bob, dee).doesNotContain(cy);
    }

    @Test
    void anEmptyListIsRefusedNextToTheField() {
        TestData.Org org = data.org();
        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/manage/invitations");

        browser.clickText(".invite-form", "Send invitations");
        browser.waitUntil(d -> browser.exists("#emails-error"));

        assertThat(browser.text("#emails-error")).isEqualTo("List at least one email address.");
        assertThat(browser.find("#emails").getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.find("#emails").getDomAttribute("aria-describedby")).contains("emails-error");
        browser.screenshot("invitations-error");
    }

    @Test
    void theListFiltersByStatusAndResendsRevokesAndClearsExpired() {
        TestData.Org org = data.org();
        String old1 = TestData.uniqueEmail("old");
        String old2 = TestData.uniqueEmail("older");
        invite(org, old1);
        invite(org, old2);
        clock.advance(Duration.ofDays(8));
        String fresh = TestData.uniqueEmail("fresh");
        invite(org, fresh);
        String list = "/orgs/" + org.slug() + "/manage/invitations";

        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open(list);
        browser.script("window.samePage = true");
        browser.clickText(".filter-links", "Expired");
        browser.waitUntil(d -> browser.path().equals(list + "?status=expired"));
        browser.waitUntil(d -> !browser.text("#invitation-list").contains(fresh));
        assertThat(browser.text("#invitation-list")).contains(old1, old2);
        assertThat(browser.text(".filter-links [aria-current]")).isEqualTo("Expired");
        browser.screenshot("invitations-expired");

        // Resending replaces the row in place: no page load.
        WebElement row = row(old1);
        row.findElement(By.xpath(".//button[normalize-space()='Resend']")).click();
        browser.waitUntil(d -> row(old1).getText().contains("Sent again"));
        assertThat(row(old1).getText()).contains("Pending");
        assertThat(browser.script("return window.samePage === true")).isEqualTo(true);
        assertThat(TestMailbox.await(old1, 2)).hasSize(2);

        browser.open(list + "?status=pending");
        row(fresh).findElement(By.xpath(".//button[normalize-space()='Revoke']")).click();
        WebElement dialog = browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("dialog.confirm-dialog")));
        assertThat(dialog.getText()).contains("Revoke this invitation?", fresh, "stops working");
        browser.clickText("dialog.confirm-dialog", "Revoke invitation");
        assertThat(browser.awaitNotice()).contains("The invitation to " + fresh + " is revoked");
        assertThat(row(fresh).getText()).contains("Revoked");

        browser.clickText(".section-head", "Clear expired");
        browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog.confirm-dialog")));
        browser.clickText("dialog.confirm-dialog", "Clear expired");
        assertThat(browser.awaitNotice()).isEqualTo("Cleared 1 expired invitation.");
        assertThat(browser.text("#invitation-list")).contains(old1, fresh).doesNotContain(old2);
    }

    @Test
    void inAnOrganizationWithManyTeamsTheTeamsAreFoundByTypingAndStayChosenAcrossSearches() {
        TestData.Org org = data.org();
        for (int i = 0; i < TeamChoices.LISTED_IN_FULL + 10; i++) {
            teams.create(org.id(), String.format("Team %03d", i), null, SETUP);
        }
        String email = TestData.uniqueEmail("many-teams");

        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/manage/invitations");
        assertThat(browser.text("#team")).contains("Team 000").doesNotContain("Team 505");
        browser.type("#team-search", "505");
        browser.waitUntil(d -> browser.text("#team").contains("Team 505"));
        checkbox("Team 505").click();
        browser.type("#team-search", "Team 00");
        browser.waitUntil(d -> browser.text("#team").contains("Team 009"));
        assertThat(checkbox("Team 505").isSelected()).as("chosen before the second search").isTrue();
        checkbox("Team 001").click();
        browser.find("#team-search").sendKeys(Keys.ENTER);
        assertThat(browser.exists("#invite-results")).as("Enter in the search does not send the form").isFalse();
        browser.screenshot("invitations-team-search");

        browser.find("#emails").sendKeys(email);
        browser.clickText(".invite-form", "Send invitations");
        browser.waitForPath("/orgs/" + org.slug() + "/manage/invitations");
        assertThat(browser.text("#invite-results [role=status]")).isEqualTo("1 invited.");

        var invited = api.get(org.admin().token(), org.api("/invitations?status=pending")).json().path("items").get(0);
        assertThat(invited.path("email").asText()).isEqualTo(email);
        assertThat(invited.path("teams").toString()).contains("Team 001", "Team 505");
    }

    private void invite(TestData.Org org, String email) {
        var response = api.post(org.admin().token(), org.api("/invitations"), Map.of("emails", List.of(email)));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    private WebElement checkbox(String team) {
        return browser.findAll(".choice-list label").stream().filter(l -> l.getText().equals(team)).findFirst()
                .orElseThrow().findElement(By.tagName("input"));
    }

    private WebElement row(String email) {
        return browser.findAll("#invitation-list tbody tr").stream().filter(r -> r.getText().contains(email))
                .findFirst().orElseThrow(() -> new AssertionError("no row for " + email));
    }
}
