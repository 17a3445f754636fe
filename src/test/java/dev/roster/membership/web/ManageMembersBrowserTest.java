package dev.roster.membership.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
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
import org.springframework.jdbc.core.JdbcTemplate;

import dev.roster.membership.GrantSource;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.Team;
import dev.roster.membership.TeamChoices;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.Ids;
import dev.roster.shared.PageQuery;
import dev.roster.test.BrowserTest;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;

/** Manage → Members in Chromium: finding people, their badges, admin rights, teams, suspension and removal. */
@RosterIntegrationTest
class ManageMembersBrowserTest extends BrowserTest {

    private static final Actor SETUP = Actor.system("test setup");
    private static final Actor SCIM = Actor.directory("Okta SCIM (test)", Channel.SCIM);
    private static final Actor SSO = Actor.directory("Okta SSO (test)", Channel.SSO);

    @Autowired
    TestData data;
    @Autowired
    TeamService teams;
    @Autowired
    MembershipService memberships;
    @Autowired
    MemberReads directory;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anAdminFindsAMemberFromTheMenuAndMakesThemAdminAfterConfirming() {
        TestData.Org org = data.org();
        TestData.Person grace = data.member(org, false);
        data.member(org, false);
        data.member(org, false);

        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.click(".user-menu summary");
        assertThat(browser.text(".user-menu summary")).isEqualTo("Hi, Test admin");
        browser.clickText(".user-menu", "Manage " + org.organization().name());
        browser.waitForPath("/orgs/" + org.slug() + "/manage/members");
        assertThat(browser.text(".tabs [aria-current]")).isEqualTo("Members");
        assertThat(browser.findAll("table.members tbody tr")).hasSize(4);
        assertThat(browser.text("table.members")).contains("Bootstrap", "Invited", "Active");
        browser.screenshot("members-list");

        // Typing searches as you go (htmx), and the address keeps the search.
        browser.find("#q").sendKeys(grace.email().substring(0, 14));
        browser.waitUntil(d -> browser.findAll("table.members tbody tr").size() == 1);
        assertThat(browser.path()).contains("q=" + grace.email().substring(0, 14));
        browser.clickText("table.members", "Test member");
        browser.waitForPath("/orgs/" + org.slug() + "/manage/members/");
        assertThat(browser.text("h1")).contains("Test member").doesNotContain("Admin");
        browser.screenshot("member-page");

        // The dialog says what admins can do; cancelling changes nothing.
        browser.clickText(".action-block", "Make admin");
        WebElement dialog = browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("dialog.confirm-dialog")));
        assertThat(dialog.getText()).contains("Make Test member an admin?", "invite and remove members",
                "read the audit log");
        browser.screenshotWindow("member-make-admin-dialog");
        browser.clickText("dialog.confirm-dialog", "Cancel");
        assertThat(membership(org, grace).admin()).isFalse();

        browser.clickText(".action-block", "Make admin");
        browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("dialog.confirm-dialog")));
        browser.clickText("dialog.confirm-dialog", "Make admin");
        assertThat(browser.awaitNotice()).isEqualTo("Test member is now an admin.");
        assertThat(browser.text("h1")).contains("Admin");
        assertThat(membership(org, grace).admin()).isTrue();

        browser.clickText(".action-block", "Remove admin rights");
        browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("dialog.confirm-dialog")));
        assertThat(browser.text("dialog.confirm-dialog")).contains("can no longer manage");
        browser.clickText("dialog.confirm-dialog", "Remove admin rights");
        browser.awaitNotice();
        assertThat(membership(org, grace).admin()).isFalse();
    }

    @Test
    void teamsAreEditedHereAndTheIdentityProvidersGrantsAreMarkedAndKept() {
        TestData.Org org = data.org();
        Team platform = teams.create(org.id(), "Platform", null, SETUP);
        Team data = teams.create(org.id(), "Data", null, SETUP);
        Team security = teams.create(org.id(), "Security", null, SETUP);
        teams.create(org.id(), "Support", null, SETUP);
        TestData.Person person = this.data.person("edgar");
        Membership edgar = memberships.join(org.id(), person.id(), new MembershipService.Join(false,
                MembershipSource.SCIM, Set.of(data.id(), security.id()), GrantSource.SCIM), SCIM);
        memberships.grantTeam(org.id(), edgar.id(), platform.id(), GrantSource.MANUAL, SETUP);
        memberships.grantTeam(org.id(), edgar.id(), security.id(), GrantSource.MANUAL, SETUP);

        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/manage/members");
        WebElement row = browser.findAll("table.members tbody tr").stream()
                .filter(r -> r.getText().contains(person.email())).findFirst().orElseThrow();
        assertThat(row.getText()).contains("Joined via SCIM", "Data", "Platform", "Security");
        // A team's badge says who gives it in the admin role's words: "via SCIM", "by hand and via SCIM", none for a
        // place only an admin gave.
        assertThat(row.findElements(By.cssSelector("li .badge.directory")))
                .extracting(badge -> badge.getText() + " | " + badge.getDomAttribute("title"))
                .containsExactlyInAnyOrder("via SCIM | In Data through the identity provider (SCIM)",
                        "by hand and via SCIM | In Security by hand and through the identity provider (SCIM)");
        browser.open("/orgs/" + org.slug() + "/manage/members/" + edgar.id());
        browser.screenshot("member-directory-teams");

        assertThat(teamBadge("Data")).isEqualTo("via SCIM | In Data through the identity provider (SCIM)");
        assertThat(teamBadge("Security"))
                .isEqualTo("by hand and via SCIM | In Security by hand and through the identity provider (SCIM)");
        assertThat(grant("Platform").findElements(By.cssSelector(".badge.directory"))).isEmpty();
        assertThat(grant("Platform").getText()).doesNotContain("identity provider");
        assertThat(grant("Platform").findElements(By.tagName("button"))).hasSize(1);
        assertThat(grant("Data").getText()).contains("Managed by your identity provider (SCIM). Change it there");
        assertThat(grant("Data").findElements(By.tagName("button"))).isEmpty();
        assertThat(grant("Security").getText()).contains("Also managed by your identity provider (SCIM)");

        // Removing the admin's own grant of a team SCIM also grants leaves the member in it.
        browser.click(grant("Security").findElement(By.tagName("button")));
        assertThat(browser.awaitNotice()).contains("stays in Security through the identity provider");
        assertThat(grant("Security").getText()).contains("Managed by your identity provider (SCIM)");
        assertThat(teamBadge("Security")).isEqualTo("via SCIM | In Security through the identity provider (SCIM)");

        browser.click(grant("Platform").findElement(By.tagName("button")));
        browser.awaitNotice();
        assertThat(browser.text(".grant-list")).doesNotContain("Platform");

        new Select(browser.find("#teamId")).selectByVisibleText("Support");
        browser.clickText("form.inline-form", "Add");
        assertThat(browser.awaitNotice()).isEqualTo("Test edgar is now in Support.");
        assertThat(directory.teams(org.id(), edgar.id())).extracting(g -> g.teamName())
                .containsExactly("Data", "Security", "Support");
    }

    @Test
    void adminRightsAnIdentityProviderGivesAreMarkedAndChangedThereAndAnAdminsOwnGrantIsWithdrawnAlone() {
        TestData.Org org = data.org();
        TestData.Person person = this.data.person("ida");
        Membership ida = memberships.join(org.id(), person.id(), new MembershipService.Join(false,
                MembershipSource.SCIM, Set.of(), GrantSource.SCIM), SCIM);
        memberships.grantAdmin(org.id(), ida.id(), GrantSource.SCIM, SCIM);
        String page = "/orgs/" + org.slug() + "/manage/members/" + ida.id();

        // The list tells the role's source from the way she joined, though both are SCIM.
        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/manage/members?role=admin");
        WebElement byDirectory = row(person.email()).findElement(By.cssSelector(".badge.admin + .badge.directory"));
        assertThat(byDirectory.getText()).isEqualTo("via SCIM");
        assertThat(byDirectory.getDomAttribute("title")).isEqualTo("Admin through the identity provider (SCIM)");
        assertThat(row(person.email()).findElement(By.cssSelector(".badge.source")).getText())
                .isEqualTo("Joined via SCIM");
        assertThat(row(org.admin().email()).findElements(By.cssSelector(".badge.directory"))).isEmpty();
        browser.screenshot("members-directory-admin");

        // Only the directory makes her an admin: the page says where to change it, offers no demotion, and offers
        // to keep her an admin when the directory stops.
        browser.open(page);
        assertThat(browser.text("h1 .badge.admin")).isEqualTo("Admin");
        assertThat(browser.text("h1 .badge.admin + .badge.directory")).isEqualTo("via SCIM");
        assertThat(browser.text("h1 .badge.source")).isEqualTo("Joined via SCIM");
        assertThat(adminBlock().getText()).contains("Admin through your identity provider (SCIM). Change it there");
        assertThat(adminButtons()).containsExactly("Keep as admin if the identity provider stops granting it");
        browser.screenshot("member-directory-admin");

        // Made an admin by hand too, withdrawing that is offered, and the page and the dialog say that it withdraws
        // only the grant made by hand.
        memberships.setAdmin(org.id(), ida.id(), true, SETUP);
        browser.open(page);
        assertThat(browser.text("h1 .badge.admin + .badge.directory")).isEqualTo("by hand and via SCIM");
        assertThat(adminBlock().getText()).contains("Admin given here by hand and through your identity provider "
                + "(SCIM): Test ida stays an admin if the identity provider stops granting it.");
        assertThat(adminButtons()).containsExactly("Withdraw the admin rights given by hand");
        browser.clickText(".action-block", "Withdraw the admin rights given by hand");
        browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog.confirm-dialog")));
        assertThat(browser.text("dialog.confirm-dialog")).contains("Withdraw the admin rights given to Test ida by "
                + "hand?", "stays an admin through your identity provider (SCIM) for as long as it grants it")
                .doesNotContain("can no longer manage");
        browser.screenshotWindow("member-withdraw-manual-admin-dialog");
        browser.clickText("dialog.confirm-dialog", "Withdraw the admin rights given by hand");
        assertThat(browser.awaitNotice()).isEqualTo("Only the admin rights given here by hand are withdrawn: Test ida "
                + "stays an admin through your identity provider (SCIM) for as long as it grants it.");
        assertThat(directory.find(org.id(), ida.id()).orElseThrow().admin()).isTrue();
        assertThat(directory.adminGrantedBy(org.id(), GrantSource.MANUAL, Set.of(ida.id()))).isEmpty();
        assertThat(adminButtons()).containsExactly("Keep as admin if the identity provider stops granting it");

        // A page from before the grant by hand went elsewhere still offers the withdrawal: the refusal says why.
        memberships.setAdmin(org.id(), ida.id(), true, SETUP);
        browser.open(page);
        memberships.setAdmin(org.id(), ida.id(), false, SETUP);
        confirm("Withdraw the admin rights given by hand", "Withdraw the admin rights given by hand");
        assertThat(browser.text("p.alert")).contains("through the identity provider (SCIM). Change it there.");
        assertThat(directory.find(org.id(), ida.id()).orElseThrow().admin()).isTrue();
    }

    /**
     * The admin role a directory gives ends when the directory says so; an admin who wants the person to stay one
     * adds their own grant from the member's page, and the role then outlasts the directory's grant (withdrawn here
     * through the real SCIM endpoint, as Okta or Entra ID would).
     */
    @Test
    void anAdminKeepsTheDirectorysAdminAsAdminAndTheRoleOutlastsTheDirectorysGrant() {
        TestData.Org org = data.org();
        TestData.Person plain = data.member(org, false);
        ScimDirectory scim = ScimDirectory.create(api, org);
        String email = TestData.uniqueEmail("ida");
        String user = scim.createUser(email, "Ida Lovelace");
        String admins = scim.createGroup(TestData.unique("Roster admins"), user);
        scim.mapAsAdmins(admins);
        Membership ida = directory.list(org.id(), new MemberReads.MemberFilter(email, null, null, null),
                PageQuery.of(0, 5)).items().stream().findFirst().map(m -> directory.find(org.id(), m.id()))
                .orElseThrow().orElseThrow();
        String page = "/orgs/" + org.slug() + "/manage/members/" + ida.id();
        assertThat(ida.admin()).isTrue();

        // The action is for a directory's admin only: not for a member, nor for an admin made here by hand.
        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/manage/members/" + membership(org, plain).id());
        assertThat(adminButtons()).containsExactly("Make admin");
        browser.open("/orgs/" + org.slug() + "/manage/members/" + org.adminMembership().id());
        assertThat(adminButtons()).containsExactly("Remove admin rights");

        browser.open(page);
        assertThat(adminButtons()).containsExactly("Keep as admin if the identity provider stops granting it");
        browser.clickText(".action-block", "Keep as admin if the identity provider stops granting it");
        browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog.confirm-dialog")));
        assertThat(browser.text("dialog.confirm-dialog")).contains(
                "Keep Ida Lovelace an admin if the identity provider stops granting it?",
                "Ida Lovelace is an admin through your identity provider (SCIM) for as long as it grants it.",
                "given here by hand as well");
        browser.screenshotWindow("member-keep-admin-dialog");
        browser.clickText("dialog.confirm-dialog", "Keep as admin");
        assertThat(browser.awaitNotice()).isEqualTo("Ida Lovelace stays an admin if the identity provider stops "
                + "granting it: admin rights are now given here by hand as well.");
        assertThat(browser.text("h1 .badge.admin + .badge.directory")).isEqualTo("by hand and via SCIM");
        assertThat(adminBlock().getText()).contains("Admin given here by hand and through your identity provider "
                + "(SCIM)");
        assertThat(adminButtons()).containsExactly("Withdraw the admin rights given by hand");
        browser.screenshot("member-kept-admin");

        // The directory's group loses her: its grant goes, hers by hand stays, and so does the role.
        scim.removeFromGroup(admins, user);
        assertThat(directory.adminGrantedBy(org.id(), GrantSource.SCIM, Set.of(ida.id()))).isEmpty();
        browser.open(page);
        assertThat(browser.text("h1")).contains("Admin");
        assertThat(browser.findAll("h1 .badge.directory")).isEmpty();
        assertThat(browser.text("h1 .badge.source")).isEqualTo("Joined via SCIM");
        assertThat(adminButtons()).containsExactly("Remove admin rights");
        assertThat(directory.find(org.id(), ida.id()).orElseThrow().admin()).isTrue();

        // Back to the directory alone; a page shown then, clicked after the directory has let her go too, would make
        // her an admin anew, which its dialog did not say: the server asks as it asks before any promotion.
        confirm("Remove admin rights", "Remove admin rights");
        scim.addToGroup(admins, user);
        browser.open(page);
        scim.removeFromGroup(admins, user);
        browser.clickText(".action-block", "Keep as admin if the identity provider stops granting it");
        browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog.confirm-dialog")));
        browser.clickText("dialog.confirm-dialog", "Keep as admin");
        // The page that loads next: the server's question, or (were it not asked) the member page with a notice.
        browser.waitUntil(d -> Boolean.TRUE.equals(browser.script("return document.readyState === 'complete'"
                + " && window.rosterClicked !== true")));
        assertThat(browser.text("h1")).isEqualTo("Make Ida Lovelace an admin?");
        assertThat(directory.find(org.id(), ida.id()).orElseThrow().admin()).isFalse();
    }

    /** A member an admin, SSO and SCIM all make an admin, and one who joined through SSO: the labels name each. */
    @Test
    void anAdminRoleFromBothDirectoriesAndByHandReadsAsSuch() {
        TestData.Org org = data.org();
        TestData.Person person = this.data.person("grace");
        Membership grace = memberships.join(org.id(), person.id(), new MembershipService.Join(false,
                MembershipSource.SSO, Set.of(), GrantSource.SSO), SSO);
        memberships.grantAdmin(org.id(), grace.id(), GrantSource.SSO, SSO);
        memberships.grantAdmin(org.id(), grace.id(), GrantSource.SCIM, SCIM);
        memberships.setAdmin(org.id(), grace.id(), true, SETUP);
        String page = "/orgs/" + org.slug() + "/manage/members/" + grace.id();

        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/manage/members");
        WebElement badge = row(person.email()).findElement(By.cssSelector(".badge.admin + .badge.directory"));
        assertThat(badge.getText()).isEqualTo("by hand, via SSO and SCIM");
        assertThat(badge.getDomAttribute("title"))
                .isEqualTo("Admin given here by hand and through the identity provider (SSO and SCIM)");
        assertThat(row(person.email()).findElement(By.cssSelector(".badge.source")).getText())
                .isEqualTo("Joined via SSO");
        browser.screenshot("members-admin-three-sources");

        browser.open(page);
        assertThat(browser.text("h1 .badge.admin + .badge.directory")).isEqualTo("by hand, via SSO and SCIM");
        assertThat(browser.text("h1 .badge.source")).isEqualTo("Joined via SSO");
        assertThat(adminBlock().getText()).contains("Admin given here by hand and through your identity provider "
                + "(SSO and SCIM): Test grace stays an admin if the identity provider stops granting it.");
        browser.screenshot("member-admin-three-sources");

        confirm("Withdraw the admin rights given by hand", "Withdraw the admin rights given by hand");
        assertThat(browser.text("p.notice")).isEqualTo("Only the admin rights given here by hand are withdrawn: "
                + "Test grace stays an admin through your identity provider (SSO and SCIM) for as long as it grants "
                + "it.");
        assertThat(browser.text("h1 .badge.admin + .badge.directory")).isEqualTo("via SSO and SCIM");
        assertThat(adminBlock().getText()).contains("Admin through your identity provider (SSO and SCIM). Change it "
                + "there");
        assertThat(adminButtons()).containsExactly("Keep as admin if the identity provider stops granting it");
    }

    @Test
    void inAnOrganizationWithManyTeamsATeamToAddIsFoundByTyping() {
        TestData.Org org = data.org();
        for (int i = 0; i < TeamChoices.LISTED_IN_FULL + 10; i++) {
            teams.create(org.id(), String.format("Team %03d", i), null, SETUP);
        }
        TestData.Person person = data.member(org, false);

        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/manage/members/" + membership(org, person).id());
        assertThat(browser.text("#teamId")).contains("Choose a team", "Team 049").doesNotContain("Team 507");
        browser.type("#teamId-search", "507");
        browser.waitUntil(d -> browser.text("#teamId").contains("Team 507"));
        new Select(browser.find("#teamId")).selectByVisibleText("Team 507");
        browser.clickText("form.inline-form", "Add");
        assertThat(browser.awaitNotice()).isEqualTo("Test member is now in Team 507.");

        // The members list filters by it the same way.
        browser.open("/orgs/" + org.slug() + "/manage/members");
        browser.type("#team-search", "507");
        browser.waitUntil(d -> browser.text("#team").contains("Team 507"));
        new Select(browser.find("#team")).selectByVisibleText("Team 507");
        browser.waitUntil(d -> browser.findAll("table.members tbody tr").size() == 1);
        assertThat(browser.text("table.members")).contains(person.email());
        assertThat(browser.driver().getCurrentUrl()).contains("team=").doesNotContain("teamQuery");
    }

    @Test
    void suspendingReactivatingAndRemovingAskFirstAndTheLastAdminIsKept() {
        TestData.Org org = data.org();
        TestData.Person ada = data.member(org, false);
        Team platform = teams.create(org.id(), "Platform", null, SETUP);
        memberships.grantTeam(org.id(), membership(org, ada).id(), platform.id(), GrantSource.MANUAL, SETUP);
        String page = "/orgs/" + org.slug() + "/manage/members/" + membership(org, ada).id();

        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open(page);
        confirm("Suspend", "Suspend");
        assertThat(browser.text("h1")).contains("Suspended");
        assertThat(membership(org, ada).status()).isEqualTo(MembershipStatus.SUSPENDED);
        browser.screenshot("member-suspended");

        browser.clickText(".action-block", "Reactivate");
        browser.awaitNotice();
        assertThat(membership(org, ada).status()).isEqualTo(MembershipStatus.ACTIVE);

        // Without the dialog (no script, or skipped) the server asks on a page of its own.
        browser.script("document.querySelectorAll('form[data-confirm]').forEach(f => f.removeAttribute('data-confirm'))");
        browser.clickText(".danger-zone", "Remove member");
        browser.waitUntil(d -> browser.path().endsWith("/remove"));
        assertThat(browser.text("h1")).isEqualTo("Remove Test member from " + org.organization().name() + "?");
        assertThat(browser.mainText()).contains("They leave their team: Platform.", "personal resources stay");
        assertThat(membership(org, ada).status()).isEqualTo(MembershipStatus.ACTIVE);
        browser.screenshot("member-remove-confirmation-page");
        browser.clickText("main form", "Remove member");
        assertThat(browser.awaitNotice()).contains(ada.email() + ") is removed");
        assertThat(browser.path()).isEqualTo("/orgs/" + org.slug() + "/manage/members");
        assertThat(browser.text("table.members")).doesNotContain(ada.email());
        assertThat(membership(org, ada).status()).isEqualTo(MembershipStatus.REMOVED);

        // The only admin cannot take their own rights away; the refusal is shown on their page.
        browser.open("/orgs/" + org.slug() + "/manage/members/" + org.adminMembership().id());
        confirm("Remove admin rights", "Remove admin rights");
        assertThat(browser.text("p.alert")).contains("last admin cannot be demoted");
        assertThat(membership(org, org.admin()).admin()).isTrue();
    }

    /**
     * Ten thousand members, written straight into the tables (through the service each would hash a password and
     * write an audit entry, minutes of set-up for a page render). Prints how long pages take; the list pages in the
     * database, so the first page, a deep page and a search all read one page.
     */
    @Test
    void theMemberListStaysQuickAtTenThousandMembers() {
        TestData.Org org = data.org();
        Team big = teams.create(org.id(), "Everyone", null, SETUP);
        seedMembers(org, big, 10_000);

        browser.signIn(org.admin().email(), TestData.PASSWORD);
        String list = "/orgs/" + org.slug() + "/manage/members";
        browser.open(list);
        long first = timed(() -> browser.open(list));
        assertThat(browser.text(".pager")).contains("Showing 1–50 of 10,001 members");
        assertThat(browser.findAll("table.members tbody tr")).hasSize(50);
        browser.screenshot("members-10k");
        long deep = timed(() -> browser.open(list + "?page=199"));
        assertThat(browser.text(".pager")).contains("Showing 9,951–10,000 of 10,001 members");
        long search = timed(() -> browser.open(list + "?q=" + scalePrefix(org) + "04242"));
        assertThat(browser.findAll("table.members tbody tr")).hasSize(1);
        long team = timed(() -> browser.open(list + "?team=" + big.id() + "&page=100"));
        assertThat(browser.text(".pager")).contains("of 10,000 members");
        System.out.printf("Member list with 10,001 members, page load in Chromium: first page %d ms, page 200 %d ms, "
                + "search %d ms, team filter page 101 %d ms%n", first, deep, search, team);

        // The same pages over plain HTTP: the server's share (query and render), without the browser's.
        TestSession http = new TestSession(api.baseUrl());
        http.signIn(org.admin().email(), TestData.PASSWORD);
        http.get(list);
        List<String> serverTimes = new ArrayList<>();
        for (String query : List.of("", "?page=199", "?q=" + scalePrefix(org) + "04242",
                "?team=" + big.id() + "&page=100")) {
            long[] took = new long[1];
            took[0] = timed(() -> assertThat(http.get(list + query).status()).isEqualTo(200));
            serverTimes.add((query.isEmpty() ? "first page" : query) + " " + took[0] + " ms");
        }
        System.out.println("Member list with 10,001 members, over HTTP: " + String.join(", ", serverTimes));
    }

    private void seedMembers(TestData.Org org, Team team, int count) {
        Timestamp now = Timestamp.from(Instant.now());
        List<Object[]> accounts = new ArrayList<>(count);
        List<Object[]> members = new ArrayList<>(count);
        List<Object[]> grants = new ArrayList<>(count);
        String prefix = scalePrefix(org);
        for (int i = 0; i < count; i++) {
            UUID account = Ids.newId();
            UUID member = Ids.newId();
            String email = prefix + String.format("%05d", i) + "@example.test";
            accounts.add(new Object[] {account, email, email, "Scale Person " + i, now, now});
            members.add(new Object[] {member, org.id(), account, i % 3 == 0 ? "SCIM" : "INVITATION", now, now, email});
            grants.add(new Object[] {org.id(), team.id(), member, i % 3 == 0 ? "SCIM" : "MANUAL", now});
        }
        jdbc.batchUpdate("INSERT INTO account (id, email, email_normalized, display_name, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)", accounts);
        jdbc.batchUpdate("INSERT INTO membership (id, organization_id, account_id, admin, status, source, "
                + "status_changed_by, created_at, updated_at, email_normalized) "
                + "VALUES (?, ?, ?, FALSE, 'ACTIVE', ?, 'SYSTEM', ?, ?, ?)", members);
        jdbc.batchUpdate("INSERT INTO team_membership (organization_id, team_id, membership_id, source, created_at) "
                + "VALUES (?, ?, ?, ?, ?)", grants);
    }

    private static String scalePrefix(TestData.Org org) {
        return "scale-" + org.slug().substring(4) + "-";
    }

    private static long timed(Runnable action) {
        long started = System.nanoTime();
        action.run();
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Clicks a button that asks first, and confirms in the dialog. */
    private void confirm(String button, String confirmButton) {
        browser.clickText(".action-block", button);
        browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("dialog.confirm-dialog")));
        String before = browser.driver().getCurrentUrl();
        browser.clickText("dialog.confirm-dialog", confirmButton);
        browser.awaitNoticeOrAlert();
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(before);
    }

    private WebElement row(String email) {
        return browser.findAll("table.members tbody tr").stream().filter(r -> r.getText().contains(email)).findFirst()
                .orElseThrow(() -> new AssertionError("no row of " + email));
    }

    /** The buttons of the member page's block about the admin role, by their visible text. */
    private List<String> adminButtons() {
        return adminBlock().findElements(By.tagName("button")).stream().filter(WebElement::isDisplayed)
                .map(WebElement::getText).toList();
    }

    /** The member page's block about the admin role. */
    private WebElement adminBlock() {
        return browser.findAll(".action-block").stream()
                .filter(block -> block.findElement(By.tagName("h3")).getText().equals("Admin")).findFirst()
                .orElseThrow(() -> new AssertionError("no admin block"));
    }

    private WebElement grant(String team) {
        return browser.findAll(".grant-list li").stream().filter(li -> li.getText().startsWith(team)).findFirst()
                .orElseThrow(() -> new AssertionError("no grant of " + team));
    }

    /** The member page's badge of a team a directory gives, as its text and its tooltip. */
    private String teamBadge(String team) {
        WebElement badge = grant(team).findElement(By.cssSelector(".badge.directory"));
        return badge.getText() + " | " + badge.getDomAttribute("title");
    }

    private Membership membership(TestData.Org org, TestData.Person person) {
        return directory.findByAccount(org.id(), person.id()).orElseThrow();
    }

    /**
     * A SCIM directory of the organization, made through the admin API and written to through the real SCIM endpoint
     * with its token, as an identity provider would (the scim package's own test client is for its tests).
     */
    private record ScimDirectory(TestApi api, TestData.Org org, String id, String token) {

        private static final Map<String, String> SCIM_JSON = Map.of("Content-Type", "application/scim+json",
                "Accept", "application/scim+json");

        static ScimDirectory create(TestApi api, TestData.Org org) {
            TestApi.Response created = api.post(org.admin().token(), org.api("/scim-directories"),
                    Map.of("name", "Okta", "kind", "okta"));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            return new ScimDirectory(api, org, created.json().path("id").asText(),
                    created.json().path("token").asText());
        }

        String createUser(String email, String displayName) {
            return created("/Users", Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"),
                    "userName", email, "displayName", displayName, "active", true,
                    "emails", List.of(Map.of("primary", true, "type", "work", "value", email))));
        }

        String createGroup(String displayName, String member) {
            return created("/Groups", Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:Group"),
                    "displayName", displayName, "members", List.of(Map.of("value", member))));
        }

        /** Maps the group to the organization's admin role, through the admin API. */
        void mapAsAdmins(String group) {
            TestApi.Response mapped = api.post(org.admin().token(), org.api("/scim-directories/" + id
                    + "/group-mappings"), Map.of("group", Map.of("by", "id", "value", group), "teams", List.of(),
                    "admin", true));
            assertThat(mapped.status()).as(mapped.body()).isEqualTo(201);
        }

        void addToGroup(String group, String member) {
            changeGroup(group, "Add", member);
        }

        void removeFromGroup(String group, String member) {
            changeGroup(group, "Remove", member);
        }

        private void changeGroup(String group, String op, String member) {
            TestApi.Response changed = api.send(token, "PATCH", "/scim/v2/Groups/" + group, Map.of(
                    "schemas", List.of("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
                    "Operations", List.of(Map.of("op", op, "path", "members", "value",
                            List.of(Map.of("value", member))))), SCIM_JSON);
            assertThat(changed.status()).as(changed.body()).isIn(200, 204);
        }

        private String created(String path, Map<String, Object> body) {
            TestApi.Response created = api.send(token, "POST", "/scim/v2" + path, body, SCIM_JSON);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            return created.json().path("id").asText();
        }
    }
}
