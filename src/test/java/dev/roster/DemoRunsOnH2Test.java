package dev.roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.roster.organization.Organization;
import dev.roster.organization.OrganizationService;
import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.shared.Actor;

/**
 * The README's first command, {@code ./mvnw spring-boot:run}, runs Roster on embedded H2 with the demo profile. Every
 * other integration test runs on PostgreSQL, so without this class a migration or a statement that H2 refuses (a
 * migration with several ADD COLUMN clauses in one ALTER TABLE broke the README once) would reach main unnoticed.
 * This starts Roster exactly as that command does, but on an in-memory H2 database, and drives the write paths whose
 * SQL is most hand-tuned (SCIM create, group membership PATCH, the look-up by userName) and the pages a newcomer opens.
 */
class DemoRunsOnH2Test {

    private static ConfigurableApplicationContext roster;
    private static String baseUrl;
    private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startTheDemoOnH2() {
        roster = new SpringApplicationBuilder(RosterApplication.class).profiles("demo").run(
                "--server.port=0",
                "--spring.datasource.url=jdbc:h2:mem:roster-demo-" + UUID.randomUUID()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "--spring.datasource.username=sa", "--spring.datasource.password=",
                "--roster.base-url=http://localhost:8080");
        int port = ((WebServerApplicationContext) roster).getWebServer().getPort();
        baseUrl = "http://localhost:" + port;
    }

    @AfterAll
    static void stop() {
        if (roster != null) {
            roster.close();
        }
    }

    @Test
    void theDemoOrganizationIsCreatedAndItsPagesOpen() throws Exception {
        assertThat(roster.getBean(OrganizationService.class).findBySlug("acme")).isPresent();
        assertThat(get("/actuator/health").body()).contains("\"UP\"");
        assertThat(get("/login").statusCode()).isEqualTo(200);
        assertThat(get("/demo-idp").statusCode()).isEqualTo(200);
    }

    @Test
    void scimProvisioningWorksOnH2() throws Exception {
        Organization acme = roster.getBean(OrganizationService.class).findBySlug("acme").orElseThrow();
        String token = roster.getBean(ScimDirectoryService.class)
                .create(acme.id(), "H2 check", "entra", null, Actor.system("test")).token().secret();

        HttpResponse<String> lookup = scim(token, "GET",
                "/scim/v2/Users?filter=" + java.net.URLEncoder.encode("userName eq \"h2.check@acme.test\"",
                        java.nio.charset.StandardCharsets.UTF_8), null);
        assertThat(lookup.statusCode()).as(lookup.body()).isEqualTo(200);
        assertThat(lookup.body()).contains("\"totalResults\":0");

        HttpResponse<String> user = scim(token, "POST", "/scim/v2/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"externalId":"h2-check",
                 "userName":"h2.check@acme.test","active":true,
                 "emails":[{"primary":true,"type":"work","value":"h2.check@acme.test"}],
                 "name":{"givenName":"Hetty","familyName":"Check"}}""");
        assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
        String userId = user.body().replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");

        HttpResponse<String> group = scim(token, "POST", "/scim/v2/Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"H2 group",
                 "externalId":"h2-group"}""");
        assertThat(group.statusCode()).as(group.body()).isEqualTo(201);
        String groupId = group.body().replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");

        HttpResponse<String> patch = scim(token, "PATCH", "/scim/v2/Groups/" + groupId, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"add","path":"members","value":[{"value":"%s"}]}]}""".formatted(userId));
        assertThat(patch.statusCode()).as(patch.body()).isIn(200, 204);

        HttpResponse<String> found = scim(token, "GET",
                "/scim/v2/Users?filter=" + java.net.URLEncoder.encode("userName eq \"h2.check@acme.test\"",
                        java.nio.charset.StandardCharsets.UTF_8), null);
        assertThat(found.body()).contains("\"totalResults\":1").contains(userId);

        HttpResponse<String> deactivated = scim(token, "PATCH", "/scim/v2/Users/" + userId, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","path":"active","value":false}]}""");
        assertThat(deactivated.statusCode()).as(deactivated.body()).isEqualTo(200);
        assertThat(deactivated.body()).contains("\"active\":false");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> scim(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + token).header("Accept", "application/scim+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/scim+json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
