package dev.roster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.resource.AccessFixture;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.SecondInstance;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestData.Org;
import dev.roster.test.TestData.Person;
import dev.roster.test.TestSession;

/**
 * Two Roster instances on one database, as behind a load balancer: a removal or suspension made through one is
 * enforced by the other on the very next request, for API tokens, web sessions and decisions alike, and a browser
 * signed in through one is signed in, and signed out, through both. Instance A is the shared test context; instance
 * B is a second, independent application context ({@link SecondInstance}).
 */
@RosterIntegrationTest
class TwoInstancesTest {

    @AfterAll
    static void stopTheSecondInstance() {
        SecondInstance.stop();
    }

    private static String baseB;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Autowired
    TestApi api;
    @Autowired
    TestData testData;

    AccessFixture fixture;
    Org org;
    Person member;
    UUID memberId;
    UUID resource;

    @BeforeAll
    static void startInstanceB() {
        baseB = SecondInstance.baseUrl();
    }

    @BeforeEach
    void memberWithATeamResource() {
        fixture = new AccessFixture(api);
        org = testData.org();
        member = testData.member(org, false);
        memberId = fixture.membershipId(org, member);
        UUID team = fixture.team(org, TestData.unique("team"));
        fixture.addToTeam(org, memberId, team);
        resource = fixture.resource(org, "environment", TestData.unique("prod"), "team", team);
    }

    @Test
    void aBrowserSignedInThroughOneInstanceIsSignedInAndOutThroughTheOther() {
        TestSession onA = new TestSession(api.baseUrl());
        assertThat(onA.get("/orgs/" + org.slug()).status()).as("not signed in yet").isEqualTo(302);
        assertThat(onA.signIn(member.email(), TestData.PASSWORD).status()).isEqualTo(302);
        TestSession onB = onA.at(baseB);
        assertThat(onB.get("/orgs/" + org.slug()).status()).as("the session made on A, on B").isEqualTo(200);

        assertThat(onB.send("POST", "/logout", "/orgs/" + org.slug()).status()).isEqualTo(302);

        TestSession.Page afterSignOut = onA.get("/orgs/" + org.slug());
        assertThat(afterSignOut.status()).as("signed out on B, so on A").isEqualTo(302);
        assertThat(afterSignOut.location()).contains("/login");
    }

    @Test
    void instanceBEnforcesARemovalMadeThroughInstanceA() {
        TestSession sessionOnB = new TestSession(baseB);
        assertThat(sessionOnB.signIn(member.email(), TestData.PASSWORD).status()).isEqualTo(302);
        assertThat(sessionOnB.get("/orgs/" + org.slug()).status()).isEqualTo(200);
        assertThat(getOnB(member.token(), org.api("/me")).statusCode()).isEqualTo(200);
        assertThat(decisionOnB().path("reason").asText()).isEqualTo("team");

        assertThat(api.delete(org.admin().token(), org.api("/members/" + memberId)).status()).isEqualTo(204);

        assertThat(getOnB(member.token(), org.api("/me")).statusCode()).isEqualTo(403);
        assertThat(sessionOnB.get("/orgs/" + org.slug()).status()).isEqualTo(403);
        JsonNode decision = decisionOnB();
        assertThat(decision.path("allowed").asBoolean()).isFalse();
        assertThat(decision.path("reason").asText()).isEqualTo("removed");
    }

    @Test
    void instanceAEnforcesARemovalMadeThroughInstanceB() {
        TestSession sessionOnA = new TestSession(api.baseUrl());
        sessionOnA.signIn(member.email(), TestData.PASSWORD);
        assertThat(sessionOnA.get("/orgs/" + org.slug()).status()).isEqualTo(200);
        assertThat(api.get(member.token(), org.api("/me")).status()).isEqualTo(200);

        assertThat(sendOnB(org.admin().token(), "DELETE", org.api("/members/" + memberId)).statusCode())
                .isEqualTo(204);

        assertThat(api.get(member.token(), org.api("/me")).status()).isEqualTo(403);
        assertThat(sessionOnA.get("/orgs/" + org.slug()).status()).isEqualTo(403);
        assertThat(fixture.decide(org, member.id(), resource).path("reason").asText()).isEqualTo("removed");
    }

    @Test
    void aSuspensionThroughOneInstanceIsEnforcedByTheOther() {
        assertThat(sendOnB(org.admin().token(), "POST", org.api("/members/" + memberId + "/suspend")).statusCode())
                .isEqualTo(200);
        assertThat(api.get(member.token(), org.api("/me")).status()).isEqualTo(403);
        assertThat(fixture.decide(org, member.id(), resource).path("reason").asText()).isEqualTo("suspended");

        assertThat(api.post(org.admin().token(), org.api("/members/" + memberId + "/reactivate"), null).status())
                .isEqualTo(200);
        assertThat(getOnB(member.token(), org.api("/me")).statusCode()).isEqualTo(200);
        assertThat(decisionOnB().path("allowed").asBoolean()).isTrue();
    }

    private JsonNode decisionOnB() {
        HttpResponse<String> response = getOnB(org.admin().token(),
                org.api("/decisions?account=" + member.id() + "&resource=" + resource));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            return json.readTree(response.body());
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private HttpResponse<String> getOnB(String token, String path) {
        return sendOnB(token, "GET", path);
    }

    private HttpResponse<String> sendOnB(String token, String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseB + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
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
