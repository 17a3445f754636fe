package dev.roster.resource;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.shared.PageQuery;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestData.Org;
import dev.roster.test.TestData.Person;

@RosterIntegrationTest
class ResourcesApiTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData testData;
    @Autowired
    AuditLog audit;

    AccessFixture fixture;
    Org org;

    @BeforeEach
    void setUp() {
        fixture = new AccessFixture(api);
        org = testData.org();
    }

    private String admin() {
        return org.admin().token();
    }

    @Test
    void adminsCreateResourcesForEveryKindOfOwner() {
        UUID team = fixture.team(org, "Data");
        Person member = testData.member(org, false);
        UUID memberId = fixture.membershipId(org, member);

        TestApi.Response shared = api.post(admin(), org.api("/resources"),
                Map.of("kind", "project", "name", " Website ", "owner", Map.of("type", "organization")));
        assertThat(shared.status()).isEqualTo(201);
        assertThat(shared.header("Location")).endsWith("/resources/" + shared.json().path("id").asText());
        assertThat(shared.json().path("kind").asText()).isEqualTo("project");
        assertThat(shared.json().path("name").asText()).isEqualTo("Website");
        assertThat(shared.json().path("owner").path("type").asText()).isEqualTo("organization");
        assertThat(shared.json().path("owner").path("id").asText()).isEqualTo(org.id().toString());
        assertThat(shared.json().path("owner").path("name").asText()).isEqualTo(org.organization().name());

        TestApi.Response teamOwned = api.post(admin(), org.api("/resources"),
                Map.of("kind", "data-store", "name", "Orders", "owner", Map.of("type", "team", "id", team)));
        assertThat(teamOwned.json().path("kind").asText()).isEqualTo("data-store");
        assertThat(teamOwned.json().path("owner").path("name").asText()).isEqualTo("Data");

        TestApi.Response personal = api.post(admin(), org.api("/resources"),
                Map.of("kind", "ENVIRONMENT", "name", "Sandbox", "owner", Map.of("type", "MEMBER", "id", memberId)));
        assertThat(personal.json().path("owner").path("type").asText()).isEqualTo("member");
        assertThat(personal.json().path("owner").path("name").asText()).isEqualTo(member.email());

        TestApi.Response page = api.get(admin(), org.api("/resources"));
        assertThat(page.json().path("total").asLong()).isEqualTo(3);
        assertThat(names(api.get(admin(), org.api("/resources?kind=data_store")))).containsExactly("Orders");
        assertThat(names(api.get(admin(), org.api("/resources?owner=member")))).containsExactly("Sandbox");
        assertThat(names(api.get(admin(), org.api("/resources?team=" + team)))).containsExactly("Orders");
        assertThat(names(api.get(admin(), org.api("/resources?member=" + memberId)))).containsExactly("Sandbox");
        assertThat(names(api.get(admin(), org.api("/resources?search=SITE")))).containsExactly("Website");
        assertThat(names(api.get(admin(), org.api("/resources?size=1&page=2")))).hasSize(1);

        JsonNode fetched = api.get(admin(), org.api("/resources/" + teamOwned.json().path("id").asText())).json();
        assertThat(fetched.path("name").asText()).isEqualTo("Orders");
        assertThat(actions()).contains("resource.created");
    }

    @Test
    void namesAreUniquePerKindIgnoringCase() {
        fixture.resource(org, "project", "Billing", "organization", null);
        TestApi.Response duplicate = api.post(admin(), org.api("/resources"),
                Map.of("kind", "project", "name", "BILLING", "owner", Map.of("type", "organization")));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.json().path("type").asText()).isEqualTo("urn:roster:problem:resource-exists");
        assertThat(api.post(admin(), org.api("/resources"),
                Map.of("kind", "environment", "name", "Billing", "owner", Map.of("type", "organization"))).status())
                .isEqualTo(201);
    }

    @Test
    void rejectsInvalidResources() {
        UUID team = fixture.team(org, "Valid");
        List<Object> bodies = List.of(
                Map.of("name", "x", "owner", Map.of("type", "organization")),
                Map.of("kind", "spaceship", "name", "x", "owner", Map.of("type", "organization")),
                Map.of("kind", "project", "owner", Map.of("type", "organization")),
                Map.of("kind", "project", "name", "x".repeat(201), "owner", Map.of("type", "organization")),
                Map.of("kind", "project", "name", "x"),
                Map.of("kind", "project", "name", "x", "owner", Map.of("type", "galaxy")),
                Map.of("kind", "project", "name", "x", "owner", Map.of()),
                Map.of("kind", "project", "name", "x", "owner", Map.of("type", "team")),
                Map.of("kind", "project", "name", "x", "owner", Map.of("type", "team", "id", "not-an-id")),
                Map.of("kind", "project", "name", "x", "owner", Map.of("type", "team", "id", UUID.randomUUID())),
                Map.of("kind", "project", "name", "x", "owner", Map.of("type", "member", "id", team)),
                Map.of("kind", "project", "name", "x", "owner",
                        Map.of("type", "organization", "id", UUID.randomUUID())));
        for (Object body : bodies) {
            TestApi.Response refused = api.post(admin(), org.api("/resources"), body);
            assertThat(refused.status()).as(body + " → " + refused.body()).isEqualTo(400);
            assertThat(refused.json().path("errors").size()).as(refused.body()).isPositive();
        }
        assertThat(api.get(admin(), org.api("/resources")).json().path("total").asLong()).isZero();
        assertThat(api.get(admin(), org.api("/resources?kind=galaxy")).status()).isEqualTo(400);
        assertThat(api.get(admin(), org.api("/resources?owner=nobody")).status()).isEqualTo(400);
        assertThat(api.post(admin(), org.api("/resources"), "{\"kind\": \"project\", \"name\": \""
                + "x".repeat(1_100_000) + "\"}").status()).isEqualTo(413);
    }

    @Test
    void renamesAndTransfersOwnership() {
        UUID team = fixture.team(org, "Movers");
        Person member = testData.member(org, false);
        UUID memberId = fixture.membershipId(org, member);
        UUID resource = fixture.resource(org, "project", "Crate", "team", team);
        fixture.resource(org, "project", "Taken", "organization", null);

        TestApi.Response renamed = api.patch(admin(), org.api("/resources/" + resource), Map.of("name", "Box"));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().path("name").asText()).isEqualTo("Box");
        assertThat(renamed.json().path("owner").path("name").asText()).isEqualTo("Movers");

        assertThat(fixture.decide(org, member.id(), resource).path("allowed").asBoolean()).isFalse();
        TestApi.Response transferred = api.patch(admin(), org.api("/resources/" + resource),
                Map.of("owner", Map.of("type", "member", "id", memberId)));
        assertThat(transferred.json().path("owner").path("type").asText()).isEqualTo("member");
        assertThat(transferred.json().path("owner").path("id").asText()).isEqualTo(memberId.toString());
        assertThat(fixture.decide(org, member.id(), resource).path("reason").asText()).isEqualTo("personal");

        assertThat(api.patch(admin(), org.api("/resources/" + resource), Map.of("name", "taken")).status())
                .isEqualTo(409);
        assertThat(api.patch(admin(), org.api("/resources/" + resource),
                Map.of("owner", Map.of("type", "team", "id", UUID.randomUUID()))).status()).isEqualTo(400);
        assertThat(api.patch(admin(), org.api("/resources/" + resource), Map.of("name", "")).status())
                .isEqualTo(400);
        assertThat(actions()).contains("resource.renamed", "resource.transferred");
    }

    @Test
    void aRemovedMemberCannotBeGivenResourcesButKeepsWhatTheyOwnedForAdmins() {
        Person member = testData.member(org, false);
        UUID memberId = fixture.membershipId(org, member);
        UUID personal = fixture.resource(org, "environment", "Scratch", "member", memberId);
        api.delete(admin(), org.api("/members/" + memberId));

        assertThat(api.get(admin(), org.api("/resources/" + personal)).json().path("owner").path("name").asText())
                .isEqualTo(member.email());
        assertThat(api.post(admin(), org.api("/resources"), Map.of("kind", "project", "name", "Gift",
                "owner", Map.of("type", "member", "id", memberId))).status()).isEqualTo(400);
        assertThat(api.patch(admin(), org.api("/resources/" + personal),
                Map.of("owner", Map.of("type", "organization"))).status()).isEqualTo(200);
    }

    @Test
    void deletesResources() {
        UUID resource = fixture.sharedResource(org);
        assertThat(api.delete(admin(), org.api("/resources/" + resource)).status()).isEqualTo(204);
        assertThat(api.get(admin(), org.api("/resources/" + resource)).status()).isEqualTo(404);
        assertThat(api.delete(admin(), org.api("/resources/" + resource)).status()).isEqualTo(404);
        assertThat(fixture.decision(org, admin(), org.admin().id(), resource).status()).isEqualTo(404);
        assertThat(actions()).contains("resource.deleted");
    }

    @Test
    void membersCreateAndDeleteOnlyTheirOwnPersonalResources() {
        Person member = testData.member(org, false);
        Person other = testData.member(org, false);
        UUID memberId = fixture.membershipId(org, member);

        TestApi.Response created = api.post(member.token(), org.api("/me/resources"),
                Map.of("kind", "environment", "name", "My sandbox", "owner", Map.of("type", "organization")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("owner").path("type").asText())
                .as("the owner is always the caller, whatever the body says").isEqualTo("member");
        assertThat(created.json().path("owner").path("id").asText()).isEqualTo(memberId.toString());
        UUID mine = UUID.fromString(created.json().path("id").asText());
        assertThat(AccessFixture.reasons(api.get(member.token(), org.api("/me/resources"))))
                .containsEntry(mine, "personal");
        assertThat(fixture.decision(org, other.token(), other.id(), mine).json().path("allowed").asBoolean())
                .isFalse();

        UUID shared = fixture.sharedResource(org);
        TestApi.Response notMine = api.delete(member.token(), org.api("/me/resources/" + shared));
        assertThat(notMine.status()).isEqualTo(403);
        assertThat(notMine.json().path("type").asText()).isEqualTo("urn:roster:problem:not-your-resource");
        assertThat(api.delete(other.token(), org.api("/me/resources/" + mine)).status()).isEqualTo(403);
        assertThat(api.delete(member.token(), org.api("/me/resources/" + UUID.randomUUID())).status())
                .isEqualTo(404);

        assertThat(api.delete(member.token(), org.api("/me/resources/" + mine)).status()).isEqualTo(204);
        assertThat(api.get(admin(), org.api("/resources/" + shared)).status()).isEqualTo(200);
        assertThat(api.post(member.token(), org.api("/me/resources"), Map.of("kind", "rocket", "name", "x"))
                .status()).isEqualTo(400);
        // Members reach the admin API for resources nowhere.
        assertThat(api.post(member.token(), org.api("/resources"), Map.of("kind", "project", "name", "x",
                "owner", Map.of("type", "organization"))).status()).isEqualTo(403);
    }

    @Test
    void malformedAndUnknownResourceIdsAreClientErrors() {
        for (String path : List.of("/resources/oops", "/resources/" + UUID.randomUUID() + "0",
                "/me/resources/123")) {
            TestApi.Response response = path.startsWith("/me") ? api.delete(admin(), org.api(path))
                    : api.get(admin(), org.api(path));
            assertThat(response.status()).as(path).isEqualTo(400);
        }
        UUID unknown = UUID.randomUUID();
        assertThat(api.get(admin(), org.api("/resources/" + unknown)).status()).isEqualTo(404);
        assertThat(api.patch(admin(), org.api("/resources/" + unknown), Map.of("name", "x")).status()).isEqualTo(404);
        assertThat(api.delete(admin(), org.api("/resources/" + unknown)).status()).isEqualTo(404);
    }

    private List<String> actions() {
        return audit.find(org.id(), new AuditQuery(null, null, null, null, null, null, null), PageQuery.of(0, 200))
                .items().stream().map(e -> e.action()).toList();
    }

    private static List<String> names(TestApi.Response page) {
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        List<String> names = new java.util.ArrayList<>();
        page.json().path("items").forEach(item -> names.add(item.path("name").asText()));
        return names;
    }
}
