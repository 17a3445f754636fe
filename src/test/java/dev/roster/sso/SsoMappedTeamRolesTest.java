package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Team;
import dev.roster.membership.TeamGrant;
import dev.roster.membership.TeamRole;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.PageQuery;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * SSO group mappings carry a team role, applied at each SAML sign-in: a group mapped as maintainer makes the person a
 * maintainer, the highest role of their mapped groups wins, leaving the group lowers only what SSO gave, and no other
 * organization's mappings (SSO or SCIM) give roles in this organization's teams.
 */
@RosterIntegrationTest
class SsoMappedTeamRolesTest {

    private static final Actor SETUP = Actor.system("test setup");

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
    void aSamlSignInWithAGroupMappedAsMaintainerMakesThePersonAMaintainer() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        Team support = teams.create(sso.org.id(), TestData.unique("Support"), null, SETUP);
        sso.grant("group", "Everyone");
        TestApi.Response leads = map(sso, "Support Leads", support, "maintainer");
        assertThat(leads.json().path("role").asText()).isEqualTo("maintainer");
        map(sso, "Support Crew", support, null);
        String email = sso.email("grace");

        signIn(sso, email, "Everyone", "Support Crew", "Support Leads");
        assertThat(role(sso, email, support)).contains(TeamRole.MAINTAINER);
        // Only the member group left: still in the team, as a member.
        signIn(sso, email, "Everyone", "Support Crew");
        assertThat(role(sso, email, support)).contains(TeamRole.MEMBER);
        signIn(sso, email, "Everyone", "Support Leads");
        assertThat(role(sso, email, support)).contains(TeamRole.MAINTAINER);

        // The mapping's role changes from the next sign-in on.
        TestApi.Response lowered = api.patch(sso.org.admin().token(), sso.org.api("/sso-connections/" + sso.id()
                + "/group-mappings/" + leads.json().path("id").asText()), Map.of("role", "member"));
        assertThat(lowered.status()).as(lowered.body()).isEqualTo(200);
        assertThat(lowered.json().path("role").asText()).isEqualTo("member");
        signIn(sso, email, "Everyone", "Support Leads");
        assertThat(role(sso, email, support)).contains(TeamRole.MEMBER);
    }

    @Test
    void aMaintainerAnAdminMadeByHandStaysOneWhenTheIdpDropsTheGroup() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "okta", Map.of());
        Team support = teams.create(sso.org.id(), TestData.unique("Support"), null, SETUP);
        sso.grant("group", "Everyone");
        map(sso, "Support Crew", support, "member");
        String email = sso.email("ada");
        signIn(sso, email, "Everyone", "Support Crew");
        Member ada = member(sso, email).orElseThrow();
        TestApi.Response manual = api.put(sso.org.admin().token(), sso.org.api("/members/" + ada.id() + "/teams/"
                + support.id()), Map.of("role", "maintainer"));
        assertThat(manual.status()).as(manual.body()).isEqualTo(200);

        signIn(sso, email, "Everyone");
        assertThat(role(sso, email, support)).contains(TeamRole.MAINTAINER);
        TeamGrant grant = member(sso, email).orElseThrow().teams().get(0);
        assertThat(grant.sources()).containsExactly(dev.roster.membership.GrantSource.MANUAL);
    }

    @Test
    void anotherOrganizationsMappingsGiveNoRoleInThisOrganizationsTeams() {
        SsoFixture victim = SsoFixture.create(api, data, domains, "okta", Map.of());
        SsoFixture attacker = SsoFixture.create(api, data, domains, "okta", Map.of());
        String teamName = TestData.unique("Platform");
        Team platform = teams.create(victim.org.id(), teamName, null, SETUP);
        teams.create(attacker.org.id(), teamName, null, SETUP);
        victim.grant("group", "Everyone");
        map(victim, "Platform", platform, "member");

        // The attacker maps the same IdP group name, as maintainer, through SSO and through a SCIM directory.
        TestApi.Response ssoMapping = api.post(attacker.org.admin().token(), attacker.org.api("/sso-connections/"
                + attacker.id() + "/group-mappings"), Map.of("group", "Platform", "team", teamName, "role",
                "maintainer"));
        assertThat(ssoMapping.status()).as(ssoMapping.body()).isEqualTo(201);
        TestApi.Response directory = api.post(attacker.org.admin().token(), attacker.org.api("/scim-directories"),
                Map.of("name", "Attacker's Okta", "kind", "okta"));
        assertThat(directory.status()).as(directory.body()).isEqualTo(201);
        TestApi.Response scimMapping = api.post(attacker.org.admin().token(), attacker.org.api("/scim-directories/"
                + directory.json().path("id").asText() + "/group-mappings"), Map.of("group", Map.of("by",
                "displayName", "value", "Platform"), "teams", List.of(teamName), "role", "maintainer"));
        assertThat(scimMapping.status()).as(scimMapping.body()).isEqualTo(201);
        // Naming the victim's team by id is refused: teams resolve only in the attacker's own organization.
        assertThat(api.post(attacker.org.admin().token(), attacker.org.api("/sso-connections/" + attacker.id()
                + "/group-mappings"), Map.of("group", "Platform", "team", platform.id().toString(), "role",
                "maintainer")).status()).isIn(400, 404);
        // Nor can the attacker change the victim's mapping.
        String victimMapping = api.get(victim.org.admin().token(), victim.org.api("/sso-connections/" + victim.id()
                + "/group-mappings")).json().path("items").get(0).path("id").asText();
        assertThat(api.patch(attacker.org.admin().token(), attacker.org.api("/sso-connections/" + attacker.id()
                + "/group-mappings/" + victimMapping), Map.of("role", "maintainer")).status()).isEqualTo(404);

        String email = victim.email("linus");
        signIn(victim, email, "Everyone", "Platform");
        assertThat(role(victim, email, platform)).contains(TeamRole.MEMBER);
    }

    private TestApi.Response map(SsoFixture sso, String group, Team team, String role) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("group", group, "team", team.name()));
        if (role != null) {
            body.put("role", role);
        }
        TestApi.Response response = api.post(sso.org.admin().token(),
                sso.org.api("/sso-connections/" + sso.id() + "/group-mappings"), body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response;
    }

    private void signIn(SsoFixture sso, String email, String... groups) {
        SamlBrowser.Page page = sso.login(new SamlBrowser(api.baseUrl()), TestIdp.okta(sso.spec(), email, "First",
                "Last", groups));
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        assertThat(page.location()).endsWith("/");
    }

    private Optional<Member> member(SsoFixture sso, String email) {
        return members.list(sso.org.id(), new MemberReads.MemberFilter(email, null, null, null),
                PageQuery.of(0, 5)).items().stream().findFirst();
    }

    private Optional<TeamRole> role(SsoFixture sso, String email, Team team) {
        return member(sso, email).orElseThrow().teams().stream().filter(g -> g.teamId().equals(team.id()))
                .findFirst().map(TeamGrant::role);
    }
}
