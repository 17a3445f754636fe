package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.PageQuery;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;
import dev.roster.sso.access.SsoDomainService;

/**
 * An invitation to an address whose domain enforces single sign-on, accepted the whole way over real HTTP: the
 * email's link, the acceptance page sending the invitee to the IdP, a signed response, and the invitation's team.
 */
@RosterIntegrationTest
class InvitationThroughSsoTest {

    private static final Pattern LINK = Pattern.compile("/invitations/accept\\?token=([A-Za-z0-9_\\-]+)");
    private static final Pattern SSO_LINK = Pattern.compile("href=\"(/saml2/authenticate/[^\"]+)\"");

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

    @Test
    void anInviteeOfAnSsoDomainAcceptsThroughTheIdpAndGetsTheInvitationsTeam() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of("enforceSso", true));
        teams.create(sso.org.id(), "Welcome", null, Actor.system("test"));
        String invited = sso.email("newcomer");
        TestApi.Response invite = api.post(sso.org.admin().token(), sso.org.api("/invitations"),
                Map.of("emails", List.of(invited), "teams", List.of("Welcome"), "admin", false));
        assertThat(invite.status()).as(invite.body()).isIn(200, 201);
        String token = token(TestMailbox.await(invited, 1).get(0));

        TestApi.Response passwordAccount = api.post(null, "/api/v1/public/invitations/accept",
                Map.of("token", token, "displayName", "New Comer", "password", TestData.PASSWORD));
        assertThat(passwordAccount.status()).as("no password account for an SSO domain").isEqualTo(409);
        assertThat(passwordAccount.json().path("type").asText()).isEqualTo("urn:roster:problem:sso-required");

        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SamlBrowser.Page page = browser.get("/invitations/accept?token=" + token);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Accept with single sign-on").doesNotContain("name=\"password\"");
        Matcher ssoLink = SSO_LINK.matcher(page.body());
        assertThat(ssoLink.find()).as(page.body()).isTrue();
        String loginPath = ssoLink.group(1).replace("&amp;", "&");
        assertThat(loginPath).startsWith("/saml2/authenticate/" + sso.id());

        SsoFixture.Started started = sso.start(browser, loginPath.substring(loginPath.indexOf('?') + 1));
        TestIdp.Spec spec = TestIdp.entra(sso.spec(), UUID.randomUUID().toString(), invited, "New", "Comer");
        spec.inResponseTo = started.request().getID();
        SamlBrowser.Page done = sso.post(browser, sso.idp.response(spec), started.relayState());

        assertThat(done.status()).as(done.body()).isEqualTo(302);
        assertThat(SsoFixture.signedIn(browser)).isTrue();
        Member member = members.list(sso.org.id(), new MemberReads.MemberFilter(invited, null, null, null),
                PageQuery.of(0, 5)).items().get(0);
        assertThat(member.source()).isEqualTo(MembershipSource.INVITATION);
        assertThat(member.teams()).extracting(t -> t.teamName()).containsExactly("Welcome");
        TestApi.Response accepted = api.get(sso.org.admin().token(), sso.org.api("/invitations?status=accepted"));
        assertThat(accepted.json().path("items").findValuesAsText("email")).contains(invited);
    }

    /**
     * Someone invited who joined through an access grant meanwhile signs in with the invitation's link: a member
     * already, they are signed in and their groups apply (the sign-in locks their row itself, as the invitation's
     * acceptance does not run for a member).
     */
    @Test
    void aMemberWhoJoinedMeanwhileSignsInWithTheInvitationsLink() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of("enforceSso", true));
        String everyone = UUID.randomUUID().toString();
        String platformGroup = UUID.randomUUID().toString();
        Team platform = teams.create(sso.org.id(), TestData.unique("Platform"), null, Actor.system("test"));
        sso.grant("group", everyone);
        TestApi.Response mapping = api.post(sso.org.admin().token(), sso.org.api("/sso-connections/" + sso.id()
                + "/group-mappings"), Map.of("group", platformGroup, "team", platform.name(), "admin", false));
        assertThat(mapping.status()).as(mapping.body()).isEqualTo(201);
        String invited = sso.email("early");
        TestApi.Response invite = api.post(sso.org.admin().token(), sso.org.api("/invitations"),
                Map.of("emails", List.of(invited), "admin", false));
        assertThat(invite.status()).as(invite.body()).isIn(200, 201);
        String token = token(TestMailbox.await(invited, 1).get(0));
        String objectId = UUID.randomUUID().toString();
        SamlBrowser.Page joined = sso.login(new SamlBrowser(api.baseUrl()),
                TestIdp.entra(sso.spec(), objectId, invited, "Early", "Bird", everyone));
        assertThat(joined.status()).as(joined.body()).isEqualTo(302);

        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        Matcher ssoLink = SSO_LINK.matcher(browser.get("/invitations/accept?token=" + token).body());
        assertThat(ssoLink.find()).isTrue();
        String loginPath = ssoLink.group(1).replace("&amp;", "&");
        SsoFixture.Started started = sso.start(browser, loginPath.substring(loginPath.indexOf('?') + 1));
        TestIdp.Spec spec = TestIdp.entra(sso.spec(), objectId, invited, "Early", "Bird", everyone, platformGroup);
        spec.inResponseTo = started.request().getID();
        SamlBrowser.Page done = sso.post(browser, sso.idp.response(spec), started.relayState());

        assertThat(done.status()).as(done.body()).isEqualTo(302);
        assertThat(SsoFixture.signedIn(browser)).isTrue();
        Member member = members.list(sso.org.id(), new MemberReads.MemberFilter(invited, null, null, null),
                PageQuery.of(0, 5)).items().get(0);
        assertThat(member.teams()).extracting(t -> t.teamId()).containsExactly(platform.id());
    }

    private static String token(TestMailbox.Mail mail) {
        Matcher matcher = LINK.matcher(mail.text());
        assertThat(matcher.find()).as(mail.text()).isTrue();
        return matcher.group(1);
    }
}
