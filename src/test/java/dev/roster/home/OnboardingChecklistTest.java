package dev.roster.home;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.resource.AccessFixture;
import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;
import dev.roster.test.TestTwoFactor;

/**
 * A new member's first page: the checklist built from their organization's settings, whose items tick themselves,
 * which goes away when everything is done and can be dismissed.
 */
@RosterIntegrationTest
class OnboardingChecklistTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    MutableClock clock;

    @Test
    void theChecklistNamesTheTeamsAndProjectsAndTheOrganizationsGettingStartedPage() {
        AccessFixture fixture = new AccessFixture(api);
        TestData.Org org = data.org();
        TestData.Person member = data.member(org, false);
        UUID team = fixture.team(org, "Platform");
        fixture.addToTeam(org, fixture.membershipId(org, member), team);
        fixture.resource(org, "project", TestData.unique("api"), "team", team);
        fixture.sharedResource(org);
        TestSession session = signedIn(member);

        TestSession.Page first = session.get("/");
        assertThat(first.body()).contains("Get started", "Your teams and projects in " + org.organization().name(),
                "You are in Platform, and reach 2 projects.", "href=\"/orgs/" + org.slug() + "/welcome/teams\"")
                .doesNotContain("getting-started page");

        TestApi.Response set = api.patch(org.admin().token(), org.api(""),
                Map.of("gettingStartedUrl", "https://wiki.example.test/start-here"));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().path("gettingStartedUrl").asText()).isEqualTo("https://wiki.example.test/start-here");
        assertThat(api.patch(org.admin().token(), org.api(""), Map.of("gettingStartedUrl", "javascript:alert(1)"))
                .json().path("errors").has("gettingStartedUrl")).isTrue();
        assertThat(api.patch(org.admin().token(), org.api(""), Map.of("gettingStartedUrl", "http://plain.example"))
                .status()).isEqualTo(400);
        TestSession.Page withGuide = session.get("/");
        assertThat(withGuide.body()).contains("Read " + org.organization().name() + "&#39;s getting-started page",
                "href=\"/orgs/" + org.slug() + "/welcome/guide\"");

        TestSession.Page guide = session.get("/orgs/" + org.slug() + "/welcome/guide");
        assertThat(guide.status()).isEqualTo(302);
        assertThat(guide.location()).isEqualTo("https://wiki.example.test/start-here");
        TestSession.Page teams = session.get("/orgs/" + org.slug() + "/welcome/teams");
        assertThat(teams.location()).endsWith("/orgs/" + org.slug());

        String ticked = session.get("/").body();
        assertThat(ticked).containsPattern("class=\"done\">\\s*<span class=\"badge active\">Done</span>\\s*"
                + "<strong>Your teams and projects in");
        assertThat(ticked).containsPattern("class=\"done\">\\s*<span class=\"badge active\">Done</span>\\s*"
                + "<strong>Read ");
        // Somebody else's progress is their own.
        TestSession other = signedIn(data.member(org, false));
        assertThat(other.get("/").body()).doesNotContainPattern("class=\"done\">\\s*<span class=\"badge active\">"
                + "Done</span>\\s*<strong>Your teams");

        assertThat(api.patch(org.admin().token(), org.api(""), Map.of("gettingStartedUrl", "")).json()
                .hasNonNull("gettingStartedUrl")).as("removed").isFalse();
        assertThat(session.get("/orgs/" + org.slug() + "/welcome/guide").status()).isEqualTo(404);
    }

    @Test
    void everyItemTicksItselfAndTheChecklistGoesWhenAllAreDone() {
        TestData.Org org = data.org();
        TestData.Person member = data.member(org, false);
        TestSession session = signedIn(member);
        assertThat(session.get("/").body()).contains("Get started", "You are in no team yet, and reach 0 projects.");

        session.submit("/account/profile", "/account/profile", Map.of("displayName", "Newcomer"));
        TestTwoFactor.enrol(api, member.token(), clock);
        String almost = session.get("/").body();
        assertThat(almost).contains("Get started");

        session.get("/orgs/" + org.slug() + "/welcome/teams");

        assertThat(session.get("/").body()).doesNotContain("Get started").contains("Welcome, Newcomer");
    }

    @Test
    void theChecklistCanBeDismissed() {
        TestData.Org org = data.org();
        TestData.Person member = data.member(org, false);
        TestSession session = signedIn(member);

        TestSession.Page dismissed = session.submit("/", "/onboarding/dismiss", Map.of());

        assertThat(dismissed.status()).isEqualTo(302);
        assertThat(session.get("/").body()).doesNotContain("Get started").contains(org.organization().name());
        assertThat(signedIn(data.member(org, false)).get("/").body()).as("only for them").contains("Get started");
    }

    @Test
    void twoFactorComesBeforeAnythingElseWhereItIsRequired() {
        TestData.Org org = data.org();
        TestData.Person member = data.member(org, false);
        TestTwoFactor.enrol(api, org.admin().token(), clock);
        TestSession session = signedIn(member);
        assertThat(session.get("/").status()).isEqualTo(200);

        assertThat(api.patch(org.admin().token(), org.api(""), Map.of("requireTwoFactor", true)).status())
                .isEqualTo(200);

        String home = session.get("/").body();
        assertThat(home).contains(org.organization().name() + " requires it, before anything else.");
        assertThat(home.indexOf("Turn on two-factor authentication")).as("first")
                .isLessThan(home.indexOf("Check your profile"));
        assertThat(session.get("/orgs/" + org.slug()).status()).as("nothing else until then").isEqualTo(403);
    }

    private TestSession signedIn(TestData.Person person) {
        TestSession session = new TestSession(api.baseUrl());
        assertThat(session.signIn(person.email(), TestData.PASSWORD).location()).doesNotContain("error");
        return session;
    }
}
