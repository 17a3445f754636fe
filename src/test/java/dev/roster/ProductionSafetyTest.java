package dev.roster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.roster.shared.SecretCipher;
import dev.roster.shared.SecretToken;
import dev.roster.test.HttpsRosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestEnvironment;
import dev.roster.test.TestMailbox;

/**
 * Roster's defaults are safe in production: session cookies are {@code Secure} when people reach Roster over HTTPS, it
 * does not start on PostgreSQL outside the demo profile without {@code ROSTER_SECRET_KEY} (unless an operator says so
 * explicitly), and an invitation's token is kept nowhere in the database, only its hash. This class runs on a Roster
 * whose {@code roster.base-url} is HTTPS, and starts Rosters of its own to see which ones refuse to start.
 */
@HttpsRosterIntegrationTest
class ProductionSafetyTest {

    private static final Pattern LINK = Pattern.compile("/invitations/accept\\?token=([A-Za-z0-9_\\-]+)");

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theSessionCookieIsSecureWhenTheBaseUrlIsHttps() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        String session = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("SESSION="))
                .findFirst().orElseThrow(() -> new AssertionError("no session cookie: " + page.headers()));
        assertThat(session).contains("Secure").contains("HttpOnly").contains("SameSite=Lax");
    }

    @Test
    void rosterRefusesToStartOnPostgresqlOutsideTheDemoWithoutASecretKey() {
        // On H2 (a newcomer's ./mvnw verify) Roster is the demo on a laptop, where it starts without a key on purpose.
        assumeTrue(TestEnvironment.databaseDescription().startsWith("PostgreSQL"), "the rule is PostgreSQL's");
        assertThatThrownBy(() -> start("test").close())
                .hasRootCauseInstanceOf(SecretCipher.SecretKeyMissingException.class)
                .rootCause().hasMessageContaining("ROSTER_SECRET_KEY");
    }

    @Test
    void theDocumentedOverrideAndTheDemoProfileStartWithoutASecretKey() {
        try (ConfigurableApplicationContext allowed = start("test", "--roster.allow-secret-key-in-database=true")) {
            assertThat(allowed.isRunning()).isTrue();
        }
        try (ConfigurableApplicationContext demo = start("test,demo")) {
            assertThat(demo.isRunning()).isTrue();
        }
    }

    /** A Roster of its own, on a database of its own, with the given profiles and no secret key. */
    private static ConfigurableApplicationContext start(String profiles, String... arguments) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
                "--spring.jmx.enabled=false", "--roster.secret-key=", "--spring.datasource.hikari.maximum-pool-size=2",
                "--spring.profiles.active=" + profiles));
        args.addAll(List.of(arguments));
        return new SpringApplicationBuilder(RosterApplication.class).initializers(new TestEnvironment.OwnDatabase())
                .run(args.toArray(String[]::new));
    }

    @Test
    void anInvitationsTokenIsKeptNowhereInTheDatabaseOnlyItsHash() throws Exception {
        TestData.Org org = data.org();
        String invited = TestData.uniqueEmail("hashed");
        TestApi.Response invite = api.post(org.admin().token(), org.api("/invitations"),
                Map.of("emails", List.of(invited), "admin", false));
        assertThat(invite.status()).as(invite.body()).isIn(200, 201);
        Matcher link = LINK.matcher(TestMailbox.await(invited, 1).get(0).text());
        assertThat(link.find()).isTrue();
        String token = link.group(1);

        // The token travels to single sign-on too (an invitee accepting through their IdP): still only its hash.
        UUID connection = jdbc.sql("SELECT id FROM sso_connection ORDER BY created_at LIMIT 1").query(UUID.class)
                .single();
        HttpResponse<String> toIdp = http.send(HttpRequest.newBuilder(URI.create(api.baseUrl()
                + "/saml2/authenticate/" + connection + "?invitation=" + token)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(toIdp.statusCode()).isEqualTo(302);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM sso_authn_request WHERE invitation_token_hash = ?")
                .param(SecretToken.sha256Hex(token)).query(Integer.class).single()).isEqualTo(1);

        // Everywhere: every text column of every table. The outbox holds the mail until it is delivered, then not.
        Instant deadline = Instant.now().plusSeconds(30);
        List<String> holding = columnsHolding(token);
        while (!holding.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            holding = columnsHolding(token);
        }
        assertThat(holding).isEmpty();
    }

    private List<String> columnsHolding(String secret) {
        List<String> holding = new ArrayList<>();
        List<String[]> columns = jdbc.sql("""
                SELECT table_name, column_name FROM information_schema.columns
                WHERE table_schema = current_schema()
                  AND data_type IN ('character varying', 'text', 'character', 'json', 'jsonb')""")
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).list();
        assertThat(columns).isNotEmpty();
        for (String[] column : columns) {
            Integer found = jdbc.sql("SELECT COUNT(*) FROM " + column[0] + " WHERE POSITION(? IN CAST(" + column[1]
                    + " AS TEXT)) > 0").param(secret).query(Integer.class).single();
            if (found > 0) {
                holding.add(column[0] + "." + column[1]);
            }
        }
        return holding;
    }
}
