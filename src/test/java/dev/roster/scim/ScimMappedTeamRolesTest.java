package dev.roster.scim;

import static dev.roster.scim.ScimTestClient.members;
import static dev.roster.scim.ScimTestClient.op;
import static dev.roster.scim.ScimTestClient.patch;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.account.AccountService;
import dev.roster.membership.MemberReads;
import dev.roster.membership.Membership;
import dev.roster.membership.Team;
import dev.roster.membership.TeamGrant;
import dev.roster.membership.TeamRole;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.test.EventFeed;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;

/**
 * Group mappings carry a team role: a directory group mapped as maintainer makes its members maintainers of the
 * team, several mappings of one team give the highest of their roles, a directory lowers only what it gave (an admin's
 * maintainer stays one), and another organization's directory names none of this organization's teams.
 */
@RosterIntegrationTest
class ScimMappedTeamRolesTest {

    private static final Actor SETUP = Actor.system("test setup");

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    MemberReads members;
    @Autowired
    TeamService teams;
    @Autowired
    AccountService accounts;

    @Test
    void aScimPatchIntoAGroupMappedAsMaintainerMakesTheMemberAMaintainer() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        Team platform = teams.create(scim.org.id(), TestData.unique("Platform"), null, SETUP);
        String email = TestData.uniqueEmail("lead");
        String userId = scim.createUser(email);
        String leads = scim.createGroup(TestData.unique("Platform leads"));
        TestApi.Response mapping = map(scim, leads, platform, "maintainer");
        assertThat(mapping.json().path("role").asText()).isEqualTo("maintainer");
        UUID member = membership(scim, email);
        assertThat(role(scim, member, platform)).isEmpty();

        try (EventFeed feed = EventFeed.follow(api, scim.org)) {
            assertThat(scim.patch("/Groups/" + leads, patch(op("add", "members", members(userId)))).status())
                    .isEqualTo(204);
            // What the admin API shows: in the team, as a maintainer, through SCIM.
            JsonNode shown = api.get(scim.org.admin().token(), scim.org.api("/members/" + member)).json();
            JsonNode place = shown.path("teams").get(0);
            assertThat(place.path("name").asText()).isEqualTo(platform.name());
            assertThat(place.path("role").asText()).isEqualTo("maintainer");
            assertThat(place.path("sources")).extracting(JsonNode::asText).containsExactly("scim");
            JsonNode changed = feed.await(events -> EventFeed.about(events, member.toString()).stream()
                    .anyMatch(e -> e.path("type").asText().equals("member.teams_changed")), "member.teams_changed")
                    .stream().filter(e -> e.path("type").asText().equals("member.teams_changed")
                            && e.path("data").path("id").asText().equals(member.toString())).findFirst().orElseThrow();
            assertThat(changed.path("changes").path("gained").get(0).path("name").asText()).isEqualTo(platform.name());
            assertThat(changed.path("data").path("teams").get(0).path("role").asText()).isEqualTo("maintainer");
        }

