package dev.roster.resource;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.roster.RosterApplication;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestData.Org;
import dev.roster.test.TestData.Person;
import dev.roster.test.TestEnvironment;

/**
 * 64 lease requests at once against a quota of 8, half through this Roster and half through a second instance on
 * the same database (started here, as {@code TwoInstancesTest} does): exactly 8 are granted and the other 56 are
 * told the quota is exhausted, because every acquisition on the environment waits for the previous one's row lock.
 */
@RosterIntegrationTest
class LeaseRaceTest {

    private static ConfigurableApplicationContext instanceB;
    private static String baseB;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Autowired
    TestApi api;
    @Autowired
    TestData testData;

    @BeforeAll
    static void startInstanceB() {
        instanceB = new SpringApplicationBuilder(RosterApplication.class).profiles("test")
                .initializers(new TestEnvironment())
                .run("--server.port=0", "--spring.main.banner-mode=off", "--spring.jmx.enabled=false");
        baseB = "http://localhost:" + instanceB.getEnvironment().getRequiredProperty("local.server.port");
    }

    @AfterAll
    static void stopInstanceB() {
        if (instanceB != null) {
            instanceB.close();
        }
    }

    @Test
    void sixtyFourAcquisitionsOnTwoInstancesGrantExactlyTheQuota() throws Exception {
        AccessFixture fixture = new AccessFixture(api);
        Org org = testData.org();
        UUID team = fixture.team(org, TestData.unique("platform"));
        UUID environment = fixture.resource(org, "environment", TestData.unique("staging"), "organization", null);
        assertThat(api.put(org.admin().token(), org.api("/teams/" + team + "/quotas/" + environment),
                Map.of("maxConcurrent", 8)).status()).isEqualTo(200);
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Person person = testData.member(org, false);
            fixture.addToTeam(org, fixture.membershipId(org, person), team);
            people.add(person);
        }

        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Callable<TestApi.Response>> attempts = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                Person person = people.get(i % people.size());
                boolean onB = i % 2 == 1;
                String body = "{\"environment\":\"" + environment + "\",\"account\":\"" + person.id()
                        + "\",\"ttlSeconds\":600}";
                attempts.add(() -> {
                    start.await();
                    return LeaseRace.answered(() -> onB ? postOnB(org.admin().token(), org.api("/leases"), body)
                            : api.post(org.admin().token(), org.api("/leases"), body));
                });
            }
            List<Future<TestApi.Response>> results = new ArrayList<>();
            for (Callable<TestApi.Response> attempt : attempts) {
                results.add(pool.submit(attempt));
            }
            start.countDown();
            List<TestApi.Response> answers = new ArrayList<>();
            for (Future<TestApi.Response> result : results) {
                answers.add(result.get());
            }
            assertThat(answers).extracting(TestApi.Response::status).containsOnly(201, 409);
            assertThat(answers.stream().filter(a -> a.status() == 201).count()).isEqualTo(8);
            assertThat(answers.stream().filter(a -> a.status() == 409))
                    .allSatisfy(a -> assertThat(a.json().path("type").asText())
                            .isEqualTo("urn:roster:problem:quota-exhausted"));
        }
        finally {
            pool.shutdownNow();
        }
        JsonNode held = api.get(org.admin().token(), org.api("/leases?environment=" + environment)).json();
        assertThat(held.path("items")).hasSize(8);
        JsonNode quota = api.get(org.admin().token(), org.api("/teams/" + team + "/quotas/" + environment)).json();
        assertThat(quota.path("inUse").asInt()).isEqualTo(8);
    }

    private TestApi.Response postOnB(String token, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseB + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode parsed = response.body().isBlank() ? null : json.readTree(response.body());
            return new TestApi.Response(response.statusCode(), Map.of(), response.body(), parsed);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
