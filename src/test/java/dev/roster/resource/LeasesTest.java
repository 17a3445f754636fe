package dev.roster.resource;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestData.Org;
import dev.roster.test.TestData.Person;

/**
 * Team quotas and leases over HTTP: quotas and the environment default, a lease counted against the team asked for
 * or the one with most room, 409 quota-exhausted with each team's usage, renewal, release, expiry on the test clock
 * (also under load: exactly the expired places come free), people who lost access, the quota in decisions, and
 * another organization's ids.
 */
@RosterIntegrationTest
class LeasesTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData testData;
    @Autowired
    MutableClock clock;

    AccessFixture fixture;
    Org org;
    Person ada;
    UUID adaId;
    UUID platform;
    UUID data;
    UUID staging;

    @BeforeEach
    void organization() {
        fixture = new AccessFixture(api);
        org = testData.org();
        ada = testData.member(org, false);
        adaId = fixture.membershipId(org, ada);
        platform = fixture.team(org, TestData.unique("platform"));
        data = fixture.team(org, TestData.unique("data"));
        fixture.addToTeam(org, adaId, platform);
        fixture.addToTeam(org, adaId, data);
        staging = fixture.resource(org, "environment", TestData.unique("staging"), "organization", null);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private TestApi.Response quota(UUID team, UUID environment, Integer max) {
        return api.put(org.admin().token(), org.api("/teams/" + team + "/quotas/" + environment),
                Map.of("maxConcurrent", max));
    }

    private TestApi.Response lease(Person person, UUID team, long ttl) {
        return lease(org, org.admin().token(), staging, person.id(), team, ttl);
    }

    static TestApi.Response lease(TestApi api, Org org, String token, UUID environment, UUID account, UUID team,
                                  long ttl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("environment", environment.toString());
        body.put("account", account.toString());
        if (team != null) {
            body.put("team", team.toString());
        }
        body.put("ttlSeconds", ttl);
        return api.post(token, org.api("/leases"), body);
    }

    private TestApi.Response lease(Org in, String token, UUID environment, UUID account, UUID team, long ttl) {
        return lease(api, in, token, environment, account, team, ttl);
    }

    @Test
    void quotasAreSetReadAndRemovedAndTheDefaultAppliesToTeamsWithoutOne() {
        TestApi.Response set = quota(platform, staging, 2);
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().path("maxConcurrent").asInt()).isEqualTo(2);
        assertThat(set.json().path("inUse").asInt()).isZero();
        assertThat(api.get(org.admin().token(), org.api("/teams/" + platform + "/quotas/" + staging)).json()
                .path("maxConcurrent").asInt()).isEqualTo(2);
        assertThat(api.get(org.admin().token(), org.api("/teams/" + data + "/quotas/" + staging)).status())
                .isEqualTo(404);
        assertThat(api.get(org.admin().token(), org.api("/teams/" + platform + "/quotas")).json().path("items"))
                .hasSize(1);
        assertThat(quota(platform, staging, -1).status()).isEqualTo(400);
        UUID project = fixture.resource(org, "project", TestData.unique("api"), "organization", null);
        assertThat(quota(platform, project, 1).status()).isEqualTo(400);
        assertThat(api.get(ada.token(), org.api("/teams/" + platform + "/quotas/" + staging)).status())
                .isEqualTo(403);

        TestApi.Response defaulted = api.patch(org.admin().token(), org.api("/resources/" + staging),
                Map.of("defaultTeamQuota", 1));
        assertThat(defaulted.status()).as(defaulted.body()).isEqualTo(200);
        assertThat(defaulted.json().path("defaultTeamQuota").asInt()).isEqualTo(1);
        JsonNode onEnvironment = api.get(org.admin().token(), org.api("/resources/" + staging + "/quotas")).json();
        assertThat(onEnvironment.path("defaultTeamQuota").asInt()).isEqualTo(1);

        // Data has no quota of its own: the default (1) applies; Platform keeps its 2.
        assertThat(lease(ada, data, 60).status()).isEqualTo(201);
        TestApi.Response secondOnData = lease(ada, data, 60);
        assertThat(secondOnData.status()).isEqualTo(409);
        assertThat(lease(ada, platform, 60).json().path("remaining").asInt()).isEqualTo(1);

        assertThat(api.delete(org.admin().token(), org.api("/teams/" + platform + "/quotas/" + staging)).status())
                .isEqualTo(204);
        // Without its own quota Platform now has the default of 1, which its lease fills.
        assertThat(lease(ada, platform, 60).status()).isEqualTo(409);

        TestApi.Response unlimited = api.patch(org.admin().token(), org.api("/resources/" + staging),
                "{\"defaultTeamQuota\": null}");
        assertThat(unlimited.json().has("defaultTeamQuota")).isFalse();
        TestApi.Response free = lease(ada, platform, 60);
        assertThat(free.status()).isEqualTo(201);
        assertThat(free.json().has("remaining")).isFalse();
    }

    @Test
    void aLeaseGoesToTheTeamAskedForOrTheOneWithMostRoomAndExhaustionSaysEachTeamsUsage() {
        quota(platform, staging, 1);
        quota(data, staging, 2);
        TestApi.Response first = lease(ada, null, 60);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.json().path("team").asText()).isEqualTo(data.toString());
        assertThat(first.json().path("remaining").asInt()).isEqualTo(1);
        assertThat(first.json().path("expiresAt").asText()).isNotBlank();
        assertThat(first.header("Location")).endsWith("/leases/" + first.json().path("id").asText());

        TestApi.Response asked = lease(ada, platform, 60);
        assertThat(asked.json().path("team").asText()).isEqualTo(platform.toString());
        assertThat(asked.json().path("remaining").asInt()).isZero();
        assertThat(lease(ada, platform, 60).status()).isEqualTo(409);
        assertThat(lease(ada, null, 60).json().path("team").asText()).isEqualTo(data.toString());

        TestApi.Response exhausted = lease(ada, null, 60);
        assertThat(exhausted.status()).isEqualTo(409);
        assertThat(exhausted.contentType()).startsWith("application/problem+json");
        assertThat(exhausted.json().path("type").asText()).isEqualTo("urn:roster:problem:quota-exhausted");
        Map<String, String> usage = new LinkedHashMap<>();
        exhausted.json().path("teams").forEach(t -> usage.put(t.path("team").asText(),
                t.path("inUse").asInt() + "/" + t.path("maxConcurrent").asInt()));
        assertThat(usage).containsOnly(Map.entry(platform.toString(), "1/1"), Map.entry(data.toString(), "2/2"));

        JsonNode held = api.get(org.admin().token(), org.api("/leases?environment=" + staging)).json();
        assertThat(held.path("items")).hasSize(3);
        assertThat(api.get(org.admin().token(), org.api("/leases?environment=" + staging + "&team=" + platform))
                .json().path("items")).hasSize(1);

        // Giving one back frees its place at once.
        String id = first.json().path("id").asText();
        assertThat(api.delete(org.admin().token(), org.api("/leases/" + id)).status()).isEqualTo(204);
        assertThat(lease(ada, null, 60).status()).isEqualTo(201);

        // A team the person is not in is refused, and so is an environment of no team of theirs.
        UUID ops = fixture.team(org, TestData.unique("ops"));
        assertThat(lease(ada, ops, 60).status()).isEqualTo(400);
        UUID opsEnvironment = fixture.resource(org, "environment", TestData.unique("ops-env"), "team", ops);
        TestApi.Response noTeam = lease(org, org.admin().token(), opsEnvironment, ada.id(), null, 60);
        assertThat(noTeam.status()).isEqualTo(409);
        assertThat(noTeam.json().path("type").asText()).isEqualTo("urn:roster:problem:no-team");
    }

    @Test
    void anExpiredLeaseFreesItsPlaceAndCannotBeRenewed() {
        quota(platform, staging, 1);
        TestApi.Response held = lease(ada, platform, 60);
        String id = held.json().path("id").asText();
        assertThat(lease(ada, platform, 60).status()).isEqualTo(409);

        TestApi.Response renewed = api.post(org.admin().token(), org.api("/leases/" + id + "/renew"),
                Map.of("ttlSeconds", 300));
        assertThat(renewed.status()).as(renewed.body()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(120));
        assertThat(lease(ada, platform, 60).status()).isEqualTo(409);

        clock.advance(Duration.ofSeconds(200));
        TestApi.Response expired = api.post(org.admin().token(), org.api("/leases/" + id + "/renew"), null);
        assertThat(expired.status()).isEqualTo(409);
        assertThat(expired.json().path("type").asText()).isEqualTo("urn:roster:problem:lease-expired");
        assertThat(api.get(org.admin().token(), org.api("/leases?environment=" + staging)).json().path("items"))
                .isEmpty();
        assertThat(lease(ada, platform, 60).status()).isEqualTo(201);
    }

    @Test
    void leaseExpiryUnderLoadFreesExactlyWhatExpired() throws Exception {
        quota(platform, staging, 8);
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Person person = testData.member(org, false);
            fixture.addToTeam(org, fixture.membershipId(org, person), platform);
            people.add(person);
        }
        // Three short leases and five long ones fill the quota.
        for (int i = 0; i < 8; i++) {
            assertThat(lease(people.get(i), platform, i < 3 ? 60 : 3600).status()).isEqualTo(201);
        }
        clock.advance(Duration.ofSeconds(120));

        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Integer>> attempts = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Person person = people.get(i % people.size());
                attempts.add(() -> LeaseRace.answered(() -> lease(person, platform, 3600)).status());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : pool.invokeAll(attempts)) {
                statuses.add(result.get());
            }
            assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(3);
            assertThat(statuses.stream().filter(s -> s == 409).count()).isEqualTo(13);
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(api.get(org.admin().token(), org.api("/leases?environment=" + staging)).json().path("items"))
                .hasSize(8);
    }

    @Test
    void someoneWhoLostAccessTakesNoNewLease() {
        TestApi.Response held = lease(ada, platform, 600);
        assertThat(held.status()).isEqualTo(201);
        String id = held.json().path("id").asText();

        api.delete(org.admin().token(), org.api("/members/" + adaId + "/teams/" + platform));
        TestApi.Response renew = api.post(org.admin().token(), org.api("/leases/" + id + "/renew"), null);
        assertThat(renew.status()).isEqualTo(403);
        assertThat(lease(ada, platform, 60).status()).isEqualTo(400);
        assertThat(lease(ada, data, 60).status()).isEqualTo(201);

        api.post(org.admin().token(), org.api("/members/" + adaId + "/suspend"), null);
        TestApi.Response suspended = lease(ada, data, 60);
        assertThat(suspended.status()).isEqualTo(403);
        assertThat(suspended.json().path("type").asText()).isEqualTo("urn:roster:problem:no-access");
        api.post(org.admin().token(), org.api("/members/" + adaId + "/reactivate"), null);

        api.delete(org.admin().token(), org.api("/members/" + adaId));
        assertThat(lease(ada, data, 60).status()).isEqualTo(403);
        Person stranger = testData.person("stranger");
        assertThat(lease(stranger, null, 60).status()).isEqualTo(403);
    }

    @Test
    void theDecisionForAnEnvironmentCarriesEachTeamsQuota() {
        quota(platform, staging, 3);
        lease(ada, platform, 60);
        JsonNode decision = fixture.decide(org, ada.id(), staging);
        assertThat(decision.path("allowed").asBoolean()).isTrue();
        Map<String, String> quotas = new LinkedHashMap<>();
        decision.path("quota").forEach(q -> quotas.put(q.path("team").asText(),
                q.path("inUse").asInt() + "/" + (q.has("maxConcurrent") ? q.path("maxConcurrent").asText() : "-")));
        assertThat(quotas).containsOnly(Map.entry(platform.toString(), "1/3"), Map.entry(data.toString(), "0/-"));
        UUID project = fixture.sharedResource(org);
        assertThat(fixture.decide(org, ada.id(), project).has("quota")).isFalse();
    }

    @Test
    void anotherOrganizationsIdsAreNotFound() {
        Org other = testData.org();
        UUID theirTeam = fixture.team(other, TestData.unique("theirs"));
        UUID theirEnvironment = fixture.resource(other, "environment", TestData.unique("prod"), "organization", null);
        assertThat(api.put(org.admin().token(), org.api("/teams/" + theirTeam + "/quotas/" + staging),
                Map.of("maxConcurrent", 1)).status()).isEqualTo(404);
        assertThat(api.put(org.admin().token(), org.api("/teams/" + platform + "/quotas/" + theirEnvironment),
                Map.of("maxConcurrent", 1)).status()).isEqualTo(404);
        assertThat(lease(org, org.admin().token(), theirEnvironment, ada.id(), null, 60).status()).isEqualTo(404);
        String ours = lease(ada, platform, 60).json().path("id").asText();
        assertThat(api.delete(other.admin().token(), other.api("/leases/" + ours)).status()).isEqualTo(404);
        assertThat(api.post(other.admin().token(), other.api("/leases/" + ours + "/renew"), null).status())
                .isEqualTo(404);
        assertThat(api.get(other.admin().token(), other.api("/leases?environment=" + staging)).status())
                .isEqualTo(404);
        // Their admin cannot lease our environment for anyone, nor ours for their people.
        assertThat(lease(other, other.admin().token(), staging, ada.id(), null, 60).status()).isEqualTo(404);
    }
}
