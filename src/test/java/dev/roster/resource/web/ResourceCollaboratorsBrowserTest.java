package dev.roster.resource.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.account.AccountService;
import dev.roster.resource.AccessFixture;
import dev.roster.shared.Actor;
import dev.roster.test.TestApi;
import dev.roster.test.BrowserTest;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestData;

/**
 * A resource's page in Chromium: an admin adds a member as a collaborator with the picker, is told to invite an
 * address that is no member, changes the role, and removes the collaborator after confirming; the collaborator, made
 * an owner, finds the resource on the overview and manages it from the same page.
 */
@RosterIntegrationTest
class ResourceCollaboratorsBrowserTest extends BrowserTest {

    @Autowired
    TestData data;

    @Autowired
    AccountService accounts;

    @Test
    void anAdminAndThenAnOwnerCollaboratorManageTheCollaborators() {
        AccessFixture fixture = new AccessFixture(api);
        TestData.Org org = data.org();
        TestData.Person ada = data.member(org, false);
        TestData.Person bob = data.member(org, false);
        UUID team = fixture.team(org, "Platform");
        UUID project = fixture.resource(org, "project", "billing-api", "team", team);

        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/manage/teams/" + team + "/resources");
        browser.clickText("table.resources", "billing-api");
        browser.waitForPath("/orgs/" + org.slug() + "/resources/" + project);
        assertThat(browser.text("h1")).isEqualTo("billing-api");
        assertThat(browser.mainText()).contains("No collaborators yet");

        new Select(browser.find("#member")).selectByVisibleText("Test member <" + ada.email() + ">");
        new Select(browser.find("#role")).selectByValue("editor");
        browser.clickText("main form.stack", "Add collaborator");
        assertThat(browser.awaitNotice()).isEqualTo(ada.email() + " is now an editor of this resource.");
        assertThat(browser.text("table.collaborators")).contains(ada.email());
        browser.screenshot("resource-collaborators");

        // An address that belongs to no member: the answer says to invite them first, next to the field.
        browser.type("#email", "nobody@example.test");
        browser.clickText("main form.stack", "Add collaborator");
        browser.waitUntil(d -> browser.exists("#email-error"));
        assertThat(browser.text("#email-error")).contains("invite them first");
        assertThat(browser.find("#email").getDomProperty("value")).isEqualTo("nobody@example.test");
        // An admin may invite them instead: the place waits for the invitation.
        browser.click("#invite");
        browser.clickText("main form.stack", "Add collaborator");
        assertThat(browser.awaitNotice()).contains("An invitation to join", "is on its way to nobody@example.test",
                "they become a viewer of this resource when they accept");
        assertThat(browser.text("ul.invited")).contains("nobody@example.test", "viewer");

        new Select(browser.find("#role-0")).selectByValue("owner");
        browser.clickText("table.collaborators", "Change");
        assertThat(browser.awaitNotice()).isEqualTo(ada.email() + " is now an owner.");

        // Ada, now an owner, reaches it from the overview and adds Bob herself.
        browser.signOut();
        browser.signIn(ada.email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug());
        assertThat(browser.mainText()).contains("collaborator (owner)");
        browser.clickText("main table", "billing-api");
        browser.waitForPath("/orgs/" + org.slug() + "/resources/" + project);
        assertThat(browser.text("dl.facts")).contains("collaborator (owner)");
        browser.type("#email", bob.email());
        new Select(browser.find("#role")).selectByValue("viewer");
        browser.clickText("main form.stack", "Add collaborator");
        assertThat(browser.awaitNotice()).isEqualTo(bob.email() + " is now a viewer of this resource.");

        // Removing asks first.
        int bobRow = bob.email().compareTo(ada.email()) < 0 ? 0 : 1;
        browser.click(browser.findAll("table.collaborators tbody tr").get(bobRow)
                .findElement(By.xpath(".//button[normalize-space()='Remove']")));
        browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog.confirm-dialog")));
        assertThat(browser.text("dialog.confirm-dialog")).contains(bob.email() + " will no longer reach billing-api");
        browser.clickText("dialog.confirm-dialog", "Remove");
        assertThat(browser.awaitNotice()).isEqualTo("The collaborator is removed.");
        assertThat(browser.text("table.collaborators")).doesNotContain(bob.email());

        // Bob, no longer a collaborator and in no team, does not even learn the resource exists.
        browser.signOut();
        browser.signIn(bob.email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/resources/" + project);
        assertThat(browser.mainText()).doesNotContain("billing-api");
        assertThat(browser.exists("#member")).isFalse();
    }

    @Test
    void aMaintainerFindsMembersByNameAsTheyTypeAndNeverSeesTheirAddresses() {
        AccessFixture fixture = new AccessFixture(api);
        TestData.Org org = data.org();
        TestData.Person maintainer = data.member(org, false);
        TestData.Person grace = data.member(org, false);
        TestData.Person ada = data.member(org, false);
        TestData.Person other = data.member(org, false);
        accounts.updateProfile(grace.id(), "Grace Hopper", Actor.system("test"));
        accounts.updateProfile(ada.id(), "Ada Lovelace", Actor.system("test"));
        UUID team = fixture.team(org, "Platform");
        UUID project = fixture.resource(org, "project", "billing-api", "team", team);
        TestApi.Response made = api.put(org.admin().token(), org.api("/members/"
                + data.join(org, maintainer, false).id() + "/teams/" + team), Map.of("role", "maintainer"));
        assertThat(made.status()).as(made.body()).isEqualTo(200);

        browser.signIn(maintainer.email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/resources/" + project);
        assertThat(browser.text("h1")).isEqualTo("billing-api");
        // A maintainer may not read the member list: the picker names people and shows no address.
        String page = browser.driver().getPageSource();
        assertThat(page).contains("Grace Hopper", "Ada Lovelace")
                .doesNotContain(grace.email(), ada.email(), other.email());
        assertThat(browser.find("#member-query").getDomAttribute("placeholder")).isEqualTo("Part of a name");

        // Typing narrows the list as they type (htmx), by name only: part of an address finds nobody.
        browser.find("#member-query").sendKeys("grac");
        browser.waitUntil(d -> optionTexts().equals(List.of("Choose a member…", "Grace Hopper")));
        browser.type("#member-query", grace.email().substring(0, grace.email().indexOf('@')));
        browser.waitUntil(d -> optionTexts().equals(List.of("No member matches")));
        assertThat(browser.driver().getPageSource()).doesNotContain(grace.email());

        // Keyboard only: back to the name, Tab to the list, arrow down to Grace, then on to the button.
        WebElement search = browser.find("#member-query");
        search.clear();
        search.sendKeys("hopper");
        browser.waitUntil(d -> optionTexts().contains("Grace Hopper"));
        WebElement member = browser.find("#member");
        member.sendKeys(Keys.ARROW_DOWN);
        assertThat(new Select(browser.find("#member")).getFirstSelectedOption().getText()).isEqualTo("Grace Hopper");
        // The choice survives another search that would not list it.
        search.sendKeys(Keys.BACK_SPACE);
        browser.waitUntil(d -> optionTexts().contains("Grace Hopper") && new Select(browser.find("#member"))
                .getFirstSelectedOption().getText().equals("Grace Hopper"));
        browser.clickText("main form.stack", "Add collaborator");
        assertThat(browser.awaitNotice()).endsWith("is now a viewer of this resource.");
        assertThat(browser.text("table.collaborators")).contains(grace.email());

        // The search answers only those who manage the resource's collaborators.
        browser.signOut();
        browser.signIn(other.email(), TestData.PASSWORD);
        assertThat(browser.fetch("/orgs/" + org.slug() + "/resources/" + project + "/member-choices?memberQuery=a")
                .status()).isEqualTo(404);
    }

    private List<String> optionTexts() {
        return browser.findAll("#member option").stream().map(WebElement::getText).map(String::trim).toList();
    }
}
