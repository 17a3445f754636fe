package dev.roster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.resource.AccessFixture;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestData.Org;
import dev.roster.test.TestData.Person;
import dev.roster.test.TestSession;

/**
 * Removing or suspending a member ends their access on the very next request, on every path: a signed-in web
 * session, an API token, and the decision a host application asks for. Nothing is cached between requests.
 */
@RosterIntegrationTest
class RemovalTakesEffectTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData testData;

    AccessFixture fixture;
    Org org;
    Person member;
    UUID memberId;
    UUID teamResource;
    TestSession session;

    @BeforeEach
    void signedInMemberOfATeam() {
        fixture = new AccessFixture(api);
        org = testData.org();
        member = testData.member(org, false);
        memberId = fixture.membershipId(org, member);
        UUID team = fixture.team(org, TestData.unique("team"));
        fixture.addToTeam(org, memberId, team);
        teamResource = fixture.resource(org, "project", TestData.unique("reachable"), "team", team);
        session = new TestSession(api.baseUrl());
        TestSession.Page signedIn = session.signIn(member.email(), TestData.PASSWORD);
        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.location()).doesNotContain("error");
    }

    @Test
    void removalDeniesTheNextRequestOnEveryPath() {
        assertHasAccess();

        assertThat(api.delete(org.admin().token(), org.api("/members/" + memberId)).status()).isEqualTo(204);

        TestSession.Page page = session.get("/orgs/" + org.slug());
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.body()).contains("not an active member").doesNotContain(org.organization().name());
        TestApi.Response viaToken = api.get(member.token(), org.api("/me"));
        assertThat(viaToken.status()).isEqualTo(403);
        assertThat(viaToken.json().path("type").asText()).isEqualTo("urn:roster:problem:not-a-member");
        assertThat(api.get(member.token(), org.api("/decisions?resource=" + teamResource)).status()).isEqualTo(403);
        assertDecision(false, "removed");
    }

    @Test
    void suspensionDeniesTheNextRequestOnEveryPathAndReactivationRestoresIt() {
        assertHasAccess();

        assertThat(api.post(org.admin().token(), org.api("/members/" + memberId + "/suspend"), null).status())
                .isEqualTo(200);

        assertThat(session.get("/orgs/" + org.slug()).status()).isEqualTo(403);
        assertThat(api.get(member.token(), org.api("/me")).status()).isEqualTo(403);
        assertThat(api.get(member.token(), org.api("/me/resources")).status()).isEqualTo(403);
        assertDecision(false, "suspended");

        assertThat(api.post(org.admin().token(), org.api("/members/" + memberId + "/reactivate"), null).status())
                .isEqualTo(200);
        assertHasAccess();
    }

    @Test
    void theSessionKeepsOtherOrganizationsWhenOneRemovesThePerson() {
        Org other = testData.org();
        testData.join(other, member, false);
        assertThat(session.get("/orgs/" + other.slug()).status()).isEqualTo(200);

        api.delete(org.admin().token(), org.api("/members/" + memberId));

        assertThat(session.get("/orgs/" + org.slug()).status()).isEqualTo(403);
        TestSession.Page stillThere = session.get("/orgs/" + other.slug());
        assertThat(stillThere.status()).isEqualTo(200);
        assertThat(stillThere.body()).contains(other.organization().name());
    }

    @Test
    void theOverviewShowsTheMembersTeamsAndResourcesAndNothingToStrangers() {
        TestSession.Page page = session.get("/orgs/" + org.slug());
        assertThat(page.body()).contains(org.organization().name(), "team-", "reachable-", "team");
        assertThat(page.body()).doesNotContain("style=", "<script>");

        assertThat(session.get("/orgs/" + testData.org().slug()).status()).as("not a member there").isEqualTo(404);
        assertThat(session.get("/orgs/no-such-org-" + UUID.randomUUID()).status()).isEqualTo(404);
        TestSession anonymous = new TestSession(api.baseUrl());
        TestSession.Page redirected = anonymous.get("/orgs/" + org.slug());
        assertThat(redirected.status()).isEqualTo(302);
        assertThat(redirected.location()).endsWith("/login");
    }

    private void assertHasAccess() {
        TestSession.Page page = session.get("/orgs/" + org.slug());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains(org.organization().name());
        assertThat(api.get(member.token(), org.api("/me")).status()).isEqualTo(200);
        TestApi.Response own = api.get(member.token(), org.api("/decisions?resource=" + teamResource));
        assertThat(own.json().path("allowed").asBoolean()).isTrue();
        assertDecision(true, "team");
    }

    private void assertDecision(boolean allowed, String reason) {
        var decision = fixture.decide(org, member.id(), teamResource);
        assertThat(decision.path("allowed").asBoolean()).isEqualTo(allowed);
        assertThat(decision.path("reason").asText()).isEqualTo(reason);
    }
}
