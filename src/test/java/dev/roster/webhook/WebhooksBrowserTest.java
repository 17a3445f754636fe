package dev.roster.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.events.EventType;
import dev.roster.test.BrowserTest;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestData;
import dev.roster.test.TestEvents;
import dev.roster.test.WebhookReceiver;

/**
 * Manage → Webhooks in Chromium, under the strict Content-Security-Policy: an endpoint added with its secret shown
 * once, a test event, a failing delivery with its payload and answer, retried by hand, the secret rotated and the
 * endpoint disabled after confirming.
 */
@RosterIntegrationTest
class WebhooksBrowserTest extends BrowserTest {

    @Autowired
    TestData data;
    @Autowired
    TestEvents events;

    private final WebhookReceiver receiver = new WebhookReceiver();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void anEndpointIsAddedTestedRetriedRotatedAndDisabled() {
        TestData.Org org = data.org();
        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/manage/members");
        browser.clickText(".tabs", "Webhooks");
        browser.waitForPath("/orgs/" + org.slug() + "/manage/webhooks");
        assertThat(browser.mainText()).contains("No endpoint yet.");
        browser.screenshot("webhooks-empty");

        browser.type("#url", "https://169.254.169.254/latest/meta-data");
        browser.clickText("main form.stack", "Add endpoint");
        browser.waitUntil(d -> browser.exists("#url-error"));
        assertThat(browser.text("#url-error")).contains("internal address");

        browser.type("#url", receiver.url());
        browser.type("#events", "member.*, team.created");
        browser.type("#description", "Billing");
        browser.clickText("main form.stack", "Add endpoint");
        browser.waitUntil(d -> browser.exists(".created-secret"));
        String secret = browser.text("#new-webhook-secret");
        assertThat(secret).startsWith("whsec_");
        browser.screenshot("webhooks-endpoint-created");
        String testAction = browser.find("form[action$='/test']").getDomAttribute("action");
        String page = testAction.substring(0, testAction.length() - "/test".length());

        browser.clickText("main", "Send a test event");
        browser.awaitNotice();
        assertThat(receiver.deliveries()).hasSize(1);
        assertThat(receiver.deliveries().get(0).signedWith(secret)).isTrue();
        assertThat(browser.mainText()).doesNotContain(secret);

        receiver.answer(new WebhookReceiver.Answer(500, "{\"error\":\"database down\"}", Map.of()));
        events.publish(org, EventType.MEMBER_ADDED, Map.of("email", "grace@example.test"));
        receiver.awaitCount(2);
        // The receiver holds the second delivery a moment before Roster records its attempt, so the page may be
        // read before the attempt is there: load it again until it shows both.
        browser.open(page);
        browser.waitUntil(d -> browser.findAll("table.deliveries tbody tr").size() == 2
                || browser.open(page).findAll("table.deliveries tbody tr").size() == 2);
        WebElement failed = browser.findAll("table.deliveries tbody tr").get(0);
        assertThat(failed.getText()).contains("member.added", "HTTP 500", "Retried ");
        failed.findElement(By.cssSelector("summary")).click();
        assertThat(browser.text("table.deliveries tbody tr:first-child .diff"))
                .contains("grace@example.test", "database down");
        assertThat(browser.text("section[aria-labelledby=health-heading]")).contains("failing");
        browser.screenshot("webhooks-failing-delivery");

        browser.click("table.deliveries tbody tr:first-child .row-actions button");
        assertThat(browser.awaitNotice()).contains("delivered again");
        assertThat(receiver.events()).hasSize(2);
        assertThat(browser.text("section[aria-labelledby=health-heading]")).contains("healthy");

        browser.clickText("section[aria-labelledby=health-heading]", "Make a new secret");
        browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog.confirm-dialog")));
        browser.screenshotWindow("webhooks-rotate-dialog");
        browser.clickText("dialog.confirm-dialog", "Make a new secret");
        browser.waitUntil(d -> browser.exists(".created-secret"));
        String rotated = browser.text("#new-webhook-secret");
        assertThat(rotated).startsWith("whsec_").isNotEqualTo(secret);
        assertThat(browser.text("section[aria-labelledby=health-heading]")).contains("Old secret signs until");

        browser.open(page);
        browser.clickText("section[aria-labelledby=health-heading]", "Disable");
        browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog.confirm-dialog")));
        browser.clickText("dialog.confirm-dialog", "Disable");
        browser.awaitNotice();
        assertThat(browser.text("section[aria-labelledby=health-heading]")).contains("disabled");
        browser.clickText("section[aria-labelledby=health-heading]", "Enable");
        browser.awaitNotice();

        browser.clickText(".back", "← All endpoints");
        browser.waitForPath("/orgs/" + org.slug() + "/manage/webhooks");
        List<WebElement> rows = browser.findAll("table.webhooks tbody tr");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getText()).contains(receiver.url(), "member.*, team.created", "Billing", "healthy");
        browser.screenshot("webhooks");
    }
}
