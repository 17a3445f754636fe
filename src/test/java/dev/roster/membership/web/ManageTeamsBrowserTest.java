package dev.roster.membership.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.membership.GrantSource;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.PageQuery;
import dev.roster.test.BrowserTest;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestData;

/** Manage → Teams in Chromium: create, name clashes, members, resources, rename, and deletion after its impact. */
@RosterIntegrationTest
class ManageTeamsBrowserTest extends BrowserTest {

    private static final Actor SETUP = Actor.system("test setup");
    private static final Actor SCIM = Actor.directory("Okta SCIM (test)", Channel.SCIM);
    private static final Actor SSO = Actor.directory("Okta SSO (test)", Channel.SSO);

    @Autowired
    TestData data;
    @Autowired
    MembershipService memberships;
    @Autowired
    MemberReads members;
    @Autowired
    TeamService teams;
    @Autowired
    AuditLog audit;

    @Test
    void aTeamIsCreatedFilledRenamedAndDeletedOnceNothingDependsOnIt() {
        TestData.Org org = data.org();
        TestData.Person member = data.member(org, false);
        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/manage/teams");
        assertThat(browser.mainText()).contains("No teams yet. Create the first one");
        browser.screenshot("teams-empty");

        browser.type("#name", "Platform").type("#description", "Runs the build and deploy stack.");
        browser.clickText("main form", "Create team");
        browser.awaitNotice();
        assertThat(browser.text("h1")).isEqualTo("Platform");
        assertThat(browser.mainText()).contains("Nobody is in Platform yet");

        // A second team with the same name (ignoring case) is refused next to the name field.
        browser.open("/orgs/" + org.slug() + "/manage/teams");
        browser.type("#name", "platform");
        browser.clickText("main form", "Create team");
        browser.waitUntil(d -> browser.exists("#name-error"));
        assertThat(browser.text("#name-error")).isEqualTo("A team named 'platform' exists.");
        assertThat(browser.find("#name").getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.find("#name").getDomProperty("value")).isEqualTo("platform");
        browser.screenshot("teams-name-taken");

        browser.clickText("table.teams", "Platform");
        browser.waitForPath("/orgs/" + org.slug() + "/manage/teams/");
        String teamPage = browser.path();
        browser.type("#email", "nobody@example.test");
        browser.clickText("main", "Add to team");
        browser.waitUntil(d -> browser.exists("#email-error"));
        assertThat(browser.text("#email-error")).contains("No member of " + org.organization().name()
                + " has this address");
        browser.type("#email", member.email());
        browser.clickText("main", "Add to team");
        browser.awaitNotice();
        assertThat(browser.text("table.team-members")).contains(member.email(), "Added by an admin");

        browser.type("#name", "Platform Engineering");
        browser.clickText("main", "Save");
        assertThat(browser.awaitNotice()).isEqualTo("Team Platform is now called Platform Engineering.");
        assertThat(browser.text("h1")).isEqualTo("Platform Engineering");
        browser.screenshot("team-page");

        // The team owns a project, and an invitation will add people to it.
        browser.clickText(".subtabs", "Resources");
        browser.waitForPath(teamPage + "/resources");
        assertThat(browser.mainText()).contains("owns no resources");
        new Select(browser.find("#kind")).selectByVisibleText("Project");
        browser.type("#name", "billing-api");
        browser.clickText("main form.stack", "Add to Platform Engineering");
        browser.awaitNotice();
        assertThat(browser.text("table.resources")).contains("billing-api", "Project");
        browser.screenshot("team-resources");
        var invited = api.post(org.admin().token(), org.api("/invitations"),
                Map.of("emails", List.of(TestData.uniqueEmail("later")), "teams", List.of("Platform Engineering")));
        assertThat(invited.status()).isEqualTo(200);

        browser.open(teamPage);
        browser.clickText(".danger-zone", "Delete team…");
        browser.waitForPath(teamPage + "/delete");
        assertThat(browser.text(".impact")).contains("1 member leaves the team",
                "1 pending invitation will no longer add its person to this team");
        assertThat(browser.text(".blockers")).contains("It cannot be deleted yet",
                "It owns 1 resource (project 'billing-api'); transfer or delete them first");
        assertThat(browser.findAll("main button")).isEmpty();
        browser.screenshot("team-delete-blocked");

        browser.clickText(".blockers", "Go to the team's resources");
        browser.waitForPath(teamPage + "/resources");
        browser.clickText("table.resources", "Move");
        assertThat(browser.awaitNotice()).contains("billing-api now belongs to the whole organization");

        browser.open(teamPage + "/delete");
        assertThat(browser.exists(".blockers")).isFalse();
        browser.screenshot("team-delete");
        browser.clickText("main form", "Delete team");
        assertThat(browser.awaitNotice()).isEqualTo("Team Platform Engineering is deleted.");
        assertThat(browser.path()).isEqualTo("/orgs/" + org.slug() + "/manage/teams");
        assertThat(teams.findByName(org.id(), "Platform Engineering")).isEmpty();
        assertThat(audit.find(org.id(), new AuditQuery(null, null, null, "team.deleted", null, null, null),
                PageQuery.of(0, 10)).items()).singleElement()
                .satisfies(event -> assertThat(event.targetLabel()).isEqualTo("Platform Engineering"));
    }

