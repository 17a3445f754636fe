package dev.roster.resource;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.MembershipService;
import dev.roster.membership.GrantSource;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestData.Org;
import dev.roster.test.TestData.Person;

/**
 * Every access rule, through the decision endpoint and through the listings (the admin's view of a member, and the
 * member's own): admin, organization-shared, personal, team through each grant source, no team, suspended, removed,
 * not a member, and another organization.
 */
@RosterIntegrationTest
class AccessRulesTest {

    private static final Actor SSO = Actor.directory("test idp", Channel.SSO);
    private static final Actor SCIM = Actor.directory("test scim", Channel.SCIM);

    @Autowired
    TestApi api;
    @Autowired
    TestData testData;
    @Autowired
    MembershipService memberships;

    AccessFixture fixture;
    Org org;
    Person member;
    Person loner;
    UUID memberId;
    UUID lonerId;
    UUID manualTeam;
    UUID ssoTeam;
    UUID scimTeam;
    UUID otherTeam;
    UUID shared;
    UUID memberPersonal;
    UUID lonerPersonal;
    UUID manualTeamResource;
    UUID ssoTeamResource;
    UUID scimTeamResource;
    UUID otherTeamResource;

    @BeforeEach
    void organizationWithEveryKindOfOwner() {
        fixture = new AccessFixture(api);
        org = testData.org();
        member = testData.member(org, false);
        loner = testData.member(org, false);
        memberId = fixture.membershipId(org, member);
        lonerId = fixture.membershipId(org, loner);
        manualTeam = fixture.team(org, TestData.unique("manual"));
        ssoTeam = fixture.team(org, TestData.unique("sso"));
        scimTeam = fixture.team(org, TestData.unique("scim"));
        otherTeam = fixture.team(org, TestData.unique("other"));
        fixture.addToTeam(org, memberId, manualTeam);
        memberships.grantTeam(org.id(), memberId, ssoTeam, GrantSource.SSO, SSO);
        memberships.syncTeams(org.id(), memberId, GrantSource.SCIM, Set.of(scimTeam), SCIM);

        shared = fixture.sharedResource(org);
        memberPersonal = fixture.resource(org, "data-store", TestData.unique("mine"), "member", memberId);
        lonerPersonal = fixture.resource(org, "environment", TestData.unique("loner"), "member", lonerId);
        manualTeamResource = fixture.resource(org, "project", TestData.unique("manual-res"), "team", manualTeam);
        ssoTeamResource = fixture.resource(org, "environment", TestData.unique("sso-res"), "team", ssoTeam);
        scimTeamResource = fixture.resource(org, "data_store", TestData.unique("scim-res"), "team", scimTeam);
        otherTeamResource = fixture.resource(org, "PROJECT", TestData.unique("other-res"), "team", otherTeam);
    }

    private Set<UUID> everyResource() {
        return Set.of(shared, memberPersonal, lonerPersonal, manualTeamResource, ssoTeamResource, scimTeamResource,
                otherTeamResource);
    }

    @Test
    void adminsReachEveryResourceOfTheirOrganization() {
        for (UUID resource : everyResource()) {
            JsonNode decision = fixture.decide(org, org.admin().id(), resource);
            assertThat(decision.path("allowed").asBoolean()).isTrue();
            assertThat(decision.path("reason").asText()).isEqualTo("admin");
            assertThat(decision.path("account").asText()).isEqualTo(org.admin().id().toString());
            assertThat(decision.path("resource").asText()).isEqualTo(resource.toString());
        }
        Map<UUID, String> reachable = fixture.reachableAsAdminSees(org, org.adminMembership().id());
        assertThat(reachable.keySet()).containsExactlyInAnyOrderElementsOf(everyResource());
        assertThat(reachable.values()).containsOnly("admin");
    }

