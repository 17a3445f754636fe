package dev.roster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.resource.AccessFixture;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestData.Org;
import dev.roster.test.TestData.Person;

/**
 * An admin of one organization can neither see nor change another's members, teams or resources: through their own
 * organization's paths the other's ids do not exist (404, never 403, so ids leak nothing), and the other
 * organization's paths do not exist for them either.
 */
@RosterIntegrationTest
class TenantIsolationTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData testData;

    @Test
    void anotherOrganizationsIdsDoNotExist() {
        AccessFixture fixture = new AccessFixture(api);
        Org a = testData.org();
        Person aMember = testData.member(a, false);
        UUID aMemberId = fixture.membershipId(a, aMember);
        UUID aTeam = fixture.team(a, TestData.unique("a-team"));
        fixture.addToTeam(a, aMemberId, aTeam);
        UUID aResource = fixture.resource(a, "project", TestData.unique("a-res"), "team", aTeam);

        Org b = testData.org();
        String bAdmin = b.admin().token();
        Person bMember = testData.member(b, false);
        UUID bMemberId = fixture.membershipId(b, bMember);
        UUID bTeam = fixture.team(b, TestData.unique("b-team"));
        UUID bResource = fixture.sharedResource(b);

        List<String> failures = new ArrayList<>();
        expect(404, failures,
                api.get(bAdmin, b.api("/members/" + aMemberId)),
                api.patch(bAdmin, b.api("/members/" + aMemberId), Map.of("admin", true)),
                api.post(bAdmin, b.api("/members/" + aMemberId + "/suspend"), null),
                api.post(bAdmin, b.api("/members/" + aMemberId + "/reactivate"), null),
                api.delete(bAdmin, b.api("/members/" + aMemberId)),
                api.put(bAdmin, b.api("/members/" + aMemberId + "/teams/" + bTeam), null),
                api.put(bAdmin, b.api("/members/" + bMemberId + "/teams/" + aTeam), null),
                api.delete(bAdmin, b.api("/members/" + aMemberId + "/teams/" + aTeam)),
                api.get(bAdmin, b.api("/members/" + aMemberId + "/accessible-resources")),
                api.get(bAdmin, b.api("/teams/" + aTeam)),
                api.patch(bAdmin, b.api("/teams/" + aTeam), Map.of("name", "stolen")),
                api.get(bAdmin, b.api("/teams/" + aTeam + "/deletion-impact")),
                api.delete(bAdmin, b.api("/teams/" + aTeam)),
                api.get(bAdmin, b.api("/resources/" + aResource)),
                api.patch(bAdmin, b.api("/resources/" + aResource), Map.of("name", "stolen")),
                api.delete(bAdmin, b.api("/resources/" + aResource)),
                api.get(bAdmin, b.api("/decisions?account=" + aMember.id() + "&resource=" + aResource)),
                api.delete(bMember.token(), b.api("/me/resources/" + aResource)),
                // and organization A's own paths
                api.get(bAdmin, a.api("/members")),
                api.get(bAdmin, a.api("/members/" + aMemberId)),
                api.delete(bAdmin, a.api("/members/" + aMemberId)),
                api.get(bAdmin, a.api("/teams")),
                api.post(bAdmin, a.api("/teams"), Map.of("name", "intruders")),
                api.get(bAdmin, a.api("/resources")),
                api.get(bAdmin, a.api("/resources/" + aResource)),
                api.get(bAdmin, a.api("/decisions?resource=" + aResource)),
                api.get(bAdmin, a.api("/me")));
        // Ids of A inside bodies sent to B are unknown too.
        expect(400, failures,
                api.post(bAdmin, b.api("/resources"), Map.of("kind", "project", "name", "x",
                        "owner", Map.of("type", "team", "id", aTeam))),
                api.post(bAdmin, b.api("/resources"), Map.of("kind", "project", "name", "y",
                        "owner", Map.of("type", "member", "id", aMemberId))),
                api.patch(bAdmin, b.api("/resources/" + bResource),
                        Map.of("owner", Map.of("type", "team", "id", aTeam))),
                api.post(bAdmin, b.api("/resources"), Map.of("kind", "project", "name", "z",
                        "owner", Map.of("type", "organization", "id", a.id()))));
        assertThat(failures).isEmpty();

        // Filters by A's ids find nothing in B.
        assertThat(api.get(bAdmin, b.api("/members?team=" + aTeam)).json().path("total").asLong()).isZero();
        assertThat(api.get(bAdmin, b.api("/resources?team=" + aTeam)).json().path("total").asLong()).isZero();
        assertThat(api.get(bAdmin, b.api("/resources?member=" + aMemberId)).json().path("total").asLong()).isZero();

        // And A is untouched.
        var member = api.get(a.admin().token(), a.api("/members/" + aMemberId)).json();
        assertThat(member.path("status").asText()).isEqualTo("active");
        assertThat(member.path("admin").asBoolean()).isFalse();
        assertThat(member.path("teams").get(0).path("id").asText()).isEqualTo(aTeam.toString());
        assertThat(api.get(a.admin().token(), a.api("/teams/" + aTeam)).json().path("name").asText())
                .startsWith("a-team");
        assertThat(api.get(a.admin().token(), a.api("/resources/" + aResource)).json().path("name").asText())
                .startsWith("a-res");
        assertThat(api.get(a.admin().token(), a.api("/teams")).json().path("total").asLong()).isEqualTo(1);
    }

    private static void expect(int status, List<String> failures, TestApi.Response... responses) {
        for (int i = 0; i < responses.length; i++) {
            if (responses[i].status() != status) {
                failures.add("#" + i + " expected " + status + " but was " + responses[i].status() + ": "
                        + responses[i].body());
            }
        }
    }
}
