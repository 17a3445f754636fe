package dev.roster.invitation;

import static dev.roster.invitation.InvitationFixtures.inviteOne;
import static dev.roster.invitation.InvitationFixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.account.Account;
import dev.roster.account.AccountService;
import dev.roster.membership.MemberReads;
import dev.roster.membership.TeamGrant;
import dev.roster.membership.TeamService;
import dev.roster.organization.OrganizationService;
import dev.roster.organization.OrganizationSettings;
import dev.roster.shared.Actor;
import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;

/** Accepting an invitation in a browser session: cookies, CSRF and the sign-in round trip, over real HTTP. */
@RosterIntegrationTest
class InvitationPageTest {

    private static final Actor SETUP = Actor.system("test setup");

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    TeamService teams;
    @Autowired
    MemberReads members;
    @Autowired
    AccountService accounts;
    @Autowired
    MutableClock clock;
    @Autowired
    OrganizationService organizations;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aNewPersonCreatesTheirAccountAndIsSignedIn() {
        TestData.Org org = data.org();
        teams.create(org.id(), "Platform", null, SETUP);
        String email = TestData.uniqueEmail("browser");
        inviteOne(api, org, email, List.of("Platform"), false);
        String page = "/invitations/accept?token=" + token(email, 1);
        TestSession session = new TestSession(api.baseUrl());

        TestSession.Page shown = session.get(page);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body()).contains(org.organization().name(), "Test admin", "Platform", email,
                "Create account and join");

        TestSession.Page created = session.submit(page, "/invitations/accept", Map.of("token", token(email, 1),
                "displayName", "Browser Person", "password", TestData.PASSWORD,
                "passwordConfirmation", TestData.PASSWORD));

