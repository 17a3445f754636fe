package dev.roster.scim;

import static dev.roster.scim.ScimTestClient.encode;
import static dev.roster.scim.ScimTestClient.members;
import static dev.roster.scim.ScimTestClient.op;
import static dev.roster.scim.ScimTestClient.patch;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.PageQuery;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/** Parallel PATCHes on one group lose no member; a large group is changed in one PATCH and read without members. */
@RosterIntegrationTest
class ScimConcurrencyAndScaleTest {

    @Autowired
    TestApi api;

    @Autowired
    TestData data;

    @Autowired
    TeamService teams;

    @Autowired
    AuditLog audit;

    @Autowired
    JdbcClient jdbc;

    @Test
    void parallelPatchesOnOneGroupLoseNoMember() throws Exception {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        Team team = teams.create(scim.org.id(), TestData.unique("Parallel"), null, Actor.system("test setup"));
        int count = 24;
        List<String> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            users.add(scim.createUser(TestData.uniqueEmail("parallel" + i)));
        }
        String group = scim.createGroup(TestData.unique("Parallel group"));
        api.post(scim.org.admin().token(), scim.org.api("/scim-directories/" + scim.directoryId + "/group-mappings"),
                Map.of("group", Map.of("by", "id", "value", group), "teams", List.of(team.name())));
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Callable<Integer>> patches = new ArrayList<>();
            for (String user : users) {
                patches.add(() -> scim.patch("/Groups/" + group, patch(op("Add", "members", members(user)))).status());
            }
            for (Future<Integer> result : pool.invokeAll(patches, 2, TimeUnit.MINUTES)) {
                assertThat(result.get()).isEqualTo(204);
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(scim.get("/Groups/" + group).json().get("members")).hasSize(count);
        long granted = jdbc.sql("SELECT COUNT(*) FROM team_membership WHERE organization_id = ? AND team_id = ? AND source = 'SCIM'")
                .params(scim.org.id(), team.id()).query(Long.class).single();
        assertThat(granted).isEqualTo(count);
    }

    @Test
    void aLargeGroupIsFilledInOnePatchAndReadWithoutItsMembers() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        Team team = teams.create(scim.org.id(), TestData.unique("Everyone"), null, Actor.system("test setup"));
        int count = 300;
        List<String> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            users.add(scim.createUser(TestData.uniqueEmail("bulk" + i)));
        }
        String name = TestData.unique("Everyone group");
        String group = scim.createGroup(name);
        api.post(scim.org.admin().token(), scim.org.api("/scim-directories/" + scim.directoryId + "/group-mappings"),
                Map.of("group", Map.of("by", "displayName", "value", name), "teams", List.of(team.name())));
        assertThat(scim.patch("/Groups/" + group, patch(op("add", "members", members(users.toArray(String[]::new)))))
                .status()).isEqualTo(204);

        ScimTestClient.Response withoutMembers = scim.get("/Groups/" + group + "?excludedAttributes=members");
        assertThat(withoutMembers.json().has("members")).isFalse();
        assertThat(withoutMembers.json().get("displayName").asText()).isEqualTo(name);
        assertThat(scim.get("/Groups/" + group).json().get("members")).hasSize(count);
        assertThat(scim.get("/Groups?filter=" + encode("members eq \"" + users.get(count - 1) + "\"")
                + "&excludedAttributes=members").json().get("totalResults").asInt()).isEqualTo(1);
        long granted = jdbc.sql("SELECT COUNT(*) FROM team_membership WHERE organization_id = ? AND team_id = ? AND source = 'SCIM'")
                .params(scim.org.id(), team.id()).query(Long.class).single();
        assertThat(granted).isEqualTo(count);
        // The batch is one audit entry naming every member, not one entry per member.
        var entries = audit.find(scim.org.id(), new AuditQuery(null, null, Channel.SCIM, "team.members-added", null,
                null, null), PageQuery.of(0, 10));
        assertThat(entries.items()).hasSize(1);
        assertThat(entries.items().get(0).after().get("count").asInt()).isEqualTo(count);

        assertThat(scim.patch("/Groups/" + group, patch(op("replace", "members", List.of()))).status()).isEqualTo(204);
        long left = jdbc.sql("SELECT COUNT(*) FROM team_membership WHERE organization_id = ? AND team_id = ?")
                .params(scim.org.id(), team.id()).query(Long.class).single();
        assertThat(left).isZero();
    }
}
