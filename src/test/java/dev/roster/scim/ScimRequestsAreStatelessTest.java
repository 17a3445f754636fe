package dev.roster.scim;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * The SCIM chain is stateless: a directory's sync creates no browser session, sets no cookie and writes no session
 * row, whatever it sends. Work done for sessions on every request of a hundred-thousand-user sync would be waste
 * (issue 15), and a session a directory's token opened would be a second credential.
 */
@RosterIntegrationTest
class ScimRequestsAreStatelessTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    DataSource dataSource;

    @Test
    void aSyncSetsNoCookieAndWritesNoSession() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        long sessionsBefore = jdbc.queryForObject("SELECT COUNT(*) FROM spring_session", Long.class);
        String email = TestData.unique("stateless") + "@example.com";
        ScimTestClient.Response created = scim.post("/Users", ScimCreateRoundTripsTest.entraBody(email));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ScimTestClient.Response found = scim.get("/Users?count=1");
        ScimTestClient.Response refused = scim.sendWithToken("not-a-token", "GET", "/Users", null, java.util.Map.of());
        ScimTestClient.Response withCookie = scim.send("GET", "/Users?count=1", null,
                java.util.Map.of("Cookie", "SESSION=" + java.util.UUID.randomUUID()));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(withCookie.status()).isEqualTo(200);
        for (ScimTestClient.Response response : java.util.List.of(created, found, refused, withCookie)) {
            assertThat(response.header("Set-Cookie")).as("no cookie on a SCIM answer").isNull();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM spring_session", Long.class))
                .as("no session row").isEqualTo(sessionsBefore);
    }
}