    /**
     * The team page tells how each member is in the team as the member pages do: "Added by an admin", or the badge of
     * the directory that gives the place ("via SCIM", "by hand and via SCIM" when an admin's grant is there too).
     */
    @Test
    void theTeamPageSaysHowEachMemberIsInTheTeamInTheMemberPagesWords() {
        TestData.Org org = data.org();
        Team platform = teams.create(org.id(), "Platform", null, SETUP);
        TestData.Person byHand = data.member(org, false);
        TestData.Person byScim = data.person("byscim");
        TestData.Person byBoth = data.person("byboth");
        memberships.grantTeam(org.id(), membershipId(org, byHand), platform.id(), GrantSource.MANUAL, SETUP);
        memberships.join(org.id(), byScim.id(), new MembershipService.Join(false, MembershipSource.SCIM,
                Set.of(platform.id()), GrantSource.SCIM), SCIM);
        Membership both = memberships.join(org.id(), byBoth.id(), new MembershipService.Join(false,
                MembershipSource.SSO, Set.of(platform.id()), GrantSource.SSO), SSO);
        memberships.grantTeam(org.id(), both.id(), platform.id(), GrantSource.MANUAL, SETUP);

        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/manage/teams/" + platform.id());

        assertThat(how(byHand)).isEqualTo("Added by an admin");
        assertThat(teamRow(byHand).findElements(By.cssSelector(".badge.directory"))).isEmpty();
        assertThat(how(byScim)).isEqualTo("via SCIM");
        assertThat(teamRow(byScim).findElement(By.cssSelector(".badge.directory")).getDomAttribute("title"))
                .isEqualTo("In Platform through the identity provider (SCIM)");
        assertThat(teamRow(byScim).getText()).contains("Managed by your identity provider (SCIM): change it there.");
        assertThat(how(byBoth)).isEqualTo("by hand and via SSO");
        assertThat(teamRow(byBoth).findElement(By.cssSelector(".badge.directory")).getDomAttribute("title"))
                .isEqualTo("In Platform by hand and through the identity provider (SSO)");
        assertThat(teamRow(byBoth).findElements(By.tagName("button"))).hasSize(1);
        browser.screenshot("team-members-by-source");
    }

    private UUID membershipId(TestData.Org org, TestData.Person person) {
        return members.findByAccount(org.id(), person.id()).orElseThrow().id();
    }

    private WebElement teamRow(TestData.Person person) {
        return browser.findAll("table.team-members tbody tr").stream()
                .filter(row -> row.getText().contains(person.email())).findFirst()
                .orElseThrow(() -> new AssertionError("no row of " + person.email()));
    }

    /** The "How they are in the team" cell of a member's row. */
    private String how(TestData.Person person) {
        return teamRow(person).findElement(By.cssSelector("td[data-label='How']")).getText();
    }

    @Test
    void aTeamResourceIsDeletedOnlyAfterConfirming() {
        TestData.Org org = data.org();
        var team = teams.create(org.id(), "Data", null, dev.roster.shared.Actor.system("test setup"));
        browser.signIn(org.admin().email(), TestData.PASSWORD);
        String page = "/orgs/" + org.slug() + "/manage/teams/" + team.id() + "/resources";
        browser.open(page);
        browser.type("#name", "warehouse");
        new Select(browser.find("#kind")).selectByVisibleText("Data store");
        browser.clickText("main form.stack", "Add to Data");
        browser.awaitNotice();

        browser.clickText("table.resources", "Delete");
        browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog.confirm-dialog")));
        assertThat(browser.text("dialog.confirm-dialog")).contains("Members of Data can no longer reach the data store warehouse");
        browser.clickText("dialog.confirm-dialog", "Cancel");
        assertThat(browser.text("table.resources")).contains("warehouse");

        browser.clickText("table.resources", "Delete");
        browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog.confirm-dialog")));
        browser.clickText("dialog.confirm-dialog", "Delete");
        assertThat(browser.awaitNotice()).isEqualTo("Data store warehouse is deleted.");
        assertThat(browser.mainText()).contains("Data owns no resources");
    }
}
