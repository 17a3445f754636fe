package dev.roster.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.GrantSource;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipStatus;
import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.StrictCsp;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;

/**
 * The rules of the management pages over plain HTTP (so they hold on machines without a browser too): admins only,
 * signed in, CSRF, one organization's ids never reach another's, and nothing destructive without confirmation.
 */
@RosterIntegrationTest
class ManagePagesSecurityTest {

    private static final Actor SETUP = Actor.system("test setup");

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    TeamService teams;
    @Autowired
    MemberReads directory;
    @Autowired
    MembershipService memberships;

    @Test
    void everyPageIsForAdminsOnlyAndRendersUnderTheStrictPolicy() {
        TestData.Org org = data.org();
        TestData.Person member = data.member(org, false);
        Team team = teams.create(org.id(), "Platform", null, SETUP);
        String base = "/orgs/" + org.slug() + "/manage";
        List<String> pages = List.of(base + "/invitations", base + "/members",
                base + "/members/" + membership(org, member).id(), base + "/teams", base + "/teams/" + team.id(),
                base + "/teams/" + team.id() + "/resources", base + "/teams/" + team.id() + "/delete",
                base + "/audit", base + "/audit.csv");
        TestSession admin = signedIn(org.admin());
        TestSession plainMember = signedIn(member);
        TestSession anonymous = new TestSession(api.baseUrl());

        for (String page : pages) {
            TestSession.Page shown = admin.get(page);
            assertThat(shown.status()).as(page).isEqualTo(200);
            StrictCsp.assertRespectedBy(shown.body());
            TestSession.Page refused = plainMember.get(page);
            assertThat(refused.status()).as(page).isEqualTo(403);
            assertThat(refused.body()).as(page).contains("Only admins of this organization can do this.");
            assertThat(anonymous.get(page).location()).as(page).endsWith("/login");
        }
        assertThat(admin.get(base).location()).endsWith(base + "/members");
    }

    @Test
    void aMemberCannotChangeAnythingThroughTheForms() {
        TestData.Org org = data.org();
        TestData.Person member = data.member(org, false);
        TestSession plainMember = signedIn(member);

        TestSession.Page promoted = plainMember.submit("/", "/orgs/" + org.slug() + "/manage/members/"
                + membership(org, member).id() + "/admin", Map.of("admin", "true", "confirmed", "yes"));
        TestSession.Page removed = plainMember.submit("/", "/orgs/" + org.slug() + "/manage/members/"
                + org.adminMembership().id() + "/remove", Map.of("confirmed", "yes"));

        assertThat(promoted.status()).isEqualTo(403);
        assertThat(removed.status()).isEqualTo(403);
        assertThat(membership(org, member).admin()).isFalse();
        assertThat(membership(org, org.admin()).status()).isEqualTo(MembershipStatus.ACTIVE);
    }

    @Test
    void formsWithoutTheCsrfTokenAreRefused() {
        TestData.Org org = data.org();
        TestData.Person member = data.member(org, false);
        TestSession admin = signedIn(org.admin());

        // The style sheet carries no token, so the request goes without one, as a forged cross-site form would.
        TestSession.Page refused = admin.send("POST", "/orgs/" + org.slug() + "/manage/members/"
                + membership(org, member).id() + "/remove?confirmed=yes", "/css/roster.css");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(membership(org, member).status()).isEqualTo(MembershipStatus.ACTIVE);
    }

    @Test
    void anotherOrganizationsMembersAndTeamsAreNotFoundThroughThisOne() {
        TestData.Org mine = data.org();
        TestData.Org theirs = data.org();
        TestData.Person stranger = data.member(theirs, false);
        Team theirTeam = teams.create(theirs.id(), "Secret", null, SETUP);
        TestSession admin = signedIn(mine.admin());
        String base = "/orgs/" + mine.slug() + "/manage";

        assertThat(admin.get(base + "/members/" + membership(theirs, stranger).id()).status()).isEqualTo(404);
        assertThat(admin.get(base + "/teams/" + theirTeam.id()).status()).isEqualTo(404);
        TestSession.Page removed = admin.submit(base + "/members", base + "/members/"
                + membership(theirs, stranger).id() + "/remove", Map.of("confirmed", "yes"));
        TestSession.Page deleted = admin.submit(base + "/teams", base + "/teams/" + theirTeam.id() + "/delete",
                Map.of());

        assertThat(removed.status()).isEqualTo(404);
        assertThat(deleted.status()).isEqualTo(404);
        assertThat(membership(theirs, stranger).status()).isEqualTo(MembershipStatus.ACTIVE);
        assertThat(teams.findByName(theirs.id(), "Secret")).isPresent();
    }

