package dev.roster.resource.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.resource.AccessFixture;
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
}
