package dev.roster.scim;

import static dev.roster.scim.ScimTestClient.members;
import static dev.roster.scim.ScimTestClient.op;
import static dev.roster.scim.ScimTestClient.patch;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.account.AccountService;
import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.membership.GrantSource;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.MembershipService;
import dev.roster.membership.Team;
import dev.roster.membership.TeamGrant;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.PageQuery;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * Groups become teams through mappings: SCIM grants follow group membership, manual grants are never touched, a
 * mapping made later applies to the group's current members, and a rename keeps a mapping by id or externalId.
 */
@RosterIntegrationTest
class ScimGroupMappingTest {

    private static final Actor SETUP = Actor.system("test setup");

    @Autowired
    TestApi api;

    @Autowired
    TestData data;

    @Autowired
    MemberReads members;

    @Autowired
    MembershipService memberships;

    @Autowired
    TeamService teams;

    @Autowired
    AccountService accounts;

    @Autowired
    AuditLog audit;

    @Test
    void aMappingMadeLaterAppliesToCurrentMembersAndLeavesManualGrantsAlone() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        Team platform = teams.create(scim.org.id(), TestData.unique("Platform"), null, SETUP);
        Team oncall = teams.create(scim.org.id(), TestData.unique("On-call"), null, SETUP);
        String email = TestData.uniqueEmail("engineer");
        String userId = scim.createUser(email);
        UUID membership = membership(scim, email);
        memberships.grantTeam(scim.org.id(), membership, platform.id(), GrantSource.MANUAL, SETUP);
        String groupName = TestData.unique("Platform engineers");
        String groupId = scim.createGroup(groupName, userId);
        // Unmapped groups are kept and grant nothing.
        assertThat(sources(scim, membership, oncall)).isEmpty();

        TestApi.Response mapping = map(scim, "displayName", groupName, List.of(platform.name(), oncall.name()), false);
        assertThat(mapping.json().get("matchedGroups").get(0).asText()).isEqualTo(groupId);
        assertThat(sources(scim, membership, platform)).containsExactlyInAnyOrder(GrantSource.MANUAL, GrantSource.SCIM);
        assertThat(sources(scim, membership, oncall)).containsExactly(GrantSource.SCIM);

        scim.patch("/Groups/" + groupId, patch(op("remove", "members[value eq \"" + userId + "\"]", null)));
        assertThat(sources(scim, membership, platform)).containsExactly(GrantSource.MANUAL);
        assertThat(sources(scim, membership, oncall)).isEmpty();

