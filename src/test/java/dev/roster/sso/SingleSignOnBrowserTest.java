package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Team;
import dev.roster.membership.TeamGrant;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.PageQuery;
import dev.roster.test.Browser;
import dev.roster.test.BrowserTest;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.sso.access.SsoAccessService;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.access.VerifiedDomain;
import dev.roster.sso.connection.ConnectionView;
import dev.roster.sso.connection.SsoConnectionService;

/**
 * Manage → Single sign-on in Chromium: a connection made from the test IdP's metadata and the values to copy into
 * the IdP, domains claimed and verified, grants and group mappings previewed with the people they move before they
 * apply, the mapped groups on a team's page, and a test login that shows what the IdP asserted.
 */
@RosterIntegrationTest
class SingleSignOnBrowserTest extends BrowserTest {

    private static final Actor SETUP = Actor.system("test setup");

    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    SsoAccessService access;
    @Autowired
    SsoConnectionService connections;
    @Autowired
    TeamService teams;
    @Autowired
    MemberReads members;

    @Test
    void aConnectionIsCreatedFromPastedMetadataAndShowsWhatTheIdentityProviderNeeds() {
        TestData.Org org = data.org();
        TestIdp idp = new TestIdp(TestData.unique("okta"));
        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/manage/members");
        browser.clickText(".tabs", "Single sign-on");
        browser.waitForPath("/orgs/" + org.slug() + "/manage/sso");
        assertThat(browser.text(".tabs [aria-current]")).isEqualTo("Single sign-on");
        assertThat(browser.mainText()).contains("No SSO connection yet. Paste your identity provider's metadata to "
                + "start.", "Setting up Microsoft Entra ID", "Setting up Okta", "No domain yet");
        browser.click(".idp-steps details:nth-of-type(2) summary");
        browser.screenshot("sso-empty");

        browser.clickText(".empty", "New connection");
        browser.waitForPath("/orgs/" + org.slug() + "/manage/sso/new");
        browser.find("input[name=kind][value=okta]").click();
        browser.type("#metadataXml", "<not metadata");
        browser.clickText("main form", "Create connection");
        browser.waitUntil(d -> browser.exists("#metadataXml-error"));
        assertThat(browser.text("#metadataXml-error")).startsWith("This is not SAML metadata: the XML is broken at line 1")
                .contains("\u201c<not metadata\u201d");
        assertThat(browser.find("#metadataXml").getDomAttribute("aria-invalid")).isEqualTo("true");
        browser.screenshot("sso-new-connection-error");

        browser.find("#metadataXml").clear();
        browser.script("document.getElementById('metadataXml').value = arguments[0];", idp.metadataXml());
        browser.type("#name", "Okta (test)");
        browser.clickText("main form", "Create connection");
        browser.awaitNotice();
        ConnectionView connection = connections.list(org.id()).get(0);
        assertThat(browser.path()).isEqualTo("/orgs/" + org.slug() + "/manage/sso/connections/" + connection.id());
        assertThat(browser.text("h1")).contains("Okta (test)", "Enabled");
        assertThat(browser.text("#sp-acs")).isEqualTo(connection.acsUrl());
        assertThat(browser.text("#sp-entity-id")).isEqualTo(connection.spEntityId());
        assertThat(browser.text("#sp-login")).isEqualTo(connection.loginUrl());
        assertThat(browser.text("#sp-metadata")).isEqualTo(connection.spMetadataUrl());
        assertThat(browser.mainText()).contains("Audience URI (SP Entity ID)", idp.entityId, "Pasted XML",
                "Valid", idp.ssoUrl);

        // The copy buttons show up (the script runs) and put the value on the clipboard.
        grantClipboard();
        browser.find(".copy-value button[data-copy-target=sp-acs]").click();
        browser.waitUntil(d -> browser.text("#sp-acs ~ .copy-status").equals("Copied."));
        assertThat(clipboard()).isEqualTo(connection.acsUrl());
        browser.screenshot("sso-connection");

        // The SP metadata downloads as a file.
        Browser.Fetched metadata = browser.fetch(browser.find("a[download]").getDomAttribute("href"));
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.contentDisposition()).contains("attachment");
        assertThat(metadata.body()).contains(connection.acsUrl());

