package dev.roster.resource;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.EventFeed;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestData.Org;
import dev.roster.test.TestData.Person;
import dev.roster.test.TestEvents;

/**
 * Collaborators over HTTP: the reason {@code collaborator} with its role in decisions and listings, its place after
 * {@code team} and before {@code no-access}, who may manage a resource's collaborators (and who may not, however they
 * try), the loss of every place on removal that a return does not undo, and another organization's ids.
 */
@RosterIntegrationTest
class CollaboratorsTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData testData;
    @Autowired
    TestEvents testEvents;

    AccessFixture fixture;
    Org org;
    Person ada;
    UUID adaId;
    Person bob;
    UUID bobId;
    UUID team;
    UUID otherTeam;
    UUID teamProject;
    UUID otherTeamProject;

    @BeforeEach
    void organization() {
        fixture = new AccessFixture(api);
        org = testData.org();
        ada = testData.member(org, false);
        adaId = fixture.membershipId(org, ada);
        bob = testData.member(org, false);
        bobId = fixture.membershipId(org, bob);
        team = fixture.team(org, TestData.unique("platform"));
        otherTeam = fixture.team(org, TestData.unique("data"));
        teamProject = fixture.resource(org, "project", TestData.unique("api"), "team", team);
        otherTeamProject = fixture.resource(org, "environment", TestData.unique("staging"), "team", otherTeam);
    }

    private String collaborators(UUID resource) {
        return org.api("/resources/" + resource + "/collaborators");
    }

    private TestApi.Response add(String token, UUID resource, String key, Object value, String role) {
        return add(org, token, resource, key, value, role);
    }

    private TestApi.Response add(Org in, String token, UUID resource, String key, Object value, String role) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(key, value.toString());
        body.put("role", role);
        return api.post(token, in.api("/resources/" + resource + "/collaborators"), body);
    }

    private JsonNode decision(Person person, UUID resource) {
        return fixture.decide(org, person.id(), resource);
    }

    @Test
    void aCollaboratorReachesTheResourceWithTheirRoleUntilRemoved() {
        assertThat(decision(ada, teamProject).path("reason").asText()).isEqualTo("no-access");

        TestApi.Response added = add(org.admin().token(), teamProject, "member", adaId, "editor");
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(added.json().path("member").asText()).isEqualTo(adaId.toString());
        assertThat(added.json().path("email").asText()).isEqualTo(ada.email());
        assertThat(added.json().path("role").asText()).isEqualTo("editor");
        assertThat(added.header("Location")).endsWith("/collaborators/" + adaId);

        JsonNode decision = decision(ada, teamProject);
        assertThat(decision.path("allowed").asBoolean()).isTrue();
        assertThat(decision.path("reason").asText()).isEqualTo("collaborator");
        assertThat(decision.path("role").asText()).isEqualTo("editor");
        JsonNode own = api.get(ada.token(), org.api("/decisions?resource=" + teamProject)).json();
        assertThat(own.path("reason").asText()).isEqualTo("collaborator");

        TestApi.Response mine = api.get(ada.token(), org.api("/me/resources"));
        assertThat(AccessFixture.reasons(mine)).containsEntry(teamProject, "collaborator");
        assertThat(item(mine, teamProject).path("role").asText()).isEqualTo("editor");
        assertThat(fixture.reachableAsAdminSees(org, adaId)).containsEntry(teamProject, "collaborator");
        assertThat(AccessFixture.reasons(api.get(ada.token(), org.api("/me/resources?kind=environment"))))
                .doesNotContainKey(teamProject);

        TestApi.Response list = api.get(org.admin().token(), collaborators(teamProject));
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertThat(list.json().path("items")).hasSize(1);
        assertThat(list.json().path("items").get(0).path("role").asText()).isEqualTo("editor");

        TestApi.Response changed = api.patch(org.admin().token(), collaborators(teamProject) + "/" + adaId,
                Map.of("role", "viewer"));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(decision(ada, teamProject).path("role").asText()).isEqualTo("viewer");

        TestApi.Response again = add(org.admin().token(), teamProject, "member", adaId, "owner");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("type").asText()).isEqualTo("urn:roster:problem:collaborator-exists");

        assertThat(api.delete(org.admin().token(), collaborators(teamProject) + "/" + adaId).status()).isEqualTo(204);
        assertThat(decision(ada, teamProject).path("reason").asText()).isEqualTo("no-access");
        assertThat(AccessFixture.reasons(api.get(ada.token(), org.api("/me/resources")))).doesNotContainKey(teamProject);
        assertThat(api.delete(org.admin().token(), collaborators(teamProject) + "/" + adaId).status()).isEqualTo(404);
    }

    private static JsonNode item(TestApi.Response page, UUID id) {
        for (JsonNode item : page.json().path("items")) {
            if (item.path("id").asText().equals(id.toString())) {
                return item;
            }
        }
        throw new AssertionError("no " + id + " in " + page.body());
    }

    @Test
    void anAddressMustBelongToAMemberAndTheAnswerSaysToInviteFirst() {
        TestApi.Response byEmail = add(org.admin().token(), teamProject, "email", ada.email().toUpperCase(), "viewer");
        assertThat(byEmail.status()).as(byEmail.body()).isEqualTo(201);
        assertThat(byEmail.json().path("member").asText()).isEqualTo(adaId.toString());

        Person stranger = testData.person("stranger");
        TestApi.Response notMember = add(org.admin().token(), teamProject, "email", stranger.email(), "viewer");
        assertThat(notMember.status()).isEqualTo(400);
        assertThat(notMember.contentType()).startsWith("application/problem+json");
        assertThat(notMember.json().path("type").asText()).isEqualTo("urn:roster:problem:not-a-member");
        assertThat(notMember.json().path("detail").asText()).contains("Invite them first");
        assertThat(notMember.json().path("errors").path("email").asText()).contains("invite them first");

        TestApi.Response nobody = add(org.admin().token(), teamProject, "email", "nobody@example.test", "viewer");
        assertThat(nobody.status()).isEqualTo(400);
        assertThat(nobody.json().path("type").asText()).isEqualTo("urn:roster:problem:not-a-member");

        TestApi.Response noRole = api.post(org.admin().token(), collaborators(teamProject),
                Map.of("member", bobId.toString()));
        assertThat(noRole.status()).isEqualTo(400);
        assertThat(noRole.json().path("errors").has("role")).isTrue();
        TestApi.Response badRole = add(org.admin().token(), teamProject, "member", bobId, "superuser");
        assertThat(badRole.status()).isEqualTo(400);
        TestApi.Response both = api.post(org.admin().token(), collaborators(teamProject),
                Map.of("member", bobId.toString(), "email", bob.email(), "role", "viewer"));
        assertThat(both.status()).isEqualTo(400);
    }

    @Test
    void collaboratorComesAfterEveryOtherReasonAndEachResourceIsListedOnce() {
        UUID shared = fixture.sharedResource(org);
        UUID personal = fixture.resource(org, "data-store", TestData.unique("mine"), "member", adaId);
        fixture.addToTeam(org, adaId, team);
        for (UUID resource : new UUID[] {shared, personal, teamProject, otherTeamProject}) {
            assertThat(add(org.admin().token(), resource, "member", adaId, "owner").status()).isEqualTo(201);
        }
        assertThat(decision(ada, shared).path("reason").asText()).isEqualTo("organization-shared");
        assertThat(decision(ada, shared).has("role")).isFalse();
        assertThat(decision(ada, personal).path("reason").asText()).isEqualTo("personal");
        assertThat(decision(ada, teamProject).path("reason").asText()).isEqualTo("team");
        assertThat(decision(ada, otherTeamProject).path("reason").asText()).isEqualTo("collaborator");

        Map<UUID, String> expected = Map.of(shared, "organization-shared", personal, "personal", teamProject, "team",
                otherTeamProject, "collaborator");
        assertThat(AccessFixture.reasons(api.get(ada.token(), org.api("/me/resources"))))
                .containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(fixture.reachableAsAdminSees(org, adaId)).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void removalEndsEveryPlaceAndComingBackDoesNotRestoreThem() {
        add(org.admin().token(), teamProject, "member", adaId, "owner");
        add(org.admin().token(), otherTeamProject, "member", adaId, "viewer");
        assertThat(api.delete(org.admin().token(), org.api("/members/" + adaId)).status()).isEqualTo(204);
        assertThat(decision(ada, teamProject).path("reason").asText()).isEqualTo("removed");
        assertThat(api.get(org.admin().token(), collaborators(teamProject)).json().path("items")).isEmpty();

        testData.join(org, ada, false);
        assertThat(fixture.membershipId(org, ada)).isEqualTo(adaId);
        assertThat(decision(ada, teamProject).path("reason").asText()).isEqualTo("no-access");
        assertThat(decision(ada, otherTeamProject).path("reason").asText()).isEqualTo("no-access");
        assertThat(fixture.reachableAsAdminSees(org, adaId)).isEmpty();
        assertThat(api.get(org.admin().token(), collaborators(otherTeamProject)).json().path("items")).isEmpty();
    }

    @Test
    void suspensionDeniesOnTheNextRequestAndReactivationRestores() {
        add(org.admin().token(), teamProject, "member", adaId, "editor");
        assertThat(api.post(org.admin().token(), org.api("/members/" + adaId + "/suspend"), null).status())
                .isEqualTo(200);
        assertThat(decision(ada, teamProject).path("reason").asText()).isEqualTo("suspended");
        assertThat(decision(ada, teamProject).path("allowed").asBoolean()).isFalse();
        assertThat(fixture.reachableAsAdminSees(org, adaId)).isEmpty();
        assertThat(api.get(ada.token(), org.api("/me/resources")).status()).isEqualTo(403);
        // A suspended member cannot be made a collaborator either.
        TestApi.Response suspended = add(org.admin().token(), otherTeamProject, "member", adaId, "viewer");
        assertThat(suspended.status()).isEqualTo(409);
        assertThat(suspended.json().path("type").asText()).isEqualTo("urn:roster:problem:member-suspended");

        api.post(org.admin().token(), org.api("/members/" + adaId + "/reactivate"), null);
        assertThat(decision(ada, teamProject).path("reason").asText()).isEqualTo("collaborator");
    }

    @Test
    void theOwnerOfAPersonalResourceManagesItsCollaborators() {
        UUID personal = fixture.resource(org, "project", TestData.unique("ada-own"), "member", adaId);
        TestApi.Response added = add(ada.token(), personal, "member", bobId, "viewer");
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(api.get(ada.token(), collaborators(personal)).status()).isEqualTo(200);
        // Bob, a viewer, can neither raise himself nor add anyone.
        assertRefused(api.patch(bob.token(), collaborators(personal) + "/" + bobId, Map.of("role", "owner")));
        assertRefused(add(bob.token(), personal, "member", adaId, "owner"));
        assertRefused(api.get(bob.token(), collaborators(personal)));
        assertThat(decision(bob, personal).path("role").asText()).isEqualTo("viewer");
        // He may leave.
        assertThat(api.delete(bob.token(), collaborators(personal) + "/" + bobId).status()).isEqualTo(204);
        assertThat(decision(bob, personal).path("reason").asText()).isEqualTo("no-access");
    }

    @Test
    void editorsCannotManageButOwnerCollaboratorsCan() {
        add(org.admin().token(), teamProject, "member", adaId, "editor");
        assertRefused(add(ada.token(), teamProject, "member", bobId, "viewer"));
        assertRefused(api.patch(ada.token(), collaborators(teamProject) + "/" + adaId, Map.of("role", "owner")));
        assertThat(decision(ada, teamProject).path("role").asText()).isEqualTo("editor");

        api.patch(org.admin().token(), collaborators(teamProject) + "/" + adaId, Map.of("role", "owner"));
        assertThat(add(ada.token(), teamProject, "member", bobId, "editor").status()).isEqualTo(201);
        assertThat(api.patch(ada.token(), collaborators(teamProject) + "/" + bobId, Map.of("role", "viewer"))
                .status()).isEqualTo(200);
        assertThat(api.get(ada.token(), collaborators(teamProject)).json().path("items")).hasSize(2);
        // Owning one resource manages nothing else.
        assertRefused(add(ada.token(), otherTeamProject, "member", bobId, "viewer"));
    }

    @Test
    void maintainersManageTheirTeamsResourcesOnly() {
        fixture.addToTeam(org, adaId, team);
        // A plain member of the team does not manage.
        assertRefused(add(ada.token(), teamProject, "member", bobId, "viewer"));

        TestApi.Response maintainer = api.put(org.admin().token(), org.api("/members/" + adaId + "/teams/" + team),
                Map.of("role", "maintainer"));
        assertThat(maintainer.status()).as(maintainer.body()).isEqualTo(200);
        assertThat(maintainer.json().path("teams").get(0).path("role").asText()).isEqualTo("maintainer");

        assertThat(add(ada.token(), teamProject, "member", bobId, "editor").status()).isEqualTo(201);
        assertThat(decision(bob, teamProject).path("reason").asText()).isEqualTo("collaborator");
        // Maintaining team X manages nothing of team Y.
        assertRefused(add(ada.token(), otherTeamProject, "member", bobId, "viewer"));
        assertRefused(api.get(ada.token(), collaborators(otherTeamProject)));
        // A member cannot make themselves a maintainer.
        assertThat(api.put(bob.token(), org.api("/members/" + bobId + "/teams/" + team),
                Map.of("role", "maintainer")).status()).isEqualTo(403);

        // The role ends when an admin sets it back, on the next request.
        api.put(org.admin().token(), org.api("/members/" + adaId + "/teams/" + team), Map.of("role", "member"));
        assertRefused(api.patch(ada.token(), collaborators(teamProject) + "/" + bobId, Map.of("role", "owner")));
        // And with the grant that carried it.
        api.put(org.admin().token(), org.api("/members/" + adaId + "/teams/" + team), Map.of("role", "maintainer"));
        assertThat(api.delete(org.admin().token(), org.api("/members/" + adaId + "/teams/" + team)).status())
                .isEqualTo(200);
        fixture.addToTeam(org, adaId, team);
        assertRefused(api.delete(ada.token(), collaborators(teamProject) + "/" + bobId));
    }

    @Test
    void anotherOrganizationsAdminReachesNothingHere() {
        Org other = testData.org();
        UUID theirs = fixture.resource(other, "project", TestData.unique("theirs"), "organization", null);
        Person carol = testData.member(other, false);
        UUID carolThere = fixture.membershipId(other, carol);

        // Their admin cannot add our member to their resource, by id or by address.
        TestApi.Response byId = add(other, other.admin().token(), theirs, "member", adaId, "owner");
        assertThat(byId.status()).isEqualTo(400);
        assertThat(byId.json().path("errors").has("member")).isTrue();
        TestApi.Response byEmail = add(other, other.admin().token(), theirs, "email", ada.email(), "owner");
        assertThat(byEmail.status()).isEqualTo(400);
        assertThat(byEmail.json().path("type").asText()).isEqualTo("urn:roster:problem:not-a-member");

        // Nor touch our resources' collaborators: our ids are not found over there, nor theirs here.
        add(org.admin().token(), teamProject, "member", adaId, "viewer");
        String oursSeenFromThere = other.api("/resources/" + teamProject + "/collaborators");
        assertThat(api.get(other.admin().token(), oursSeenFromThere).status()).isEqualTo(404);
        assertThat(api.post(other.admin().token(), oursSeenFromThere,
                Map.of("member", carolThere.toString(), "role", "owner")).status()).isEqualTo(404);
        assertThat(api.patch(other.admin().token(), oursSeenFromThere + "/" + adaId, Map.of("role", "owner"))
                .status()).isEqualTo(404);
        assertThat(api.delete(other.admin().token(), oursSeenFromThere + "/" + adaId).status()).isEqualTo(404);
        assertThat(api.get(org.admin().token(), collaborators(theirs)).status()).isEqualTo(404);
        assertThat(decision(ada, teamProject).path("role").asText()).isEqualTo("viewer");

        // A person in both: their membership over there is not a member here.
        testData.join(org, carol, false);
        TestApi.Response foreignMembership = add(org.admin().token(), teamProject, "member", carolThere, "viewer");
        assertThat(foreignMembership.status()).isEqualTo(400);
    }

    @Test
    void collaboratorChangesAndTransfersArePublishedAsResourceAccessChanged() {
        EventFeed feed = EventFeed.follow(api, org);
        add(org.admin().token(), teamProject, "member", adaId, "editor");
        api.patch(org.admin().token(), org.api("/resources/" + teamProject),
                Map.of("owner", Map.of("type", "team", "id", otherTeam.toString())));
        testEvents.sequence();
        // Read through the feed, which keeps the last one as the example in docs/events.md.
        java.util.List<JsonNode> data = feed.ofTypes("resource.access_changed");
        assertThat(data).hasSize(2);
        assertThat(data.get(0).path("data").path("id").asText()).isEqualTo(teamProject.toString());
        assertThat(data.get(0).path("changes").path("collaborator").path("after").asText()).isEqualTo("editor");
        assertThat(data.get(0).path("changes").path("collaborator").path("member").asText())
                .isEqualTo(adaId.toString());
        assertThat(data.get(1).path("changes").path("owner").path("after").path("id").asText())
                .isEqualTo(otherTeam.toString());
    }

    @Test
    void anAdminInvitesAnAddressAndTheInviteeBecomesACollaboratorOnAccepting() {
        String email = TestData.uniqueEmail("newcomer");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("role", "editor");
        body.put("invite", true);

        // Only admins invite people into the organization, also from here.
        UUID personal = fixture.resource(org, "project", TestData.unique("ada-own"), "member", adaId);
        TestApi.Response byOwner = api.post(ada.token(), collaborators(personal), body);
        assertThat(byOwner.status()).isEqualTo(403);
        assertThat(byOwner.json().path("type").asText()).isEqualTo("urn:roster:problem:admin-required");

        TestApi.Response invited = api.post(org.admin().token(), collaborators(teamProject), body);
        assertThat(invited.status()).as(invited.body()).isEqualTo(202);
        assertThat(invited.json().path("status").asText()).isEqualTo("invited");
        assertThat(invited.json().path("role").asText()).isEqualTo("editor");
        JsonNode list = api.get(org.admin().token(), collaborators(teamProject)).json();
        assertThat(list.path("items")).isEmpty();
        assertThat(list.path("invited").get(0).path("email").asText()).isEqualTo(email);

        java.util.regex.Matcher link = java.util.regex.Pattern.compile("token=(inv_[A-Za-z0-9_-]+)")
                .matcher(dev.roster.test.TestMailbox.await(email, 1).get(0).text());
        assertThat(link.find()).isTrue();
        TestApi.Response accepted = api.post(null, "/api/v1/public/invitations/accept",
                Map.of("token", link.group(1), "displayName", "New Comer", "password", TestData.PASSWORD));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        UUID account = UUID.fromString(accepted.json().path("accountId").asText());

        JsonNode decision = fixture.decide(org, account, teamProject);
        assertThat(decision.path("reason").asText()).isEqualTo("collaborator");
        assertThat(decision.path("role").asText()).isEqualTo("editor");
        JsonNode after = api.get(org.admin().token(), collaborators(teamProject)).json();
        assertThat(after.path("items").get(0).path("email").asText()).isEqualTo(email);
        assertThat(after.path("invited")).isEmpty();

        // An address that is already a member's is simply added.
        TestApi.Response member = api.post(org.admin().token(), collaborators(otherTeamProject),
                Map.of("email", bob.email(), "role", "viewer", "invite", true));
        assertThat(member.status()).isEqualTo(201);
    }

    private static void assertRefused(TestApi.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.json().path("type").asText()).isEqualTo("urn:roster:problem:not-resource-manager");
    }
}
