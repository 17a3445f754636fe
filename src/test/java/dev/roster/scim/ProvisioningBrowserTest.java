package dev.roster.scim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Team;
import dev.roster.membership.TeamGrant;
import dev.roster.membership.TeamService;
import dev.roster.scim.directory.ScimDirectory;
import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.scim.directory.ScimSettingsService;
import dev.roster.shared.Actor;
import dev.roster.shared.PageQuery;
import dev.roster.test.Browser;
import dev.roster.test.BrowserTest;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestData;

/**
 * Manage → Provisioning in Chromium: a directory created with its token shown once and copied, tokens rotated and
 * revoked, a failing request at the top of the request log, a pushed group mapped after a preview of who it moves,
 * and what deactivation does.
 */
@RosterIntegrationTest
class ProvisioningBrowserTest extends BrowserTest {

    private static final Actor SETUP = Actor.system("test setup");

    @Autowired
    TestData data;
    @Autowired
    TeamService teams;
    @Autowired
    MemberReads members;
    @Autowired
    ScimDirectoryService directories;
    @Autowired
    ScimSettingsService settings;

    @Test
    void aDirectoryIsCreatedWithItsTokenShownOnceThenRotatedAndRevoked() {
        TestData.Org org = data.org();
        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/manage/members");
        browser.clickText(".tabs", "Provisioning");
        browser.waitForPath("/orgs/" + org.slug() + "/manage/provisioning");
        assertThat(browser.mainText()).contains("No SCIM directory yet.", "Provisioning from Microsoft Entra ID",
                "Provisioning from Okta");
        browser.click(".idp-steps details summary");
        browser.screenshot("provisioning-empty");

        browser.type("#name", "");
        browser.clickText("main form.stack", "Create directory");
        browser.waitUntil(d -> browser.exists("#name-error"));
        assertThat(browser.text("#name-error")).isEqualTo("A directory needs a name.");

        browser.type("#name", "Entra ID");
        new Select(browser.find("#kind")).selectByValue("entra");
        browser.clickText("main form.stack", "Create directory");
        browser.waitUntil(d -> browser.exists(".created-secret"));
        ScimDirectory directory = directories.list(org.id(), PageQuery.of(0, 5)).items().get(0);
        String first = browser.text("#new-token-secret");
        assertThat(first).startsWith("scim_");
        assertThat(browser.text("#tenant-url")).endsWith("/scim/v2");
        assertThat(browser.mainText()).contains("?aadOptscim062020", "Copy it now.");
        grantClipboard();
        browser.clickText(".created-secret", "Copy token");
        browser.waitUntil(d -> first.equals(clipboard()));
        browser.screenshot("provisioning-directory-created");
        assertThat(api.get(first, "/scim/v2/Users").status()).isEqualTo(200);

        // The token is never shown again.
        String page = "/orgs/" + org.slug() + "/manage/provisioning/directories/" + directory.id();
        browser.open(page);
        assertThat(browser.exists(".created-secret")).isFalse();
        assertThat(browser.driver().getPageSource()).doesNotContain(first);

        // Rotation: a second token, then no third, and the old one revoked after confirming.
        browser.clickText("main", "Create a new token");
        browser.waitUntil(d -> browser.exists(".created-secret"));
        String second = browser.text("#new-token-secret");
        assertThat(second).isNotEqualTo(first);
        assertThat(browser.findAll("table.tokens tbody tr")).hasSize(2);
        assertThat(browser.mainText()).contains("Two tokens are live").doesNotContain("Create a new token");
        browser.screenshot("provisioning-tokens-rotating");

        browser.open(page);
        browser.find("table.tokens tbody tr:first-child button").click();
        browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog.confirm-dialog")));
        assertThat(browser.text("dialog.confirm-dialog")).contains("Revoke the old token only after your identity "
                + "provider uses the new one.");
        browser.screenshotWindow("provisioning-revoke-dialog");
        browser.clickText("dialog.confirm-dialog", "Revoke token");
        browser.awaitNotice();
        assertThat(browser.text("table.tokens")).contains("Revoked", "Live");
        assertThat(api.get(first, "/scim/v2/Users").status()).isEqualTo(401);
        assertThat(api.get(second, "/scim/v2/Users").status()).isEqualTo(200);
        browser.screenshot("provisioning-directory");

        browser.clickText(".back", "← Provisioning");
        browser.waitForPath("/orgs/" + org.slug() + "/manage/provisioning");
        assertThat(browser.text("table.directories")).contains("Entra ID", "Microsoft Entra ID");
        browser.screenshot("provisioning");
    }

