package dev.roster.home;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;

/**
 * Every create form answers with a redirect to a page, never a page at its POST address, so a refresh (or the back
 * button) cannot create a second directory, token or endpoint. A secret shown once is on the page after the redirect,
 * and gone when that page is loaded again.
 */
@RosterIntegrationTest
class PostRedirectGetTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;

    TestData.Org org;
    TestSession admin;
    String manage;

    @BeforeEach
    void signedInAdmin() {
        org = data.org();
        admin = new TestSession(api.baseUrl());
        assertThat(admin.signIn(org.admin().email(), TestData.PASSWORD).location()).doesNotContain("error");
        manage = "/orgs/" + org.slug() + "/manage";
    }

    @Test
    void creatingAScimDirectoryRedirectsToItsPageWhichShowsTheTokenOnce() {
        TestSession.Page posted = admin.submit(manage + "/provisioning", manage + "/provisioning/directories",
                Map.of("name", "Entra", "kind", "entra"));

        String directory = redirectedTo(posted);
        assertThat(directory).startsWith(manage + "/provisioning/directories/");
        TestSession.Page shown = admin.get(directory);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body()).contains("scim_", "shown only this once");
        TestSession.Page again = admin.get(directory);
        assertThat(again.body()).doesNotContain("shown only this once");
        assertThat(api.get(org.admin().token(), org.api("/scim-directories")).json().path("items").size())
                .isEqualTo(1);

        TestSession.Page issued = admin.submit(directory, directory + "/tokens", Map.of());
        assertThat(redirectedTo(issued)).startsWith(directory);
        assertThat(admin.get(directory).body()).contains("A new token is issued");
    }

    @Test
    void creatingAnApiTokenRedirectsToTheListWhichShowsTheSecretOnce() {
        TestSession.Page posted = admin.submit("/account/tokens", "/account/tokens",
                Map.of("name", "deploy", "expiresInDays", "30"));

        assertThat(redirectedTo(posted)).isEqualTo("/account/tokens");
        assertThat(admin.get("/account/tokens").body()).contains("roster_pat_");
        assertThat(admin.get("/account/tokens").body()).doesNotContain("roster_pat_");
    }

    @Test
    void addingAWebhookEndpointRedirectsToItsPageWhichShowsTheSecretOnce() {
        TestSession.Page posted = admin.submit(manage + "/webhooks", manage + "/webhooks",
                Map.of("url", "http://localhost:9/hook", "events", "*", "description", "prg"));

        String endpoint = redirectedTo(posted);
        assertThat(endpoint).startsWith(manage + "/webhooks/");
        assertThat(admin.get(endpoint).body()).contains("whsec_");
        assertThat(admin.get(endpoint).body()).doesNotContain("whsec_");

        TestSession.Page rotated = admin.submit(endpoint, endpoint + "/rotate-secret", Map.of("confirmed", "yes"));
        assertThat(redirectedTo(rotated)).isEqualTo(endpoint);
        assertThat(admin.get(endpoint).body()).contains("whsec_", "A new signing secret");
    }

    @Test
    void invitingRedirectsToTheListWithEachAddressesResult() {
        String email = TestData.uniqueEmail("prg");
        TestSession.Page posted = admin.submit(manage + "/invitations", manage + "/invitations",
                Map.of("emails", email + "\nnot-an-address"));

        assertThat(redirectedTo(posted)).isEqualTo(manage + "/invitations");
        TestSession.Page list = admin.get(manage + "/invitations");
        assertThat(list.body()).contains(email, "Invited", "Not an email address");
        assertThat(admin.get(manage + "/invitations").body()).doesNotContain("Not an email address");
        assertThat(api.get(org.admin().token(), org.api("/invitations?status=pending")).json().path("total").asLong())
                .isEqualTo(1);
    }

    private String redirectedTo(TestSession.Page page) {
        assertThat(page.status()).as(page.body()).isIn(302, 303);
        String location = page.location();
        return location.startsWith(api.baseUrl()) ? location.substring(api.baseUrl().length()) : location;
    }
}
