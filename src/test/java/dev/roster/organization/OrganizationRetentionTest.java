package dev.roster.organization;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.roster.resource.AccessFixture;
import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * A deleted organization is kept for roster.orgs.retention (30 days), restorable and with its slug reserved; then
 * one sweep at a time purges every row of it in every table, and the slug is free again. The test clock moves.
 */
@RosterIntegrationTest
class OrganizationRetentionTest {

    static final String OPERATOR = "test-operator-token-0123456789abcdef-never-in-production";

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    MutableClock clock;
    @Autowired
    OrganizationPurge purge;
    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private void revokeInvitations(TestData.Org org) {
        TestApi.Response pending = api.get(org.admin().token(), org.api("/invitations?status=pending"));
        assertThat(pending.status()).as(pending.body()).isEqualTo(200);
        pending.json().path("items").forEach(invitation -> assertThat(api.post(org.admin().token(),
                org.api("/invitations/" + invitation.path("id").asText() + "/revoke"), null).status())
                .isIn(200, 204));
        assertThat(api.get(org.admin().token(), org.api("/invitations?status=pending")).json().path("items"))
                .isEmpty();
    }

    @Test
    void afterTheRetentionPeriodEveryRowOfTheOrganizationIsPurgedAndTheSlugIsFree() {
        TestData.Org org = data.org();
        TestData.Org neighbour = data.org();
        populate(org);
        populate(neighbour);
        // The neighbour's pending invitation would expire during the 30 days the clock moves, and the scheduled
        // expiry sweep would add an invitation.expired event at a moment of its own: revoked, it stays as it is.
        revokeInvitations(neighbour);
        Map<String, Long> neighbourRows = rows(neighbour.id());
        assertThat(rows(org.id()).values().stream().mapToLong(Long::longValue).sum()).isGreaterThan(10);
        assertThat(api.delete(OPERATOR, "/api/v1/orgs/" + org.slug()).status()).isEqualTo(200);

        clock.advance(Duration.ofDays(29));
        assertThat(purge.sweep().purged()).doesNotContain(org.id());
        assertThat(rows(org.id()).values().stream().mapToLong(Long::longValue).sum()).isGreaterThan(10);

        clock.advance(Duration.ofDays(1).plusMinutes(1));
        TestApi.Response late = api.post(OPERATOR, "/api/v1/orgs/" + org.slug() + "/restore", null);
        assertThat(late.status()).as("past the retention period, even before the sweep").isEqualTo(409);
        assertThat(late.json().path("type").asText()).isEqualTo("urn:roster:problem:retention-ended");

        OrganizationPurge.Sweep sweep = purge.sweep();

        assertThat(sweep.ran()).isTrue();
        assertThat(sweep.purged()).contains(org.id());
        assertThat(rows(org.id())).allSatisfy((table, count) -> assertThat(count).as(table).isZero());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM organization WHERE id = ?").param(org.id()).query(Long.class)
                .single()).isZero();
        assertThat(rows(neighbour.id())).as("another organization keeps everything").isEqualTo(neighbourRows);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM account WHERE id = ?").param(org.admin().id()).query(Long.class)
                .single()).as("accounts are people's own").isEqualTo(1);
        assertThat(api.post(OPERATOR, "/api/v1/orgs/" + org.slug() + "/restore", null).status()).isEqualTo(404);

        TestApi.Response reused = api.post(OPERATOR, "/api/v1/orgs", Map.of("slug", org.slug(), "name", "Second life",
                "adminEmail", TestData.uniqueEmail("second")));
        assertThat(reused.status()).as(reused.body()).isEqualTo(201);
    }

    @Test
    void theSweepRunsOnOneInstanceAtATime() {
        TestData.Org org = data.org();
        assertThat(api.delete(OPERATOR, "/api/v1/orgs/" + org.slug()).status()).isEqualTo(200);
        clock.advance(Duration.ofDays(31));
        Instant now = clock.instant();
        jdbc.sql("UPDATE organization_sweep SET claimed_by = 'another-instance', claimed_until = ? WHERE id = 1")
                .param(Timestamp.from(now.plus(Duration.ofMinutes(5)))).update();
        try {
            OrganizationPurge.Sweep held = purge.sweep();
            assertThat(held.ran()).isFalse();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM organization WHERE id = ?").param(org.id()).query(Long.class)
                    .single()).isEqualTo(1);

            clock.advance(Duration.ofMinutes(6));
            OrganizationPurge.Sweep after = purge.sweep();
            assertThat(after.ran()).as("the other instance's claim ran out").isTrue();
            assertThat(after.purged()).contains(org.id());
        }
        finally {
            jdbc.sql("UPDATE organization_sweep SET claimed_by = NULL, claimed_until = NULL WHERE id = 1").update();
        }
    }

    @Test
    void everyTableWithAnOrganizationIsPurgedChildrenFirst() {
        List<String> tables = purge.tablesChildrenFirst().stream().map(t -> t.name().toLowerCase()).toList();
        assertThat(tables).contains("membership", "team", "team_membership", "audit_event", "scim_directory",
                "scim_token", "sso_connection", "invitation");
        assertThat(tables.indexOf("team_membership")).isLessThan(tables.indexOf("team"));
        assertThat(tables.indexOf("resource")).isLessThan(tables.indexOf("membership"));
        assertThat(tables.indexOf("scim_user")).isLessThan(tables.indexOf("scim_directory"));
    }

    /** Teams, members in teams, resources, an invitation, a SCIM directory with a user and a group, audit entries. */
    private void populate(TestData.Org org) {
        AccessFixture fixture = new AccessFixture(api);
        TestData.Person member = data.member(org, false);
        UUID team = fixture.team(org, TestData.unique("team"));
        fixture.addToTeam(org, fixture.membershipId(org, member), team);
        fixture.resource(org, "project", TestData.unique("team-project"), "team", team);
        fixture.sharedResource(org);
        assertThat(api.post(org.admin().token(), org.api("/invitations"),
                Map.of("emails", List.of(TestData.uniqueEmail("invitee")))).status()).isEqualTo(200);
        TestApi.Response directory = api.post(org.admin().token(), org.api("/scim-directories"),
                Map.of("name", "Directory", "kind", "entra"));
        String token = directory.json().path("token").asText();
        String email = TestData.uniqueEmail("scim");
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"));
        user.put("userName", email);
        user.put("active", true);
        user.put("emails", List.of(Map.of("value", email, "type", "work", "primary", true)));
        TestApi.Response created = api.send(token, "POST", "/scim/v2/Users", user,
                Map.of("Content-Type", "application/scim+json"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        TestApi.Response group = api.send(token, "POST", "/scim/v2/Groups", Map.of(
                "schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:Group"), "displayName", "Engineers",
                "members", List.of(Map.of("value", created.json().path("id").asText()))),
                Map.of("Content-Type", "application/scim+json"));
        assertThat(group.status()).as(group.body()).isEqualTo(201);
    }

    /** Rows naming the organization, per table that has an organization_id. */
    private Map<String, Long> rows(UUID organizationId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (OrganizationPurge.Table table : purge.tablesChildrenFirst()) {
            counts.put(table.name(), jdbc.sql("SELECT COUNT(*) FROM " + table.name() + " WHERE organization_id = ?")
                    .param(organizationId).query(Long.class).single());
        }
        return counts;
    }
}