        assertThat(created.status()).isEqualTo(302);
        assertThat(created.location()).endsWith("/");
        Account account = accounts.findByEmail(email).orElseThrow();
        assertThat(account.displayName()).isEqualTo("Browser Person");
        assertThat(members.member(org.id(), members.findByAccount(org.id(), account.id()).orElseThrow().id())
                .orElseThrow().teams()).extracting(TeamGrant::teamName).containsExactly("Platform");
        // A page that needs a full sign-in is reached without being sent to the sign-in page.
        TestSession.Page signedInOnly = session.get("/account/invitations/accept?token=x");
        assertThat(signedInOnly.status()).isEqualTo(302);
        assertThat(signedInOnly.location()).contains("/invitations/accept?token=x").doesNotContain("/login");
        TestSession.Page used = session.get(page);
        assertThat(used.status()).isEqualTo(410);
        assertThat(used.body()).contains("already been used", "Hi, Browser Person");
        assertThat(new TestSession(api.baseUrl()).get("/account/invitations/accept?token=x").location())
                .contains("/login");
    }

    @Test
    void aNewPersonJoiningAnOrganizationThatRequiresTwoFactorIsSentToEnrol() {
        TestData.Org org = data.org();
        String email = TestData.uniqueEmail("strict");
        inviteOne(api, org, email, List.of(), false);
        String token = token(email, 1);
        organizations.updateSettings(org.id(), new OrganizationSettings(null, true), SETUP);
        TestSession session = new TestSession(api.baseUrl());

        TestSession.Page created = session.submit("/invitations/accept?token=" + token, "/invitations/accept",
                Map.of("token", token, "displayName", "Strict Person", "password", TestData.PASSWORD,
                        "passwordConfirmation", TestData.PASSWORD));

        assertThat(created.status()).isEqualTo(302);
        assertThat(created.location()).endsWith("/account/two-factor?required");
        // Signed in only as far as enrolment: pages that need a full sign-in lead back to enrolment.
        TestSession.Page closed = session.get("/account/invitations/accept?token=x");
        assertThat(closed.status()).isEqualTo(302);
        assertThat(closed.location()).endsWith("/account/two-factor?required");
    }

    @Test
    void mismatchedPasswordsAreShownNextToTheFieldAndCreateNothing() {
        TestData.Org org = data.org();
        String email = TestData.uniqueEmail("typo");
        inviteOne(api, org, email, List.of(), false);
        String token = token(email, 1);
        String page = "/invitations/accept?token=" + token;
        TestSession session = new TestSession(api.baseUrl());

        TestSession.Page mismatch = session.submit(page, "/invitations/accept", Map.of("token", token,
                "displayName", "Typo Person", "password", TestData.PASSWORD, "passwordConfirmation", "something else"));
        TestSession.Page tooShort = session.submit(page, "/invitations/accept", Map.of("token", token,
                "displayName", "Typo Person", "password", "short", "passwordConfirmation", "short"));

        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.body()).contains("The two passwords are not the same.", "value=\"Typo Person\"")
                .doesNotContain(TestData.PASSWORD);
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.body()).contains("at least 10 characters");
        assertThat(accounts.findByEmail(email)).isEmpty();
    }

    @Test
    void anExistingAccountSignsInAndComesBackToAccept() {
        TestData.Org org = data.org();
        TestData.Person invitee = data.person("returning");
        inviteOne(api, org, invitee.email(), List.of(), true);
        String page = "/invitations/accept?token=" + token(invitee.email(), 1);
        TestSession session = new TestSession(api.baseUrl());

        TestSession.Page anonymous = session.get(page);
        assertThat(anonymous.body()).contains("Sign in to accept", "/account/invitations/accept?token=")
                .doesNotContain("Create account");
        TestSession.Page toSignIn = session.get("/account/invitations/accept?token=" + token(invitee.email(), 1));
        assertThat(toSignIn.status()).isEqualTo(302);
        assertThat(toSignIn.location()).endsWith("/login");

        TestSession.Page signedIn = session.signIn(invitee.email(), TestData.PASSWORD);
        assertThat(signedIn.location()).contains("/account/invitations/accept?token=");
        TestSession.Page back = session.get(signedIn.location().replaceFirst("^https?://[^/]+", ""));
        assertThat(back.status()).isEqualTo(302);
        assertThat(back.location()).contains(page);
        TestSession.Page ready = session.get(page);
        assertThat(ready.body()).contains("Accept and join");

        TestSession.Page accepted = session.submit(page, "/account/invitations/accept",
                Map.of("token", token(invitee.email(), 1)));

        assertThat(accepted.status()).isEqualTo(302);
        assertThat(accepted.location()).endsWith("/");
        assertThat(members.findByAccount(org.id(), invitee.id())).hasValueSatisfying(m -> assertThat(m.admin()).isTrue());
    }

    @Test
    void someoneSignedInAsAnotherAccountIsToldSoAndCannotAccept() {
        TestData.Org org = data.org();
        TestData.Person invitee = data.person("invitee");
        TestData.Person other = data.person("other");
        inviteOne(api, org, invitee.email(), List.of(), false);
        String token = token(invitee.email(), 1);
        String page = "/invitations/accept?token=" + token;
        TestSession session = new TestSession(api.baseUrl());
        session.signIn(other.email(), TestData.PASSWORD);

        TestSession.Page shown = session.get(page);
        assertThat(shown.body()).contains("you are signed in as", other.email()).doesNotContain("Accept and join");

        TestSession.Page refused = session.submit(page, "/account/invitations/accept", Map.of("token", token));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("This invitation is for " + invitee.email());
        assertThat(members.findByAccount(org.id(), other.id())).isEmpty();
    }

    @Test
    void deadLinksShowAClearPage() {
        TestData.Org org = data.org();
        String email = TestData.uniqueEmail("dead");
        inviteOne(api, org, email, List.of(), false);
        String token = token(email, 1);
        TestSession session = new TestSession(api.baseUrl());

        TestSession.Page unknown = session.get("/invitations/accept?token=inv_made-up");
        TestSession.Page missing = session.get("/invitations/accept");
        clock.advance(Duration.ofDays(8));
        TestSession.Page expired = session.get("/invitations/accept?token=" + token);

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("This invitation link is not valid").doesNotContain("Exception");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(expired.status()).isEqualTo(410);
        assertThat(expired.body()).contains("This invitation can no longer be used", "expired on",
                org.organization().name()).doesNotContain("Exception");
    }
}
