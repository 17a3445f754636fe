package dev.roster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.resource.AccessFixture;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestData.Org;
import dev.roster.test.TestData.Person;

@RosterIntegrationTest
class TeamsApiTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData testData;

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
    void createsTeamsWithCaseInsensitiveUniqueNames() {
        TestApi.Response created = api.post(admin(), org.api("/teams"),
                Map.of("name", "  Platform  ", "description", "Runs the platform"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("name").asText()).isEqualTo("Platform");
        assertThat(created.json().path("description").asText()).isEqualTo("Runs the platform");
        assertThat(created.header("Location")).endsWith("/teams/" + created.json().path("id").asText());

        TestApi.Response duplicate = api.post(admin(), org.api("/teams"), Map.of("name", "PLATFORM"));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.json().path("type").asText()).isEqualTo("urn:roster:problem:team-exists");
        assertThat(api.get(admin(), org.api("/teams")).json().path("total").asLong()).isEqualTo(1);

        // Names are unique per organization only.
        Org other = testData.org();
        assertThat(api.post(other.admin().token(), other.api("/teams"), Map.of("name", "platform")).status())
                .isEqualTo(201);
    }

    @Test
    void rejectsInvalidTeams() {
        for (Object body : List.of(Map.of(), Map.of("name", "   "), Map.of("name", "x".repeat(101)),
                Map.of("name", "ok", "description", "d".repeat(1001)))) {
            TestApi.Response refused = api.post(admin(), org.api("/teams"), body);
            assertThat(refused.status()).as(body.toString()).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().path("errors").size()).isPositive();
        }
        assertThat(api.post(admin(), org.api("/teams"), "[1, 2").status()).isEqualTo(400);
        TestApi.Response oversize = api.post(admin(), org.api("/teams"),
                "{\"name\": \"big\", \"description\": \"" + "x".repeat(1_100_000) + "\"}");
        assertThat(oversize.status()).isEqualTo(413);
        assertThat(oversize.json().path("type").asText()).isEqualTo("urn:roster:problem:too-large");
        assertThat(api.get(admin(), org.api("/teams")).json().path("total").asLong()).isZero();
    }

    @Test
    void listsTeamsWithMemberCountsAndSearch() {
        UUID red = fixture.team(org, "Red squad");
        fixture.team(org, "Blue squad");
        fixture.team(org, "Green_100%");
        Person one = testData.member(org, false);
        Person two = testData.member(org, false);
        fixture.addToTeam(org, fixture.membershipId(org, one), red);
        fixture.addToTeam(org, fixture.membershipId(org, two), red);

        TestApi.Response all = api.get(admin(), org.api("/teams"));
        assertThat(all.json().path("total").asLong()).isEqualTo(3);
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        all.json().path("items").forEach(t -> counts.put(t.path("name").asText(), t.path("memberCount").asLong()));
        assertThat(counts).containsExactly(Map.entry("Blue squad", 0L), Map.entry("Green_100%", 0L),
                Map.entry("Red squad", 2L));

        assertThat(names(api.get(admin(), org.api("/teams?search=SQUAD")))).containsExactly("Blue squad", "Red squad");
        assertThat(names(api.get(admin(), org.api("/teams?search=_100%25")))).containsExactly("Green_100%");
        assertThat(names(api.get(admin(), org.api("/teams?search=n_1")))).containsExactly("Green_100%");
        assertThat(names(api.get(admin(), org.api("/teams?search=e_1")))).isEmpty();
        TestApi.Response second = api.get(admin(), org.api("/teams?size=2&page=1"));
        assertThat(names(second)).containsExactly("Red squad");
        assertThat(second.json().path("total").asLong()).isEqualTo(3);
    }

    @Test
    void showsATeamWithAPageOfItsMembers() {
        UUID team = fixture.team(org, "Readers");
        Person one = testData.member(org, false);
        Person two = testData.member(org, false);
        fixture.addToTeam(org, fixture.membershipId(org, one), team);
        fixture.addToTeam(org, fixture.membershipId(org, two), team);
        testData.member(org, false);

        TestApi.Response detail = api.get(admin(), org.api("/teams/" + team + "?size=1"));
        assertThat(detail.status()).isEqualTo(200);
        assertThat(detail.json().path("name").asText()).isEqualTo("Readers");
        assertThat(detail.json().path("memberCount").asLong()).isEqualTo(2);
        assertThat(detail.json().path("members").path("items")).hasSize(1);
        assertThat(detail.json().path("members").path("total").asLong()).isEqualTo(2);
        assertThat(detail.json().path("members").path("items").get(0).path("email").asText())
                .isIn(one.email(), two.email());
    }

    @Test
    void renamesAndDescribesTeams() {
        UUID team = fixture.team(org, "Old name");
        UUID other = fixture.team(org, "Taken");

        TestApi.Response renamed = api.patch(admin(), org.api("/teams/" + team),
                Map.of("name", "New name", "description", "What it does"));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().path("name").asText()).isEqualTo("New name");
        assertThat(renamed.json().path("description").asText()).isEqualTo("What it does");

        TestApi.Response described = api.patch(admin(), org.api("/teams/" + team), Map.of("description", "Other"));
        assertThat(described.json().path("name").asText()).as("an absent name stays").isEqualTo("New name");
        TestApi.Response cleared = api.patch(admin(), org.api("/teams/" + team), Map.of("description", ""));
        assertThat(cleared.json().has("description")).isFalse();
        assertThat(api.patch(admin(), org.api("/teams/" + team), Map.of("name", "NEW NAME")).status())
                .as("changing only the case is a rename, not a clash").isEqualTo(200);

        TestApi.Response clash = api.patch(admin(), org.api("/teams/" + team), Map.of("name", "taken"));
        assertThat(clash.status()).isEqualTo(409);
        assertThat(clash.json().path("type").asText()).isEqualTo("urn:roster:problem:team-exists");
        assertThat(api.patch(admin(), org.api("/teams/" + team), Map.of("name", " ")).status()).isEqualTo(400);
        assertThat(api.get(admin(), org.api("/teams/" + other)).json().path("name").asText()).isEqualTo("Taken");
    }

    @Test
    void aTeamOwningResourcesCannotBeDeletedUntilTheyMove() {
        UUID team = fixture.team(org, "Owners");
        Person member = testData.member(org, false);
        UUID memberId = fixture.membershipId(org, member);
        fixture.addToTeam(org, memberId, team);
        UUID project = fixture.resource(org, "project", "Website", "team", team);
        fixture.resource(org, "data-store", "Orders DB", "team", team);

        JsonNode impact = api.get(admin(), org.api("/teams/" + team + "/deletion-impact")).json();
        assertThat(impact.path("team").path("name").asText()).isEqualTo("Owners");
        assertThat(impact.path("memberCount").asLong()).isEqualTo(1);
        assertThat(impact.path("allowed").asBoolean()).isFalse();
        assertThat(impact.path("blockers").get(0).asText()).contains("2 resources", "project 'Website'",
                "data store 'Orders DB'");

        TestApi.Response refused = api.delete(admin(), org.api("/teams/" + team));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("type").asText()).isEqualTo("urn:roster:problem:team-in-use");
        assertThat(refused.json().path("detail").asText()).contains("Website");
        assertThat(api.get(admin(), org.api("/teams/" + team)).status()).isEqualTo(200);

        assertThat(api.patch(admin(), org.api("/resources/" + project),
                Map.of("owner", Map.of("type", "organization"))).status()).isEqualTo(200);
        api.get(admin(), org.api("/resources?team=" + team)).json().path("items").forEach(r ->
                api.delete(admin(), org.api("/resources/" + r.path("id").asText())));

        JsonNode clear = api.get(admin(), org.api("/teams/" + team + "/deletion-impact")).json();
        assertThat(clear.path("allowed").asBoolean()).isTrue();
        assertThat(clear.path("blockers")).isEmpty();
        assertThat(api.delete(admin(), org.api("/teams/" + team)).status()).isEqualTo(204);
        assertThat(api.get(admin(), org.api("/teams/" + team)).status()).isEqualTo(404);
        assertThat(api.get(admin(), org.api("/members/" + memberId)).json().path("teams")).isEmpty();
    }

    @Test
    void unknownAndMalformedTeamIdsAreClientErrors() {
        UUID unknown = UUID.randomUUID();
        for (TestApi.Response response : List.of(api.get(admin(), org.api("/teams/" + unknown)),
                api.patch(admin(), org.api("/teams/" + unknown), Map.of("name", "x")),
                api.get(admin(), org.api("/teams/" + unknown + "/deletion-impact")),
                api.delete(admin(), org.api("/teams/" + unknown)))) {
            assertThat(response.status()).as(response.body()).isEqualTo(404);
            assertThat(response.json().path("type").asText()).isEqualTo("urn:roster:problem:not-found");
        }
        for (TestApi.Response response : List.of(api.get(admin(), org.api("/teams/not-a-team")),
                api.patch(admin(), org.api("/teams/1"), Map.of("name", "x")),
                api.get(admin(), org.api("/teams/%20/deletion-impact")),
                api.delete(admin(), org.api("/teams/" + unknown.toString().replace('-', 'g'))))) {
            assertThat(response.status()).as(response.body()).isIn(400, 404);
        }
    }

    private static List<String> names(TestApi.Response page) {
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        List<String> names = new java.util.ArrayList<>();
        page.json().path("items").forEach(item -> names.add(item.path("name").asText()));
        return names;
    }
}