    @Test
    void aMemberReachesSharedPersonalAndEveryTeamTheyAreInThroughAnySource() {
        assertAllowed(member, shared, "organization-shared");
        assertAllowed(member, memberPersonal, "personal");
        JsonNode manual = assertAllowed(member, manualTeamResource, "team");
        assertThat(AccessFixture.texts(manual.path("teamIds"))).containsExactly(manualTeam.toString());
        assertThat(AccessFixture.texts(manual.path("grantSources"))).containsExactly("manual");
        assertThat(manual.path("teamNames").get(0).asText()).startsWith("manual-");
        JsonNode sso = assertAllowed(member, ssoTeamResource, "team");
        assertThat(AccessFixture.texts(sso.path("grantSources"))).containsExactly("sso");
        JsonNode scim = assertAllowed(member, scimTeamResource, "team");
        assertThat(AccessFixture.texts(scim.path("grantSources"))).containsExactly("scim");
        assertDenied(member, otherTeamResource, "no-access");
        assertDenied(member, lonerPersonal, "no-access");

        Map<UUID, String> expected = Map.of(shared, "organization-shared", memberPersonal, "personal",
                manualTeamResource, "team", ssoTeamResource, "team", scimTeamResource, "team");
        assertThat(fixture.reachableAsAdminSees(org, memberId)).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(AccessFixture.reasons(api.get(member.token(), org.api("/me/resources"))))
                .containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void aMemberWithNoTeamReachesPersonalAndSharedOnly() {
        assertAllowed(loner, shared, "organization-shared");
        assertAllowed(loner, lonerPersonal, "personal");
        for (UUID denied : Set.of(memberPersonal, manualTeamResource, ssoTeamResource, scimTeamResource,
                otherTeamResource)) {
            assertDenied(loner, denied, "no-access");
        }
        Map<UUID, String> expected = Map.of(shared, "organization-shared", lonerPersonal, "personal");
        assertThat(fixture.reachableAsAdminSees(org, lonerId)).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(AccessFixture.reasons(api.get(loner.token(), org.api("/me/resources"))))
                .containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void losingEachGrantSourceLosesThatTeamsResources() {
        TestApi.Response removed = api.delete(org.admin().token(),
                org.api("/members/" + memberId + "/teams/" + manualTeam));
        assertThat(removed.status()).as(removed.body()).isEqualTo(200);
        assertDenied(member, manualTeamResource, "no-access");

        memberships.revokeTeam(org.id(), memberId, ssoTeam, GrantSource.SSO, SSO);
        assertDenied(member, ssoTeamResource, "no-access");

        memberships.syncTeams(org.id(), memberId, GrantSource.SCIM, Set.of(), SCIM);
        assertDenied(member, scimTeamResource, "no-access");

        assertThat(fixture.reachableAsAdminSees(org, memberId)).containsOnlyKeys(shared, memberPersonal);
    }

    @Test
    void aTeamGrantedBySeveralSourcesStaysUntilTheLastGoes() {
        memberships.grantTeam(org.id(), memberId, manualTeam, GrantSource.SCIM, SCIM);
        JsonNode both = assertAllowed(member, manualTeamResource, "team");
        assertThat(AccessFixture.texts(both.path("grantSources"))).containsExactly("manual", "scim");

        api.delete(org.admin().token(), org.api("/members/" + memberId + "/teams/" + manualTeam));
        JsonNode scimOnly = assertAllowed(member, manualTeamResource, "team");
        assertThat(AccessFixture.texts(scimOnly.path("grantSources"))).containsExactly("scim");
    }

    @Test
    void suspendedMembersReachNothingUntilReactivated() {
        assertThat(api.post(org.admin().token(), org.api("/members/" + memberId + "/suspend"), null).status())
                .isEqualTo(200);
        for (UUID resource : everyResource()) {
            assertDeniedByAdmin(member, resource, "suspended");
        }
        assertThat(fixture.reachableAsAdminSees(org, memberId)).isEmpty();
        assertThat(api.get(member.token(), org.api("/me/resources")).status()).isEqualTo(403);

        assertThat(api.post(org.admin().token(), org.api("/members/" + memberId + "/reactivate"), null).status())
                .isEqualTo(200);
        assertAllowed(member, scimTeamResource, "team");
        assertThat(fixture.reachableAsAdminSees(org, memberId)).hasSize(5);
    }

    @Test
    void suspendedAdminsReachNothingEither() {
        Person secondAdmin = testData.member(org, true);
        UUID secondAdminId = fixture.membershipId(org, secondAdmin);
        assertAllowed(secondAdmin, otherTeamResource, "admin");
        api.post(org.admin().token(), org.api("/members/" + secondAdminId + "/suspend"), null);
        assertDeniedByAdmin(secondAdmin, otherTeamResource, "suspended");
        assertThat(fixture.reachableAsAdminSees(org, secondAdminId)).isEmpty();
    }

    @Test
    void removedMembersReachNothing() {
        assertThat(api.delete(org.admin().token(), org.api("/members/" + memberId)).status()).isEqualTo(204);
        for (UUID resource : everyResource()) {
            assertDeniedByAdmin(member, resource, "removed");
        }
        assertThat(fixture.reachableAsAdminSees(org, memberId)).isEmpty();
        assertThat(api.get(member.token(), org.api("/me/resources")).status()).isEqualTo(403);
    }

    @Test
    void peopleOutsideTheOrganizationReachNothing() {
        Person stranger = testData.person("stranger");
        JsonNode decision = fixture.decide(org, stranger.id(), shared);
        assertThat(decision.path("allowed").asBoolean()).isFalse();
        assertThat(decision.path("reason").asText()).isEqualTo("not-a-member");
        assertThat(fixture.decide(org, UUID.randomUUID(), shared).path("reason").asText()).isEqualTo("not-a-member");
        assertThat(api.get(stranger.token(), org.api("/decisions?resource=" + shared)).status()).isEqualTo(404);
    }

    @Test
    void noOneReachesAnotherOrganizationsResources() {
        Org other = testData.org();
        UUID otherShared = fixture.sharedResource(other);
        Person inBoth = testData.member(other, true);
        testData.join(org, inBoth, false);

        // Asked in this organization, the other's resource does not exist, whoever asks and about whom.
        TestApi.Response byAdmin = fixture.decision(org, org.admin().token(), inBoth.id(), otherShared);
        assertThat(byAdmin.status()).isEqualTo(404);
        assertThat(byAdmin.contentType()).startsWith("application/problem+json");
        assertThat(fixture.decision(org, inBoth.token(), inBoth.id(), otherShared).status()).isEqualTo(404);
        assertThat(fixture.decision(org, org.admin().token(), UUID.randomUUID(), UUID.randomUUID()).status())
                .isEqualTo(404);
        // Being an admin over there grants nothing here.
        assertDenied(inBoth, otherTeamResource, "no-access");
        assertThat(AccessFixture.reasons(api.get(inBoth.token(), org.api("/me/resources"))).keySet())
                .containsExactly(shared).doesNotContain(otherShared);
        // And this organization's admin is nobody over there.
        assertThat(fixture.decide(other, org.admin().id(), otherShared).path("reason").asText())
                .isEqualTo("not-a-member");
    }

    @Test
    void membersAskOnlyAboutThemselvesAndAdminsAboutAnyone() {
        TestApi.Response self = api.get(member.token(), org.api("/decisions?resource=" + memberPersonal));
        assertThat(self.status()).isEqualTo(200);
        assertThat(self.json().path("account").asText()).isEqualTo(member.id().toString());
        assertThat(self.json().path("reason").asText()).isEqualTo("personal");

        TestApi.Response aboutOther = fixture.decision(org, member.token(), loner.id(), lonerPersonal);
        assertThat(aboutOther.status()).isEqualTo(403);
        assertThat(aboutOther.json().path("type").asText()).isEqualTo("urn:roster:problem:admin-required");
        assertThat(api.get(member.token(), org.api("/members/" + lonerId + "/accessible-resources")).status())
                .isEqualTo(403);
        assertThat(fixture.decide(org, loner.id(), lonerPersonal).path("allowed").asBoolean()).isTrue();
    }

    @Test
    void listingsFilterByKindAndPage() {
        TestApi.Response projects = api.get(member.token(), org.api("/me/resources?kind=project"));
        assertThat(AccessFixture.reasons(projects)).containsOnlyKeys(shared, manualTeamResource);
        assertThat(projects.json().path("items").get(0).path("kind").asText()).isEqualTo("project");

        TestApi.Response firstTwo = api.get(org.admin().token(),
                org.api("/members/" + memberId + "/accessible-resources?size=2&page=0"));
        assertThat(firstTwo.json().path("items")).hasSize(2);
        assertThat(firstTwo.json().path("total").asLong()).isEqualTo(5);
        TestApi.Response rest = api.get(org.admin().token(),
                org.api("/members/" + memberId + "/accessible-resources?size=2&page=2"));
        assertThat(rest.json().path("items")).hasSize(1);

        TestApi.Response teamItem = api.get(member.token(), org.api("/me/resources?kind=environment"));
        JsonNode sso = teamItem.json().path("items").get(0);
        assertThat(sso.path("id").asText()).isEqualTo(ssoTeamResource.toString());
        assertThat(sso.path("owner").path("type").asText()).isEqualTo("team");
        assertThat(AccessFixture.texts(sso.path("teamIds"))).containsExactly(ssoTeam.toString());
        assertThat(api.get(member.token(), org.api("/me/resources?kind=spaceship")).status()).isEqualTo(400);
    }

    @Test
    void decisionsNeedAResourceAndWellFormedIds() {
        assertThat(api.get(org.admin().token(), org.api("/decisions?account=" + member.id())).status())
                .isEqualTo(400);
        TestApi.Response malformed = api.get(org.admin().token(), org.api("/decisions?resource=not-a-uuid"));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("type").asText()).isEqualTo("urn:roster:problem:invalid-request");
        assertThat(api.get(org.admin().token(), org.api("/decisions?resource=" + shared + "&account=x")).status())
                .isEqualTo(400);
        assertThat(api.get(org.admin().token(), org.api("/members/nope/accessible-resources")).status())
                .isEqualTo(400);
        assertThat(api.get(org.admin().token(), org.api("/members/" + UUID.randomUUID() + "/accessible-resources"))
                .status()).isEqualTo(404);
    }

    private JsonNode assertAllowed(Person person, UUID resource, String reason) {
        for (String token : new String[] {person.token(), org.admin().token()}) {
            TestApi.Response response = fixture.decision(org, token, person.id(), resource);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.json().path("allowed").asBoolean()).as(response.body()).isTrue();
            assertThat(response.json().path("reason").asText()).isEqualTo(reason);
        }
        return fixture.decide(org, person.id(), resource);
    }

    private void assertDenied(Person person, UUID resource, String reason) {
        TestApi.Response own = fixture.decision(org, person.token(), person.id(), resource);
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(own.json().path("allowed").asBoolean()).isFalse();
        assertThat(own.json().path("reason").asText()).isEqualTo(reason);
        assertDeniedByAdmin(person, resource, reason);
    }

    private void assertDeniedByAdmin(Person person, UUID resource, String reason) {
        JsonNode decision = fixture.decide(org, person.id(), resource);
        assertThat(decision.path("allowed").asBoolean()).as(decision.toString()).isFalse();
        assertThat(decision.path("reason").asText()).isEqualTo(reason);
        assertThat(decision.has("teamIds")).isFalse();
    }
}
