package dev.roster.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.RoundTrips;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * How many round trips to the database Entra's create costs (issue 15): the look-up by userName and the
 * {@code POST /Users} of a new person, counted on the request thread (token check, rate limit, every statement, the
 * commit), so a change that adds a statement to the path Entra drives a hundred thousand times fails here first.
 */
@RosterIntegrationTest
class ScimCreateRoundTripsTest {

    /**
     * Token check and the directory's rate limit 1 (one statement in autocommit that finds the token and takes from its
     * directory's bucket, decisions 0018 and 0021), the create's transaction 4 with its commit: the user (the domain's
     * verified owner read by the same statement, and no invitation look-up when it saw no open invitation for the
     * address, and the user already linked to the account and membership below, decision 0023), the account, then one
     * statement with the membership, both events and the audit entry (decision 0022), and the commit (see
     * docs/benchmarks.md).
     */
    static final int CREATE_ROUND_TRIPS = 5;

    /** Token check and rate limit 1, the search 1 (a user created a moment ago is in no group, so no group read). */
    static final int LOOKUP_ROUND_TRIPS = 2;

    @Autowired
    TestApi api;

    @Autowired
    TestData data;

    @Test
    void entrasLookUpAndCreateOfANewPersonStayWithinTheirRoundTrips() {
        // The counts are PostgreSQL's: on H2 (a newcomer's embedded run) the create writes its rows one statement at
        // a time on purpose, so there is nothing to hold it to.
        assumeTrue(System.getenv("ROSTER_TEST_DATABASE_URL") != null, "PostgreSQL only");
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        // The first requests of a directory create its rate-limit bucket and warm the pool's connections.
        create(scim, TestData.unique("warm") + "@example.com");

        String email = TestData.unique("new.person") + "@example.com";
        List<String> lookUp;
        try (RoundTrips.Recording recording = RoundTrips.record(RoundTrips::requestThread)) {
            ScimTestClient.Response found = scim.get("/Users?filter=" + java.net.URLEncoder.encode(
                    "userName eq \"" + email + "\"", java.nio.charset.StandardCharsets.UTF_8));
            assertThat(found.status()).isEqualTo(200);
            assertThat(found.json().get("totalResults").asInt()).isZero();
            lookUp = recording.stop();
        }
        List<String> creation;
        try (RoundTrips.Recording recording = RoundTrips.record(RoundTrips::requestThread)) {
            ScimTestClient.Response created = create(scim, email);
            assertThat(created.json().path("active").asBoolean()).isTrue();
            creation = recording.stop();
        }

        System.out.println("Round trips of the look-up: " + lookUp.size() + "\n  " + String.join("\n  ", lookUp));
        System.out.println("Round trips of the create: " + creation.size() + "\n  " + String.join("\n  ", creation));
        assertThat(creation).as("the counter sees the create").anyMatch(trip -> trip.contains("INSERT INTO scim_user ("));
        assertThat(lookUp).as("round trips of the look-up by userName").hasSizeLessThanOrEqualTo(LOOKUP_ROUND_TRIPS);
        assertThat(creation).as("round trips of POST /Users").hasSizeLessThanOrEqualTo(CREATE_ROUND_TRIPS);
        assertThat(creation).as("a new person's user is written linked (decision 0023), never rewritten")
                .noneMatch(trip -> trip.contains("UPDATE scim_user"));
        assertThat(creation).as("one commit for the create").filteredOn(trip -> trip.equals("commit"))
                .as("one commit: the rate limit's statement commits on its own, in autocommit").hasSize(1);
    }

    private static ScimTestClient.Response create(ScimTestClient scim, String email) {
        ScimTestClient.Response created = scim.post("/Users", entraBody(email));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created;
    }

    /** Microsoft's documented Create User request, as the benchmark sends it. */
    static String entraBody(String userName) {
        return """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",\
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],\
                "externalId":"%s","userName":"%s","active":true,\
                "emails":[{"primary":true,"type":"work","value":"%s"}],"meta":{"resourceType":"User"},\
                "name":{"formatted":"Given Family","familyName":"Family","givenName":"Given"},\
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Dept 1",\
                "employeeNumber":"1"},"roles":[]}""".formatted(UUID.randomUUID(), userName, userName);
    }
}
