package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.account.AccountService;
import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.Team;
import dev.roster.membership.TeamGrant;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.EmailAddress;
import dev.roster.shared.PageQuery;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.RoundTrips;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;

/**
 * How often one SAML sign-in reads the {@code membership} table (issue 16: "one read of a membership per sign-in"),
 * counted on the request thread of the ACS post: every statement whose SQL reads {@code membership} (not
 * {@code team_membership} or {@code membership_admin_grant}), whatever it is for, and among them the reads of the
 * member's own row. A change that adds a read to the sign-in fails here; the statements are printed, so the reader
 * sees which.
 * <p>
 * The member's row is read once, by {@code SsoSignIn.decide}, locked ({@code SELECT … FOR UPDATE}; for an admin SSO
 * made one, whose groups apply, with the organization's active admins in the same statement), and every change the
 * sign-in makes goes through {@code MembershipService} on that locked row ({@code LockedMembership}); an account the
 * sign-in creates has no membership to read. A sign-in that accepts an invitation locks the invitation, then the row,
 * and the acceptance joins on that row. The other reads are not for the sign-in's own decisions: the member read
 * back, with their teams, for each {@code member.*} event host applications receive (the admin API's shape), the
 * account's active organizations for the session's authorities ({@code security.SignInStages}), the inviter's
 * membership (an inviter who left is not told of the acceptance), and, when the sign-in withdraws an admin flag, the
 * organization's active admins, locked and counted (the last-admin rule).
 */
@RosterIntegrationTest
class SamlSignInReadsTheMembershipOnceTest {

    /** Reads the membership table, after FROM or JOIN (not team_membership, membership_admin_grant). */
    private static final Pattern READS_MEMBERSHIP = Pattern.compile("(?i)\\b(from|join)\\s+membership\\b(?!_)");

    /** Reads one member's row, by its id or its account (locked or not). */
    private static final Pattern READS_THE_ROW = Pattern.compile(
            "(?i)^select \\* from membership where organization_id = \\? and \\(?(id|account_id) = \\?");

    private static final Pattern INVITATION_LINK = Pattern.compile("/invitations/accept\\?token=([A-Za-z0-9_\\-]+)");
    private static final Pattern SSO_LINK = Pattern.compile("href=\"(/saml2/authenticate/[^\"]+)\"");

    private static final Actor SETUP = Actor.system("test setup");

    /**
     * A new person, let in by a group grant, joining a team and made an admin by their groups: the member read back
     * for {@code member.added}, the active organizations. The account is created by the sign-in, so there is no
     * membership to look for (before: 4, the join's look-up and {@code syncTeams}' lock of the row it had just made).
     */
    static final int NEW_MEMBER = 2;

    static final int NEW_MEMBER_ROW = 0;

    /**
     * A member whose teams change (one gained, one lost) and who becomes an admin: the member's row, read back for
     * {@code member.teams_changed} and for {@code member.updated}, the active organizations (before: 6, the row read
     * three times: {@code decide}, {@code syncTeams}, {@code grantAdmin}).
     */
    static final int EXISTING_MEMBER_TEAMS_AND_ADMIN_GAINED = 4;

    /**
     * A member whose teams change and whose admin group left: the member's row (with the organization's active
     * admins), the active admins counted (the last-admin rule), read back for the two events, the active
     * organizations (before: 9, the row read four times and the admins locked twice).
     */
    static final int EXISTING_MEMBER_TEAMS_AND_ADMIN_LOST = 5;

    /** A member whose sign-in changes nothing: the member's row, the active organizations (before: 3). */
    static final int EXISTING_MEMBER_UNCHANGED = 2;

    /** An existing member's row: once, whatever the sign-in changes. */
    static final int EXISTING_MEMBER_ROW = 1;

    /**
     * Someone with an account, not a member, accepting an invitation (with a team) through the IdP: the member's row,
     * read once by decide, locked after the invitation, and the invitation's join made on it; the inviter's
     * membership (told only while still a member); the member read back for {@code member.added}; the active
     * organizations (before: 6, the member's row read three times: decide without a lock, the invitation's join, and
     * the lock taken again after it).
     */
    static final int INVITED_ACCOUNT = 4;

    /** The member's row once, and the inviter's (before: 4). */
    static final int INVITED_ACCOUNT_ROW = 2;

    /**
     * A new person accepting an invitation through the IdP: the inviter's membership, the member read back for
     * {@code member.added}, the active organizations; the account is created by the sign-in, so there is no membership
     * to look for (before: 5, the invitation's join looked for one and the row was locked again after it).
     */
    static final int INVITED_NEW_PERSON = 3;

    /** The inviter's row only (before: 3). */
    static final int INVITED_NEW_PERSON_ROW = 1;

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    TeamService teams;
    @Autowired
    MemberReads members;
    @Autowired
    AccountService accounts;

    @Test
    void aSignInReadsTheMembershipOnceForItself() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        Team platform = teams.create(sso.org.id(), TestData.unique("Platform"), null, SETUP);
        Team analytics = teams.create(sso.org.id(), TestData.unique("Data"), null, SETUP);
        sso.grant("group", "Everyone");
        map(sso, "Platform", platform, false);
        map(sso, "Data", analytics, false);
        sso.map("Roster Admins", null, true);
        // Warms the connections and the caches of the path (metadata, registrations) with another person.
        signIn(sso, sso.email("warm"), "Everyone", "Platform");

