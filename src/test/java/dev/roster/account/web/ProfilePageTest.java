package dev.roster.account.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.StrictCsp;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;
import dev.roster.test.TestSession;

@RosterIntegrationTest
class ProfilePageTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;

    @Test
    void showsAndSavesTheDisplayName() {
        TestData.Person person = data.person("profile");
        TestSession browser = signedIn(person);

        TestSession.Page page = browser.get("/account/profile");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains(person.email()).contains("value=\"Test profile\"");
        StrictCsp.assertRespectedBy(page.body());

        TestSession.Page saved = browser.submit("/account/profile", "/account/profile",
                Map.of("displayName", "Grace Hopper"));

        assertThat(saved.status()).isEqualTo(302);
        assertThat(saved.location()).endsWith("/account/profile");
        assertThat(browser.get("/account/profile").body()).contains("Your name is saved.")
                .contains("value=\"Grace Hopper\"");
        assertThat(api.get(person.token(), "/api/v1/me").json().path("displayName").asText())
                .isEqualTo("Grace Hopper");
        assertThat(api.get(person.token(), "/api/v1/me/audit-events?action=account.profile-changed").json()
                .path("items").get(0).path("channel").asText()).isEqualTo("UI");
    }

    @Test
    void aBlankNameIsShownAsAnErrorNextToTheField() {
        TestData.Person person = data.person("blank");
        TestSession browser = signedIn(person);

        TestSession.Page refused = browser.submit("/account/profile", "/account/profile", Map.of("displayName", " "));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("class=\"field-error\">A name is required.");
        assertThat(api.get(person.token(), "/api/v1/me").json().path("displayName").asText()).isEqualTo("Test blank");
    }

    @Test
    void changesThePassword() {
        TestData.Person person = data.person("ui-password");
        TestSession browser = signedIn(person);
        String next = "another long passphrase";

        TestSession.Page mismatch = browser.submit("/account/profile", "/account/password", Map.of(
                "currentPassword", TestData.PASSWORD, "newPassword", next, "confirmPassword", next + "!"));
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.body()).contains("The two new passwords are not the same.");
        TestSession.Page wrongCurrent = browser.submit("/account/profile", "/account/password", Map.of(
                "currentPassword", "not it at all", "newPassword", next, "confirmPassword", next));
        assertThat(wrongCurrent.status()).isEqualTo(400);
        assertThat(wrongCurrent.body()).contains("The current password is not right.");

        TestSession.Page changed = browser.submit("/account/profile", "/account/password", Map.of(
                "currentPassword", TestData.PASSWORD, "newPassword", next, "confirmPassword", next));

        assertThat(changed.status()).isEqualTo(302);
        assertThat(changed.location()).endsWith("/account/profile");
        assertThat(browser.get("/account/profile").body()).contains("Your password is changed.");
        assertThat(TestMailbox.await(person.email(), 1).get(0).subject()).isEqualTo("Your Roster password was changed");
        assertThat(new TestSession(api.baseUrl()).signIn(person.email(), next).location()).doesNotContain("error");
        assertThat(new TestSession(api.baseUrl()).signIn(person.email(), TestData.PASSWORD).location())
                .endsWith("/login?error");
    }

    @Test
    void aNewPasswordEndsThePersonsOtherSessionsButNotTheOneItWasChangedIn() {
        TestData.Person person = data.person("other-sessions");
        TestData.Person bystander = data.person("bystander");
        TestSession laptop = signedIn(person);
        TestSession phone = signedIn(person);
        TestSession someoneElse = signedIn(bystander);
        String next = "a passphrase nobody else knows";

        laptop.submit("/account/profile", "/account/password", Map.of(
                "currentPassword", TestData.PASSWORD, "newPassword", next, "confirmPassword", next));

        assertThat(laptop.get("/account/profile").body()).contains("You are signed out everywhere else.");
        TestSession.Page onThePhone = phone.get("/account/profile");
        assertThat(onThePhone.status()).isEqualTo(302);
        assertThat(onThePhone.location()).endsWith("/login");
        assertThat(someoneElse.get("/account/profile").status()).isEqualTo(200);
        assertThat(api.get(person.token(), "/api/v1/me").status()).as("API tokens stay").isEqualTo(200);
    }

    @Test
    void aNewPasswordSetThroughTheApiEndsEveryBrowserSession() {
        TestData.Person person = data.person("api-password-sessions");
        TestSession laptop = signedIn(person);
        String next = "set from a script, quite long";

        TestApi.Response changed = api.post(person.token(), "/api/v1/me/password",
                Map.of("currentPassword", TestData.PASSWORD, "newPassword", next));

        assertThat(changed.status()).as(changed.body()).isEqualTo(204);
        TestSession.Page ended = laptop.get("/account/profile");
        assertThat(ended.status()).isEqualTo(302);
        assertThat(ended.location()).endsWith("/login");
    }

    @Test
    void needsASignedInSession() {
        TestSession.Page page = new TestSession(api.baseUrl()).get("/account/profile");

        assertThat(page.status()).isEqualTo(302);
        assertThat(page.location()).endsWith("/login");
    }

    @Test
    void formsWithoutTheCsrfTokenAreRefused() {
        TestData.Person person = data.person("csrf");
        TestSession browser = signedIn(person);

        TestSession.Page forged = browser.submit("/css/roster.css", "/account/profile", Map.of("displayName", "Forged"));

        assertThat(forged.status()).isEqualTo(403);
        assertThat(api.get(person.token(), "/api/v1/me").json().path("displayName").asText()).isEqualTo("Test csrf");
    }

    private TestSession signedIn(TestData.Person person) {
        TestSession browser = new TestSession(api.baseUrl());
        assertThat(browser.signIn(person.email(), TestData.PASSWORD).location()).doesNotContain("error");
        return browser;
    }
}