    /**
     * "Keep as admin" adds this organization's own grant to someone its identity provider makes an admin, so they stay
     * one when the identity provider stops: it must not reach anyone another organization's admin can name, nor be
     * forged cross-site, nor be done by a member who is no admin.
     */
    @Test
    void onlyThisOrganizationsAdminsKeepItsDirectoryAdminsAsAdmins() {
        TestData.Org mine = data.org();
        TestData.Org theirs = data.org();
        TestData.Person ida = data.member(mine, false);
        UUID idaId = membership(mine, ida).id();
        memberships.grantAdmin(mine.id(), idaId, GrantSource.SCIM, Actor.directory("test scim", Channel.SCIM));
        TestData.Person plain = data.member(mine, false);
        Map<String, String> keep = Map.of("admin", "true", "keep", "yes", "confirmed", "yes");

        // Another organization's admin, through their own organization's pages and through this one's.
        TestSession stranger = signedIn(theirs.admin());
        String theirBase = "/orgs/" + theirs.slug() + "/manage/members";
        TestSession.Page viaTheirs = stranger.submit(theirBase, theirBase + "/" + idaId + "/admin", keep);
        TestSession.Page viaMine = stranger.submit(theirBase, "/orgs/" + mine.slug() + "/manage/members/" + idaId
                + "/admin", keep);
        // A member here who is no admin, and a forged form without the CSRF token from this organization's admin.
        TestSession.Page byMember = signedIn(plain).submit("/", "/orgs/" + mine.slug() + "/manage/members/" + idaId
                + "/admin", keep);
        TestSession.Page forged = signedIn(mine.admin()).send("POST", "/orgs/" + mine.slug() + "/manage/members/"
                + idaId + "/admin?admin=true&keep=yes&confirmed=yes", "/css/roster.css");

        assertThat(viaTheirs.status()).isEqualTo(404);
        assertThat(viaMine.status()).isEqualTo(404);
        assertThat(byMember.status()).isEqualTo(403);
        assertThat(forged.status()).isEqualTo(403);
        assertThat(directory.adminGrantedBy(mine.id(), GrantSource.MANUAL, List.of(idaId))).isEmpty();
        assertThat(directory.adminGrantedBy(theirs.id(), GrantSource.MANUAL, List.of(idaId))).isEmpty();
        assertThat(directory.member(mine.id(), idaId).orElseThrow().adminSources())
                .containsExactly(GrantSource.SCIM);
    }

    @Test
    void destructiveFormsAskOnAPageOfTheirOwnUntilConfirmed() {
        TestData.Org org = data.org();
        TestData.Person member = data.member(org, false);
        TestSession admin = signedIn(org.admin());
        String page = "/orgs/" + org.slug() + "/manage/members/" + membership(org, member).id();

        TestSession.Page asked = admin.submit(page, page + "/remove", Map.of());

        assertThat(asked.status()).isEqualTo(200);
        StrictCsp.assertRespectedBy(asked.body());
        assertThat(asked.body()).contains("Remove Test member from " + org.organization().name() + "?",
                "name=\"confirmed\" value=\"yes\"");
        assertThat(membership(org, member).status()).isEqualTo(MembershipStatus.ACTIVE);

        TestSession.Page done = admin.submit(page, page + "/remove", Map.of("confirmed", "yes"));
        assertThat(done.status()).isEqualTo(302);
        assertThat(membership(org, member).status()).isEqualTo(MembershipStatus.REMOVED);
    }

    @Test
    void htmxIsServedFromTheWebjarToEveryone() {
        TestSession anonymous = new TestSession(api.baseUrl());

        TestSession.Page script = anonymous.get("/webjars/htmx.org/dist/htmx.min.js");

        assertThat(script.status()).isEqualTo(200);
        assertThat(script.body()).contains("htmx");
        // Pages name the webjar without its version; Spring writes the versioned path of the jar on the classpath.
        assertThat(anonymous.get("/login").body()).containsPattern("src=\"/webjars/htmx\\.org/[0-9.]+/dist/htmx\\.min\\.js\"")
                .contains("src=\"/js/roster.js\"");
    }

    private TestSession signedIn(TestData.Person person) {
        TestSession session = new TestSession(api.baseUrl());
        assertThat(session.signIn(person.email(), TestData.PASSWORD).location()).doesNotContain("error");
        return session;
    }

    private Membership membership(TestData.Org org, TestData.Person person) {
        return directory.findByAccount(org.id(), person.id()).orElseThrow();
    }
}