    @Test
    void aFailingRequestIsAtTheTopOfTheLogWithItsRequestAndAnswer() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        scim.createUser(TestData.uniqueEmail("ada"));
        scim.createUser(TestData.uniqueEmail("grace"));
        var refused = api.get(scim.token, "/scim/v2/Users?filter=" + ScimTestClient.encode("nickName eq \"ada\""));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(scim.get("/Users").status()).isEqualTo(200);
        String page = "/orgs/" + scim.org.slug() + "/manage/provisioning/directories/" + scim.directoryId;
        browser.signIn(scim.org.admin().email(), TestData.PASSWORD);
        browser.open(page);
        assertThat(browser.text("section[aria-labelledby=log-heading]")).contains("1 failed request");

        browser.clickText("main", "Open the request log");
        browser.waitForPath(page + "/requests");
        List<WebElement> rows = browser.findAll("table.requests tbody tr");
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0).getText()).contains("GET", "nickName", "400");
        assertThat(rows.get(0).getDomAttribute("class")).contains("not-ok");
        rows.get(0).findElement(By.cssSelector("summary")).click();
        assertThat(browser.text("table.requests tbody tr:first-child .diff")).contains("Answer", "invalidFilter");
        browser.screenshot("provisioning-request-log");

        new Select(browser.find("#method")).selectByValue("POST");
        browser.clickText("main form.filters", "Filter");
        browser.waitUntil(d -> browser.path().contains("method=POST"));
        assertThat(browser.findAll("table.requests tbody tr")).hasSize(2)
                .allSatisfy(row -> assertThat(row.getText()).contains("POST", "201"));

        browser.clickText("main form.filters", "Clear");
        browser.waitForPath(page + "/requests");
        browser.find("input[name=failedOnly]").click();
        browser.clickText("main form.filters", "Filter");
        browser.waitUntil(d -> browser.path().contains("failedOnly=true"));
        assertThat(browser.findAll("table.requests tbody tr")).singleElement()
                .satisfies(row -> assertThat(row.getText()).contains("400"));
        browser.screenshot("provisioning-request-log-failed");

        // On a phone nothing runs off the side.
        browser.resize(375, 812);
        for (String narrow : List.of(page, page + "/requests", "/orgs/" + scim.org.slug() + "/manage/provisioning")) {
            browser.open(narrow);
            assertThat(browser.widerThanWindow()).as(narrow).isEmpty();
        }
        browser.open(page + "/requests");
        browser.find("table.requests tbody tr:first-child summary").click();
        assertThat(browser.widerThanWindow()).isEmpty();
        browser.screenshot("provisioning-request-log-narrow");
    }

    @Test
    void aPushedGroupIsMappedAfterAPreviewOfWhoItMoves() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        Team platform = teams.create(scim.org.id(), "Platform", null, SETUP);
        teams.create(scim.org.id(), "On-call", null, SETUP);
        String adaEmail = TestData.uniqueEmail("ada");
        String graceEmail = TestData.uniqueEmail("grace");
        String alanEmail = TestData.uniqueEmail("alan");
        String ada = scim.createUser(adaEmail);
        String grace = scim.createUser(graceEmail);
        String alan = scim.createUser(alanEmail);
        scim.createGroup("Engineering", ada, grace);
        scim.createGroup("Design", alan);
        String page = "/orgs/" + scim.org.slug() + "/manage/provisioning/directories/" + scim.directoryId;
        browser.signIn(scim.org.admin().email(), TestData.PASSWORD);
        browser.open(page);
        assertThat(browser.mainText()).contains("No group is mapped yet");
        assertThat(browser.text("table.groups")).contains("Engineering", "Design");
        assertThat(browser.findAll("table.groups .group-name")).allSatisfy(name ->
                assertThat(name.getDomAttribute("title")).startsWith("ID: ext-"));

        browser.find("a[aria-label='Map Engineering']").click();
        browser.waitUntil(d -> "externalId".equals(new Select(browser.find("#mapping-by")).getFirstSelectedOption()
                .getDomAttribute("value")));
        String externalId = browser.find("#mapping-value").getDomProperty("value");
        assertThat(externalId).startsWith("ext-");
        browser.find("input[name=teams][value='" + platform.id() + "']").click();
        browser.clickText("section[aria-labelledby=map-heading]", "Preview");
        browser.waitUntil(d -> browser.exists(".impact"));
        assertThat(browser.text(".impact-summary")).isEqualTo("This change will add 2 people to Platform.");
        assertThat(browser.text(".impact")).contains(adaEmail, graceEmail, "It matches the group Engineering")
                .doesNotContain(alanEmail);
        assertThat(teamsOf(scim, adaEmail)).isEmpty();
        browser.screenshot("provisioning-preview-mapping");
        browser.clickText("main form", "Apply: map group");
        assertThat(browser.awaitNotice()).contains("its members follow now");
        assertThat(teamsOf(scim, adaEmail)).containsExactly("Platform");
        assertThat(teamsOf(scim, graceEmail)).containsExactly("Platform");
        assertThat(browser.text("table.mappings")).contains("Engineering", "matched by externalId", "Platform");
        // The group reads by its name, with its externalId on hover and as text to select and copy.
        assertThat(browser.text("table.mappings .group-name")).isEqualTo("Engineering");
        assertThat(browser.find("table.mappings .group-name").getDomAttribute("title")).isEqualTo("ID: " + externalId);
        assertThat(browser.text("table.mappings .group-id")).isEqualTo(externalId);
        browser.screenshot("provisioning-mappings");
        browser.resize(390, 844);
        assertThat(browser.widerThanWindow()).isEmpty();
        browser.screenshot("provisioning-mappings-phone");
        browser.resize(Browser.DESKTOP_WIDTH, Browser.DESKTOP_HEIGHT);

        // The team's page names the group that fills it.
        browser.open("/orgs/" + scim.org.slug() + "/manage/teams/" + platform.id());
        assertThat(browser.text(".mapped-groups")).contains("Engineering", "SCIM: Test entra directory",
                "matched by externalId");
        browser.clickText(".mapped-groups", "Edit");
        browser.waitForPath(page);

        browser.clickText("table.mappings", "Remove…");
        browser.waitUntil(d -> browser.exists(".impact"));
        assertThat(browser.text(".impact-summary")).isEqualTo("This change will remove 2 people from Platform.");
        browser.screenshot("provisioning-preview-remove-mapping");
        browser.clickText("main form", "Apply: remove mapping");
        browser.awaitNotice();
        assertThat(teamsOf(scim, adaEmail)).isEmpty();

        // Removing people on deactivation asks first.
        browser.open("/orgs/" + scim.org.slug() + "/manage/provisioning");
        browser.find("input[name=onDeactivate][value=remove]").click();
        browser.clickText("section[aria-labelledby=settings-heading]", "Save");
        browser.waitUntil(d -> browser.title().startsWith("Remove people when the directory deactivates them?"));
        browser.screenshot("provisioning-confirm-remove-on-deactivate");
        browser.clickText("main form", "Remove on deactivation");
        browser.awaitNotice();
        assertThat(settings.onDeactivate(scim.org.id())).isEqualTo(ScimSettingsService.OnDeactivate.REMOVE);
        assertThat(browser.find("input[name=onDeactivate][value=remove]").isSelected()).isTrue();
    }

    private List<String> teamsOf(ScimTestClient scim, String email) {
        List<Member> found = members.list(scim.org.id(), new MemberReads.MemberFilter(email, null, null, null),
                PageQuery.of(0, 5)).items();
        return found.isEmpty() ? List.of() : found.get(0).teams().stream().map(TeamGrant::teamName).toList();
    }

    /** Lets the page write to and the test read the clipboard, as a person's browser would after a click. */
    private void grantClipboard() {
        browser.driver().executeCdpCommand("Browser.grantPermissions", Map.of("origin",
                URI.create(api.baseUrl()).toString(), "permissions",
                List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    }

    private String clipboard() {
        return (String) browser.driver().executeAsyncScript(
                "var done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, "
                        + "function (e) { done('unreadable: ' + e); });");
    }
}