        scim.patch("/Groups/" + groupId, patch(op("add", "members", members(userId))));
        assertThat(sources(scim, membership, oncall)).containsExactly(GrantSource.SCIM);
        assertThat(api.delete(scim.org.admin().token(), scim.org.api("/scim-directories/" + scim.directoryId
                + "/group-mappings/" + mapping.json().get("id").asText())).status()).isEqualTo(204);
        assertThat(sources(scim, membership, platform)).containsExactly(GrantSource.MANUAL);
        assertThat(sources(scim, membership, oncall)).isEmpty();
    }

    @Test
    void aMemberLeavesATeamOnlyWhenNoMappedGroupOfTheirsStillMapsToIt() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        Team team = teams.create(scim.org.id(), TestData.unique("Sales"), null, SETUP);
        String email = TestData.uniqueEmail("seller");
        String userId = scim.createUser(email);
        String first = scim.createGroup(TestData.unique("Sales EMEA"), userId);
        String second = scim.createGroup(TestData.unique("Sales all"), userId);
        map(scim, "id", first, List.of(team.name()), false);
        map(scim, "id", second, List.of(team.name()), false);
        UUID membership = membership(scim, email);

        scim.patch("/Groups/" + first, patch(op("remove", "members", members(userId))));
        assertThat(sources(scim, membership, team)).containsExactly(GrantSource.SCIM);
        assertThat(scim.delete("/Groups/" + second).status()).isEqualTo(204);
        assertThat(sources(scim, membership, team)).isEmpty();
        var groupEvents = audit.find(scim.org.id(), new AuditQuery(null, null, Channel.SCIM, null, null, null, null),
                PageQuery.of(0, 50)).items().stream().map(e -> e.action()).toList();
        assertThat(groupEvents).contains("scim-group.created", "scim-group.deleted", "team.member-added",
                "team.member-removed");
        // Deleting a mapped team is allowed, and the admin is told which mapping stops granting it.
        assertThat(teams.deletionImpact(scim.org.id(), team.id()).effects()).anyMatch(e -> e.contains(first));
    }

    @Test
    void aRenameKeepsMappingsByIdAndExternalIdWhileADisplayNameMappingFollowsTheName() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        Team byId = teams.create(scim.org.id(), TestData.unique("By id"), null, SETUP);
        Team byExternalId = teams.create(scim.org.id(), TestData.unique("By external id"), null, SETUP);
        Team byName = teams.create(scim.org.id(), TestData.unique("By name"), null, SETUP);
        String email = TestData.uniqueEmail("renamed");
        String userId = scim.createUser(email);
        String oldName = TestData.unique("Old name");
        String groupId = scim.createGroup(oldName, userId);
        String externalId = scim.get("/Groups/" + groupId).json().get("externalId").asText();
        map(scim, "id", groupId, List.of(byId.name()), false);
        map(scim, "externalId", externalId, List.of(byExternalId.name()), false);
        map(scim, "displayName", oldName, List.of(byName.name()), false);
        UUID membership = membership(scim, email);
        assertThat(sources(scim, membership, byName)).containsExactly(GrantSource.SCIM);

        // Okta's rename: a path-less replace whose value repeats the id.
        String newName = TestData.unique("New name");
        assertThat(scim.patch("/Groups/" + groupId, patch(op("replace", null, Map.of("id", groupId, "displayName",
                newName)))).status()).isEqualTo(204);
        assertThat(sources(scim, membership, byId)).containsExactly(GrantSource.SCIM);
        assertThat(sources(scim, membership, byExternalId)).containsExactly(GrantSource.SCIM);
        assertThat(sources(scim, membership, byName)).isEmpty();

        // A group that takes the mapped name is matched from then on.
        scim.createGroup(oldName, userId);
        assertThat(sources(scim, membership, byName)).containsExactly(GrantSource.SCIM);
        var renamed = audit.find(scim.org.id(), new AuditQuery(null, null, Channel.SCIM, "scim-group.renamed", null,
                null, null), PageQuery.of(0, 10));
        assertThat(renamed.items()).hasSize(1);
        assertThat(renamed.items().get(0).after().get("displayName").asText()).isEqualTo(newName);
    }

    @Test
    void anAdminMappingGrantsAdminAndWithdrawsOnlyWhatItGranted() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        String email = TestData.uniqueEmail("admin-by-group");
        String userId = scim.createUser(email);
        TestData.Person manualAdmin = data.member(scim.org, true);
        String manualUserId = scim.createUser(manualAdmin.email());
        String groupId = scim.createGroup(TestData.unique("Roster admins"), userId, manualUserId);
        map(scim, "id", groupId, List.of(), true);
        UUID membership = membership(scim, email);
        assertThat(members.find(scim.org.id(), membership).orElseThrow().admin()).isTrue();

        scim.patch("/Groups/" + groupId, patch(op("Remove", "members", members(userId, manualUserId))));
        assertThat(members.find(scim.org.id(), membership).orElseThrow().admin()).isFalse();
        assertThat(members.findByAccount(scim.org.id(), manualAdmin.id()).orElseThrow().admin()).isTrue();
    }

    @Test
    void mappingsAreValidatedAndAdminOnly() {
        ScimTestClient scim = ScimTestClient.create(api, data, "generic");
        String path = scim.org.api("/scim-directories/" + scim.directoryId + "/group-mappings");
        TestData.Person member = data.member(scim.org, false);
        assertThat(api.post(member.token(), path, Map.of("group", Map.of("by", "id", "value", "x"),
                "teams", List.of())).status()).isEqualTo(403);
        assertThat(api.get(member.token(), path).status()).isEqualTo(403);
        TestApi.Response unknownTeam = api.post(scim.org.admin().token(), path,
                Map.of("group", Map.of("by", "displayName", "value", "G"), "teams", List.of("No such team")));
        assertThat(unknownTeam.status()).isEqualTo(400);
        assertThat(unknownTeam.body()).contains("no such team");
        assertThat(api.post(scim.org.admin().token(), path, Map.of("group", Map.of("by", "name", "value", "G"),
                "teams", List.of())).status()).isEqualTo(400);
        Team team = teams.create(scim.org.id(), TestData.unique("Mapped"), null, SETUP);
        assertThat(api.post(scim.org.admin().token(), path, Map.of("group", Map.of("by", "displayName", "value", "G"),
                "teams", List.of(team.id().toString()))).status()).isEqualTo(201);
        assertThat(api.post(scim.org.admin().token(), path, Map.of("group", Map.of("by", "displayName", "value", "g"),
                "teams", List.of(team.name()))).status()).isEqualTo(409);
        var listed = api.get(scim.org.admin().token(), path);
        assertThat(listed.json().get("total").asInt()).isEqualTo(1);
        assertThat(listed.json().at("/items/0/teams/0/name").asText()).isEqualTo(team.name());
        var created = audit.find(scim.org.id(), new AuditQuery(null, null, Channel.API, "scim-group-mapping.created",
                null, null, null), PageQuery.of(0, 10));
        assertThat(created.items()).hasSize(1);
    }

    private TestApi.Response map(ScimTestClient scim, String by, String value, List<String> teamNames, boolean admin) {
        TestApi.Response mapped = api.post(scim.org.admin().token(),
                scim.org.api("/scim-directories/" + scim.directoryId + "/group-mappings"),
                Map.of("group", Map.of("by", by, "value", value), "teams", teamNames, "admin", admin));
        assertThat(mapped.status()).as(mapped.body()).isEqualTo(201);
        return mapped;
    }

    private UUID membership(ScimTestClient scim, String email) {
        UUID accountId = accounts.findByEmail(email).orElseThrow().id();
        return members.findByAccount(scim.org.id(), accountId).map(Membership::id).orElseThrow();
    }

    private Set<GrantSource> sources(ScimTestClient scim, UUID membership, Team team) {
        return members.teams(scim.org.id(), membership).stream().filter(g -> g.teamId().equals(team.id())).findFirst()
                .map(TeamGrant::sources).orElse(Set.of());
    }
}