        // Enforcing SSO asks first and says whom it affects.
        browser.find("input[name=enforceSso]").click();
        browser.clickText("main form.stack", "Save settings");
        browser.waitUntil(d -> browser.title().startsWith("Enforce single sign-on"));
        assertThat(browser.mainText()).contains("The organization has no verified domain yet");
        browser.screenshot("sso-confirm-enforce");
        browser.clickText("main form", "Enforce single sign-on");
        browser.awaitNotice();
        assertThat(browser.text("h1")).contains("SSO enforced");
        assertThat(connections.find(org.id(), connection.id()).enforceSso()).isTrue();

        browser.clickText(".subtabs", "Access and teams");
        browser.waitForPath("/orgs/" + org.slug() + "/manage/sso/connections/" + connection.id() + "/access");
        assertThat(browser.mainText()).contains("Nobody can join through this connection yet",
                "No group is mapped yet");
        browser.screenshot("sso-access-empty");
        browser.open("/orgs/" + org.slug() + "/manage/sso");
        assertThat(browser.text("table.connections")).contains("Okta (test)", "SSO enforced");
        browser.screenshot("sso-overview");

        // On a phone nothing runs off the side.
        browser.resize(375, 812);
        for (String narrow : List.of("", "/connections/" + connection.id(), "/connections/" + connection.id()
                + "/access", "/new")) {
            browser.open("/orgs/" + org.slug() + "/manage/sso" + narrow);
            assertThat(browser.widerThanWindow()).as(browser.path()).isEmpty();
        }
        browser.open("/orgs/" + org.slug() + "/manage/sso/connections/" + connection.id());
        browser.screenshot("sso-connection-narrow");
    }

    @Test
    void aDomainIsClaimedWithTheDnsRecordToAddAndVerified() {
        TestData.Org org = data.org();
        String domain = TestData.unique("corp") + ".test";
        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/manage/sso");
        browser.type("#domain", "not a domain");
        browser.clickText(".domains", "Claim domain");
        browser.waitUntil(d -> browser.exists("#domain-error"));
        assertThat(browser.text("#domain-error")).isEqualTo("Give a domain name such as example.com.");

        browser.type("#domain", domain);
        browser.clickText(".domains", "Claim domain");
        browser.awaitNotice();
        VerifiedDomain claimed = domains.list(org.id()).get(0);
        assertThat(browser.text(".domain h3")).contains(domain, "Not verified");
        assertThat(browser.text("#txt-name-" + claimed.id())).isEqualTo("_roster-verification." + domain);
        assertThat(browser.text("#txt-value-" + claimed.id())).isEqualTo(claimed.txtRecord());
        grantClipboard();
        browser.find("button[data-copy-target=txt-value-" + claimed.id() + "]").click();
        browser.waitUntil(d -> claimed.txtRecord().equals(clipboard()));

        // Nobody published the record, so verifying now says what is missing.
        browser.clickText(".domain", "Verify now");
        browser.waitUntil(d -> browser.exists("p.alert"));
        assertThat(browser.text("p.alert")).contains("_roster-verification." + domain);
        browser.screenshot("sso-domain-pending");

        // The operator vouches for it (sites without public DNS); the page then shows it verified.
        domains.markVerifiedByOperator(org.id(), claimed.id(), SETUP);
        browser.open("/orgs/" + org.slug() + "/manage/sso");
        assertThat(browser.text(".domain h3")).contains(domain, "Verified").doesNotContain("Not verified");
        assertThat(browser.text(".domain")).contains("Verified by the operator");
        assertThat(browser.exists("#txt-name-" + claimed.id())).isFalse();
        browser.screenshot("sso-domain-verified");

        browser.clickText(".domain", "Remove domain");
        browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog.confirm-dialog")));
        assertThat(browser.text("dialog.confirm-dialog")).contains("Remove " + domain + "?",
                "enforced single sign-on stops applying");
        browser.clickText("dialog.confirm-dialog", "Remove domain");
        browser.awaitNotice();
        assertThat(domains.list(org.id())).isEmpty();
    }

    @Test
    void grantsAndMappingsArePreviewedWithThePeopleTheyMoveBeforeTheyApply() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        Team platform = teams.create(sso.org.id(), "Platform", "Runs the build.", SETUP);
        teams.create(sso.org.id(), "Data", null, SETUP);
        // Staff may join: Ada, Grace and Alan sign in with their groups; Linus, a contractor, is refused.
        sso.grant("group", "Staff");
        login(sso, "ada", "Ada", "Lovelace", "Staff", "Engineering");
        login(sso, "grace", "Grace", "Hopper", "Staff", "Engineering", "Admins");
        login(sso, "alan", "Alan", "Turing", "Staff", "Design");
        assertThat(login(sso, "linus", "Linus", "Torvalds", "Contractors").location()).contains("reason=no-grant");
        String page = "/orgs/" + sso.org.slug() + "/manage/sso/connections/" + sso.id() + "/access";
        browser.signIn(sso.org.admin().email(), TestData.PASSWORD);
        browser.open(page);

        // A group grant: the preview names the person refused earlier whom it would let in.
        new Select(browser.find("#grant-kind")).selectByValue("group");
        browser.type("#grant-value", "Contractors");
        browser.clickText("form[aria-labelledby=add-grant-heading]", "Preview");
        browser.waitUntil(d -> browser.exists(".impact"));
        assertThat(browser.text("h1")).isEqualTo("Add the grant for members of the group Contractors?");
        assertThat(browser.text(".impact-summary")).isEqualTo("When they next sign in through "
                + sso.connection.path("name").asText() + ", this change will let 1 person join the organization.");
        assertThat(browser.text(".impact")).contains(sso.email("linus"), "refused");
        assertThat(access.grants(sso.org.id(), UUID.fromString(sso.id()))).hasSize(1);
        browser.screenshot("sso-preview-grant");
        browser.clickText("main form", "Apply: add grant");
        browser.awaitNotice();
        assertThat(browser.text("table.grants")).contains("Contractors", "Staff");
        assertThat(access.grants(sso.org.id(), UUID.fromString(sso.id()))).hasSize(2);

        // A mapping: who joins the team and who becomes an admin, from the groups of their last sign-in.
        browser.type("#mapping-group", "Engineering");
        new Select(browser.find("#mapping-team")).selectByVisibleText("Platform");
        browser.find("input[name=admin]").click();
        browser.clickText("form[aria-labelledby=add-mapping-heading]", "Preview");
        browser.waitUntil(d -> browser.exists(".impact"));
        assertThat(browser.text(".impact-summary")).isEqualTo("When they next sign in through "
                + sso.connection.path("name").asText() + ", this change will add 2 people to Platform and make 2 "
                + "people admins.");
        assertThat(browser.text(".impact")).contains("Ada Lovelace", "Grace Hopper").doesNotContain("Alan Turing");
        assertThat(access.mappings(sso.org.id(), UUID.fromString(sso.id()))).isEmpty();
        browser.screenshot("sso-preview-mapping");

        // Cancel goes back with nothing changed; the preview again, then Apply.
        browser.clickText("main form", "Cancel");
        browser.waitForPath(page);
        assertThat(access.mappings(sso.org.id(), UUID.fromString(sso.id()))).isEmpty();
        browser.type("#mapping-group", "Engineering");
        new Select(browser.find("#mapping-team")).selectByVisibleText("Platform");
        browser.clickText("form[aria-labelledby=add-mapping-heading]", "Preview");
        browser.waitUntil(d -> browser.exists(".impact"));
        assertThat(browser.text(".impact-summary")).endsWith("this change will add 2 people to Platform.");
        browser.clickText("main form", "Apply: map group");
        browser.awaitNotice();
        assertThat(browser.text("table.mappings")).contains("Engineering", "Platform");
        browser.screenshot("sso-access");

        // At their next sign-in Ada joins the team; removing the mapping then previews her leaving.
        login(sso, "ada", "Ada", "Lovelace", "Staff", "Engineering");
        assertThat(teamsOf(sso, "ada")).containsExactly("Platform");
        browser.open(page);
        browser.clickText("table.mappings", "Remove…");
        browser.waitUntil(d -> browser.exists(".impact"));
        assertThat(browser.text(".impact-summary")).endsWith("this change will remove 1 person from Platform.");
        assertThat(browser.text(".impact-block")).contains("Ada Lovelace", "1 person leaves");
        browser.screenshot("sso-preview-remove-mapping");
        browser.clickText("main form", "Cancel");
        browser.waitForPath(page);

        // The team's page shows the group that fills it, with a link to the mapping.
        browser.open("/orgs/" + sso.org.slug() + "/manage/teams/" + platform.id());
        assertThat(browser.text(".mapped-groups")).contains("Engineering", "SSO: "
                + sso.connection.path("name").asText());
        browser.screenshot("team-mapped-groups");
        browser.clickText(".mapped-groups", "Edit");
        browser.waitForPath(page);
        assertThat(access.mappings(sso.org.id(), UUID.fromString(sso.id()))).hasSize(1);
    }

    @Test
    void mappedEntraGroupsReadByTheNamesTheDirectoryProvisionedWithTheirObjectIdsOnHover() {
        // An Entra connection without Graph credentials, in an organization Entra also provisions over SCIM: the
        // directory's groups carry the object ids the groups claim names, as externalId, and their display names.
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of());
        Team platform = teams.create(sso.org.id(), "Platform", null, SETUP);
        TestApi.Response directory = api.post(sso.org.admin().token(), sso.org.api("/scim-directories"),
                Map.of("name", "Entra provisioning", "kind", "entra"));
        assertThat(directory.status()).as(directory.body()).isEqualTo(201);
        String objectId = UUID.randomUUID().toString();
        String name = TestData.unique("Platform engineers");
        TestApi.Response group = api.send(directory.json().path("token").asText(), "POST", "/scim/v2/Groups",
                Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:Group"), "displayName", name,
                        "externalId", objectId), Map.of("Content-Type", "application/scim+json"));
        assertThat(group.status()).as(group.body()).isEqualTo(201);
        String unknown = UUID.randomUUID().toString();
        sso.map(objectId, "Platform", false);
        sso.map(unknown, null, true);
        sso.grant("group", objectId);

        String page = "/orgs/" + sso.org.slug() + "/manage/sso/connections/" + sso.id() + "/access";
        browser.signIn(sso.org.admin().email(), TestData.PASSWORD);
        browser.open(page);
        var named = browser.find("table.mappings tbody tr:has(a[href$='" + platform.id() + "'])");
        assertThat(named.findElement(By.cssSelector(".group-name")).getText()).isEqualTo(name);
        assertThat(named.findElement(By.cssSelector(".group-name")).getDomAttribute("title"))
                .isEqualTo("ID: " + objectId);
        assertThat(named.findElement(By.cssSelector(".group-id")).getText()).isEqualTo(objectId);
        // The group grant names its group the same way.
        assertThat(browser.text("table.grants .group-name")).isEqualTo(name);
        assertThat(browser.find("table.grants .group-name").getDomAttribute("title")).isEqualTo("ID: " + objectId);
        assertThat(browser.text("table.grants .group-id")).isEqualTo(objectId);
        // A group nobody named reads by its id, once.
        var bare = browser.find("table.mappings tbody tr:has(.badge.admin)");
        assertThat(bare.findElement(By.cssSelector(".group-name")).getText()).isEqualTo(unknown);
        assertThat(bare.findElement(By.cssSelector(".group-name")).getDomAttribute("title")).isNull();
        assertThat(bare.findElements(By.cssSelector(".group-id"))).isEmpty();
        browser.resize(390, 844);
        assertThat(browser.widerThanWindow()).isEmpty();
        browser.screenshot("sso-mappings-named-phone");
        browser.resize(Browser.DESKTOP_WIDTH, Browser.DESKTOP_HEIGHT);

        // The team's page and the API name it too.
        browser.open("/orgs/" + sso.org.slug() + "/manage/teams/" + platform.id());
        assertThat(browser.text(".mapped-groups .group-name")).isEqualTo(name);
        assertThat(browser.find(".mapped-groups .group-name").getDomAttribute("title")).isEqualTo(objectId);
        TestApi.Response mappings = api.get(sso.org.admin().token(), sso.org.api("/sso-connections/" + sso.id()
                + "/group-mappings"));
        assertThat(mappings.json().path("items").findValuesAsText("groupDisplayName")).contains(name);
    }

    @Test
    void aTestLoginOpensANewTabAndShowsWhatTheIdentityProviderAssertedWithoutSigningAnyoneIn() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        teams.create(sso.org.id(), "Platform", null, SETUP);
        sso.grant("domain", sso.domain);
        sso.map("Engineering", "Platform", false);
        browser.signIn(sso.org.admin().email(), TestData.PASSWORD);
        String page = "/orgs/" + sso.org.slug() + "/manage/sso/connections/" + sso.id();
        browser.open(page);
        String setupTab = browser.driver().getWindowHandle();

        browser.clickText("main", "Test login");
        browser.waitUntil(d -> d.getWindowHandles().size() == 2);
        List<String> tabs = new ArrayList<>(browser.driver().getWindowHandles());
        tabs.remove(setupTab);
        browser.driver().switchTo().window(tabs.get(0));
        browser.waitUntil(d -> d.getCurrentUrl().startsWith(sso.idp.ssoUrl));
        Map<String, String> query = new SamlBrowser.Page(302, browser.driver().getCurrentUrl(), "").locationQuery();

        // The test IdP answers as Okta would; its auto-submitting form is played by a script on a Roster page.
        TestIdp.Spec spec = TestIdp.okta(sso.spec(), sso.email("ada"), "Ada", "Lovelace", "Engineering", "Everyone");
        spec.inResponseTo = TestIdp.authnRequest(query.get("SAMLRequest")).getID();
        browser.open("/login");
        browser.script("var f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
                + "[['SAMLResponse', arguments[1]], ['RelayState', arguments[2]]].forEach(function (p) {"
                + "var i = document.createElement('input'); i.type = 'hidden'; i.name = p[0]; i.value = p[1];"
                + "f.appendChild(i); }); document.body.appendChild(f); f.submit();",
                sso.acsPath(), sso.idp.response(spec), query.get("RelayState"));
        browser.waitForPath(page + "/tests/");
        assertThat(browser.text("h1")).isEqualTo("Test login");
        assertThat(browser.text(".verdict")).contains("Roster would sign in " + sso.email("ada"),
                "Roster has no account for", "They would join the organization as a member, let in by the grant "
                        + "domain " + sso.domain, "They would join Platform");
        assertThat(browser.mainText()).contains("Nobody was signed in and nothing was changed", "firstName", "Ada",
                "Engineering", "the assertion's groups attribute");
        browser.screenshot("sso-test-login");
        assertThat(members.list(sso.org.id(), new MemberReads.MemberFilter(sso.email("ada"), null, null, null),
                PageQuery.of(0, 5)).items()).isEmpty();

        // The admin is still signed in as themselves.
        browser.open("/orgs/" + sso.org.slug() + "/manage/members");
        assertThat(browser.text(".user-menu summary")).isEqualTo("Hi, Test admin");
        browser.driver().close();
        browser.driver().switchTo().window(setupTab);
    }

    private SamlBrowser.Page login(SsoFixture sso, String local, String first, String last, String... groups) {
        SamlBrowser.Page done = sso.login(new SamlBrowser(api.baseUrl()),
                TestIdp.okta(sso.spec(), sso.email(local), first, last, groups));
        assertThat(done.status()).isEqualTo(302);
        return done;
    }

    private List<String> teamsOf(SsoFixture sso, String local) {
        Member member = members.list(sso.org.id(), new MemberReads.MemberFilter(sso.email(local), null, null, null),
                PageQuery.of(0, 5)).items().get(0);
        return member.teams().stream().map(TeamGrant::teamName).toList();
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