        // Changing the mapping's role applies to the group's members at once.
        TestApi.Response lowered = api.patch(scim.org.admin().token(), mappingPath(scim, mapping), Map.of("role",
                "member"));
        assertThat(lowered.status()).as(lowered.body()).isEqualTo(200);
        assertThat(lowered.json().path("role").asText()).isEqualTo("member");
        assertThat(role(scim, member, platform)).contains(TeamRole.MEMBER);
        assertThat(api.patch(scim.org.admin().token(), mappingPath(scim, mapping), Map.of("role", "owner")).status())
                .isEqualTo(400);
    }

    @Test
    void theHighestRoleWinsAndTheDirectoryNeverLowersAnAdminsMaintainer() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        Team analytics = teams.create(scim.org.id(), TestData.unique("Data"), null, SETUP);
        String email = TestData.uniqueEmail("analyst");
        String userId = scim.createUser(email);
        String everyone = scim.createGroup(TestData.unique("Data all"), userId);
        String leads = scim.createGroup(TestData.unique("Data leads"), userId);
        map(scim, everyone, analytics, "member");
        map(scim, leads, analytics, "maintainer");
        UUID member = membership(scim, email);
        assertThat(role(scim, member, analytics)).contains(TeamRole.MAINTAINER);

        // Out of the maintainer group: the member group still puts them in the team, as a member. Hosts are told.
        try (EventFeed feed = EventFeed.follow(api, scim.org)) {
            scim.patch("/Groups/" + leads, patch(op("remove", "members", members(userId))));
            assertThat(role(scim, member, analytics)).contains(TeamRole.MEMBER);
            JsonNode lowered = roleChange(feed, member, "scim", "member");
            assertThat(lowered.path("changes").path("source").asText()).isEqualTo("scim");
            assertThat(lowered.path("changes").path("gained")).isEmpty();
            assertThat(lowered.path("changes").path("lost")).isEmpty();
            assertThat(lowered.path("changes").path("roles")).hasSize(1);
            JsonNode change = lowered.path("changes").path("roles").get(0);
            assertThat(change.path("id").asText()).isEqualTo(analytics.id().toString());
            assertThat(change.path("name").asText()).isEqualTo(analytics.name());
            assertThat(change.path("from").asText()).isEqualTo("maintainer");
            assertThat(change.path("to").asText()).isEqualTo("member");
            assertThat(lowered.path("data").path("teams").get(0).path("role").asText()).isEqualTo("member");
        }

        // An admin makes them a maintainer by hand; the directory's groups then neither lower nor remove it.
        try (EventFeed feed = EventFeed.follow(api, scim.org)) {
            TestApi.Response manual = api.put(scim.org.admin().token(), scim.org.api("/members/" + member + "/teams/"
                    + analytics.id()), Map.of("role", "maintainer"));
            assertThat(manual.status()).as(manual.body()).isEqualTo(200);
            JsonNode raised = roleChange(feed, member, "manual", "maintainer");
            assertThat(raised.path("changes").path("source").asText()).isEqualTo("manual");
            assertThat(raised.path("changes").path("roles").get(0).path("to").asText()).isEqualTo("maintainer");
            assertThat(raised.path("data")).isEqualTo(manual.json());
        }
        scim.patch("/Groups/" + leads, patch(op("add", "members", members(userId))));
        scim.patch("/Groups/" + leads, patch(op("remove", "members", members(userId))));
        assertThat(role(scim, member, analytics)).contains(TeamRole.MAINTAINER);
        scim.patch("/Groups/" + everyone, patch(op("remove", "members", members(userId))));
        assertThat(role(scim, member, analytics)).contains(TeamRole.MAINTAINER);
        JsonNode place = api.get(scim.org.admin().token(), scim.org.api("/members/" + member)).json()
                .path("teams").get(0);
        assertThat(place.path("sources")).extracting(JsonNode::asText).containsExactly("manual");
        assertThat(place.path("role").asText()).isEqualTo("maintainer");
    }

    @Test
    void theDirectoryPageShowsEachMappingsRoleAndChangesIt() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        Team support = teams.create(scim.org.id(), TestData.unique("Support"), null, SETUP);
        String email = TestData.uniqueEmail("agent");
        String userId = scim.createUser(email);
        String group = scim.createGroup(TestData.unique("Support leads"), userId);
        TestSession admin = new TestSession(api.baseUrl());
        admin.signIn(scim.org.admin().email(), TestData.PASSWORD);
        String page = "/orgs/" + scim.org.slug() + "/manage/provisioning/directories/" + scim.directoryId;

        // Mapped through the page's form, as maintainers, after the preview.
        TestSession.Page created = admin.submit(page, page + "/mappings", Map.of("by", "id", "value", group,
                "teams", support.id().toString(), "role", "maintainer", "confirmed", "yes"));
        assertThat(created.status()).as(created.body()).isEqualTo(302);
        UUID member = membership(scim, email);
        assertThat(role(scim, member, support)).contains(TeamRole.MAINTAINER);
        String shown = admin.get(page).body();
        assertThat(shown).contains("Team role").contains("<option value=\"maintainer\" selected=\"selected\">");

        // The table's role select changes it at once.
        String mappingId = api.get(scim.org.admin().token(), scim.org.api("/scim-directories/" + scim.directoryId
                + "/group-mappings")).json().path("items").get(0).path("id").asText();
        TestSession.Page changed = admin.submit(page, page + "/mappings/" + mappingId + "/role",
                Map.of("role", "member"));
        assertThat(changed.status()).isEqualTo(302);
        assertThat(role(scim, member, support)).contains(TeamRole.MEMBER);
        assertThat(admin.get(page).body()).contains("The mapping now gives the role member in " + support.name());
    }

    @Test
    void anotherOrganizationsDirectoryCannotGiveRolesInThisOrganizationsTeams() {
        ScimTestClient victim = ScimTestClient.create(api, data, "entra");
        ScimTestClient attacker = ScimTestClient.create(api, data, "entra");
        Team platform = teams.create(victim.org.id(), TestData.unique("Platform"), null, SETUP);
        String email = TestData.uniqueEmail("victim");
        String userId = victim.createUser(email);
        String group = victim.createGroup(TestData.unique("Platform"), userId);
        TestApi.Response victimMapping = map(victim, group, platform, "member");
        UUID member = membership(victim, email);
        assertThat(role(victim, member, platform)).contains(TeamRole.MEMBER);

        // The attacker's admin names the victim's team, by id and by name, in a maintainer mapping of their own.
        String attackerMappings = attacker.org.api("/scim-directories/" + attacker.directoryId + "/group-mappings");
        String attackerGroup = attacker.createGroup(TestData.unique("Platform"));
        for (String ref : List.of(platform.id().toString(), platform.name())) {
            TestApi.Response refused = api.post(attacker.org.admin().token(), attackerMappings, Map.of("group",
                    Map.of("by", "id", "value", attackerGroup), "teams", List.of(ref), "role", "maintainer"));
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        }
        // Nor can they change the victim's mapping, through their own directory or the victim's.
        String viaOwnDirectory = attackerMappings + "/" + victimMapping.json().path("id").asText();
        assertThat(api.patch(attacker.org.admin().token(), viaOwnDirectory, Map.of("role", "maintainer")).status())
                .isEqualTo(404);
        String viaVictimsPath = victim.org.api("/scim-directories/" + victim.directoryId + "/group-mappings/"
                + victimMapping.json().path("id").asText());
        assertThat(api.patch(attacker.org.admin().token(), viaVictimsPath, Map.of("role", "maintainer")).status())
                .isIn(403, 404);
        // Nor can the attacker's directory token reach the victim's group.
        assertThat(attacker.patch("/Groups/" + group, patch(op("add", "members", members(userId)))).status())
                .isEqualTo(404);
        assertThat(role(victim, member, platform)).contains(TeamRole.MEMBER);
    }

    /**
     * The member's last {@code member.teams_changed} from {@code source} whose role change ends in {@code to}, once
     * it is published.
     */
    private static JsonNode roleChange(EventFeed feed, UUID member, String source, String to) {
        List<JsonNode> changes = EventFeed.about(feed.await(events -> EventFeed.about(events, member.toString())
                        .stream().anyMatch(e -> isRoleChange(e, source, to)), "a role change to " + to),
                member.toString()).stream().filter(e -> isRoleChange(e, source, to)).toList();
        return changes.get(changes.size() - 1);
    }

    private static boolean isRoleChange(JsonNode event, String source, String to) {
        return event.path("type").asText().equals("member.teams_changed")
                && event.path("changes").path("source").asText().equals(source)
                && event.path("changes").path("roles").path(0).path("to").asText().equals(to);
    }

    private TestApi.Response map(ScimTestClient scim, String groupId, Team team, String role) {
        TestApi.Response mapped = api.post(scim.org.admin().token(),
                scim.org.api("/scim-directories/" + scim.directoryId + "/group-mappings"),
                Map.of("group", Map.of("by", "id", "value", groupId), "teams", List.of(team.name()), "role", role));
        assertThat(mapped.status()).as(mapped.body()).isEqualTo(201);
        return mapped;
    }

    private static String mappingPath(ScimTestClient scim, TestApi.Response mapping) {
        return scim.org.api("/scim-directories/" + scim.directoryId + "/group-mappings/"
                + mapping.json().path("id").asText());
    }

    private UUID membership(ScimTestClient scim, String email) {
        UUID accountId = accounts.findByEmail(email).orElseThrow().id();
        return members.findByAccount(scim.org.id(), accountId).map(Membership::id).orElseThrow();
    }

    private Optional<TeamRole> role(ScimTestClient scim, UUID membership, Team team) {
        return members.teams(scim.org.id(), membership).stream().filter(g -> g.teamId().equals(team.id()))
                .findFirst().map(TeamGrant::role);
    }
}
