package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.account.AccountService;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.membership.Member;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipService;
import dev.roster.membership.MembershipSource;
import dev.roster.membership.Team;
import dev.roster.membership.TeamGrant;
import dev.roster.membership.TeamService;
import dev.roster.membership.GrantSource;
import dev.roster.shared.Actor;
import dev.roster.shared.PageQuery;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.sso.access.SsoDomainService;

@RosterIntegrationTest
class SamlLoginTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;
    @Autowired
    TeamService teams;
    @Autowired
    MembershipService memberships;
    @Autowired
    MemberReads members;
    @Autowired
    AccountService accounts;
    @Autowired
    AuditLog audit;

    @Test
    void entraLoginProvisionsTheMemberWithMappedTeamsAndLaterLoginsFollowTheGroups() {
        SsoFixture sso = SsoFixture.create(api, data, domains, "entra", Map.of());
        Team engineering = teams.create(sso.org.id(), "Engineering", null, Actor.system("test"));
        Team design = teams.create(sso.org.id(), "Design", null, Actor.system("test"));
        Team onCall = teams.create(sso.org.id(), "On call", null, Actor.system("test"));
        String engineers = UUID.randomUUID().toString();
        String designers = UUID.randomUUID().toString();
        sso.grant("domain", sso.domain);
        sso.map(engineers, "Engineering", false);
        sso.map(designers, "Design", false);
        String objectId = UUID.randomUUID().toString();
        String email = sso.email("ada");

        SamlBrowser browser = new SamlBrowser(api.baseUrl());
        SamlBrowser.Page done = sso.login(browser,
                TestIdp.entra(sso.spec(), objectId, email, "Ada", "Lovelace", engineers));
        assertThat(done.status()).as(done.body()).isEqualTo(302);
        assertThat(done.location()).endsWith("/");
        assertThat(SsoFixture.signedIn(browser)).isTrue();

        Member member = member(sso, email);
        assertThat(member.source()).isEqualTo(MembershipSource.SSO);
        assertThat(member.displayName()).isEqualTo("Ada Lovelace");
        assertThat(teamNames(member)).containsExactly("Engineering");

        memberships.grantTeam(sso.org.id(), member.id(), onCall.id(), GrantSource.MANUAL, Actor.system("admin"));
        SamlBrowser again = new SamlBrowser(api.baseUrl());
        assertThat(sso.login(again, TestIdp.entra(sso.spec(), objectId, email, "Ada", "Lovelace", designers))
                .status()).isEqualTo(302);

        Member after = member(sso, email);
        assertThat(teamNames(after)).containsExactlyInAnyOrder("Design", "On call");
        assertThat(after.teams()).filteredOn(g -> g.teamName().equals("On call"))
                .allSatisfy(g -> assertThat(g.sources()).containsExactly(GrantSource.MANUAL));
        assertThat(after.teams()).filteredOn(g -> g.teamName().equals("Design"))
                .allSatisfy(g -> assertThat(g.sources()).containsExactly(GrantSource.SSO));
        assertThat(engineering.id()).isNotNull();

        // Each sign-in is in the organization's audit log, written with what the sign-in changed.
        var signIns = audit.find(sso.org.id(), new AuditQuery(null, null, null, "sso.signed-in", null, null, null),
                PageQuery.of(0, 10)).items();
        assertThat(signIns).hasSize(2).allSatisfy(event -> {
            assertThat(event.targetLabel()).isEqualTo(email);
            assertThat(event.after().get("groups").asInt()).isEqualTo(1);
        });
    }

    private Member member(SsoFixture sso, String email) {
        return members.list(sso.org.id(), new MemberReads.MemberFilter(email, null, null, null), PageQuery.of(0, 10))
                .items().stream().findFirst().orElseThrow(() -> new AssertionError("no member " + email));
    }

    private static Set<String> teamNames(Member member) {
        return member.teams().stream().map(TeamGrant::teamName).collect(Collectors.toSet());
    }
}