        String email = sso.email("grace");
        List<String> joined = signIn(sso, email, "Everyone", "Platform", "Roster Admins");
        assertThat(member(sso, email).admin()).isTrue();
        List<String> lost = signIn(sso, email, "Everyone", "Data");
        assertThat(member(sso, email).admin()).isFalse();
        assertThat(member(sso, email).teams()).extracting(TeamGrant::teamId).containsExactly(analytics.id());
        List<String> gained = signIn(sso, email, "Everyone", "Platform", "Roster Admins");
        assertThat(member(sso, email).admin()).isTrue();
        assertThat(member(sso, email).teams()).extracting(TeamGrant::teamId).containsExactly(platform.id());
        List<String> unchanged = signIn(sso, email, "Everyone", "Platform", "Roster Admins");

        assertThat(joined).as("the counter sees the sign-in").anyMatch(trip -> trip.contains("sso_identity"));
        check("a new member", joined, NEW_MEMBER, NEW_MEMBER_ROW);
        check("an existing member gaining a team and the admin flag", gained,
                EXISTING_MEMBER_TEAMS_AND_ADMIN_GAINED, EXISTING_MEMBER_ROW);
        check("an existing member changing teams and losing the admin flag", lost,
                EXISTING_MEMBER_TEAMS_AND_ADMIN_LOST, EXISTING_MEMBER_ROW);
        check("an existing member whose sign-in changes nothing", unchanged, EXISTING_MEMBER_UNCHANGED,
                EXISTING_MEMBER_ROW);
    }

    @Test
    void aSignInThatAcceptsAnInvitationReadsTheMembershipOnceForItself() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of("enforceSso", true));
        Team welcome = teams.create(sso.org.id(), TestData.unique("Welcome"), null, SETUP);
        // Warms the connections and the caches of the path with another invitee.
        acceptInvitation(sso, sso.email("warm"), welcome);

        String newcomer = sso.email("newcomer");
        List<String> created = acceptInvitation(sso, newcomer, welcome);
        String existing = sso.email("ada");
        accounts.create(new EmailAddress(existing), "Ada", null, SETUP);
        List<String> joined = acceptInvitation(sso, existing, welcome);

        for (String email : List.of(newcomer, existing)) {
            Member member = member(sso, email);
            assertThat(member.source()).isEqualTo(MembershipSource.INVITATION);
            assertThat(member.teams()).extracting(TeamGrant::teamId).containsExactly(welcome.id());
        }
        check("a new person accepting an invitation", created, INVITED_NEW_PERSON, INVITED_NEW_PERSON_ROW);
        check("an account accepting an invitation", joined, INVITED_ACCOUNT, INVITED_ACCOUNT_ROW);
    }

    /** Invites the address to the team, and accepts through the IdP; only the ACS post is recorded. */
    private List<String> acceptInvitation(SsoFixture sso, String email, Team team) {
        TestApi.Response invite = api.post(sso.org.admin().token(), sso.org.api("/invitations"),
                Map.of("emails", List.of(email), "teams", List.of(team.name()), "admin", false));
        assertThat(invite.status()).as(invite.body()).isIn(200, 201);
        Matcher link = INVITATION_LINK.matcher(TestMailbox.await(email, 1).get(0).text());
        assertThat(link.find()).isTrue();
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        Matcher ssoLink = SSO_LINK.matcher(browser.get("/invitations/accept?token=" + link.group(1)).body());
        assertThat(ssoLink.find()).isTrue();
        String loginPath = ssoLink.group(1).replace("&amp;", "&");
        SsoFixture.Started started = sso.start(browser, loginPath.substring(loginPath.indexOf('?') + 1));
        TestIdp.Spec spec = TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), email, "In", "Vited");
        spec.inResponseTo = started.request().getID();
        String response = sso.idp.response(spec);
        List<String> trips;
        SamlBrowser.Page page;
        try (RoundTrips.Recording recording = RoundTrips.record(RoundTrips::requestThread)) {
            page = sso.post(browser, response, started.relayState());
            trips = recording.stop();
        }
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        assertThat(SsoFixture.signedIn(browser)).isTrue();
        return trips;
    }

    private static void check(String what, List<String> trips, int reads, int rowReads) {
        List<String> membershipReads = trips.stream().filter(trip -> READS_MEMBERSHIP.matcher(trip).find()).toList();
        System.out.println("Membership reads of a SAML sign-in, " + what + ": " + membershipReads.size() + " (of "
                + trips.size() + " round trips)\n  " + String.join("\n  ", trips));
        assertThat(membershipReads).as("statements reading membership in the sign-in of " + what)
                .hasSizeLessThanOrEqualTo(reads);
        assertThat(membershipReads).as("reads of the member's row in the sign-in of " + what)
                .filteredOn(trip -> READS_THE_ROW.matcher(trip).find()).hasSize(rowReads);
    }

    private void map(SsoFixture sso, String group, Team team, boolean admin) {
        TestApi.Response response = api.post(sso.org.admin().token(),
                sso.org.api("/sso-connections/" + sso.id() + "/group-mappings"),
                Map.of("group", group, "team", team.name(), "admin", admin));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    /** One SP-initiated sign-in; only the ACS post (the sign-in itself) is recorded. */
    private List<String> signIn(SsoFixture sso, String email, String... groups) {
        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SsoFixture.Started started = sso.start(browser, null);
        TestIdp.Spec spec = TestIdp.okta(sso.spec(), email, "First", "Last", groups);
        spec.inResponseTo = started.request().getID();
        String response = sso.idp.response(spec);
        List<String> trips;
        SamlBrowser.Page page;
        try (RoundTrips.Recording recording = RoundTrips.record(RoundTrips::requestThread)) {
            page = sso.post(browser, response, started.relayState());
            trips = recording.stop();
        }
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        assertThat(page.location()).endsWith("/");
        return trips;
    }

    private Member member(SsoFixture sso, String email) {
        Optional<Member> found = members.list(sso.org.id(), new MemberReads.MemberFilter(email, null, null, null),
                PageQuery.of(0, 5)).items().stream().findFirst();
        return found.orElseThrow();
    }
}
