package dev.roster.scim;

import static dev.roster.scim.ScimTestClient.op;
import static dev.roster.scim.ScimTestClient.patch;
import static dev.roster.scim.ScimTestClient.userBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.audit.AuditLog;
import dev.roster.audit.AuditQuery;
import dev.roster.scim.requestlog.RequestLogService;
import dev.roster.shared.Channel;
import dev.roster.shared.PageQuery;
import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/** The admin API: directories, token rotation and revocation, the request log, settings; admins only. */
@RosterIntegrationTest
class ScimDirectoriesApiTest {

    @Autowired
    TestApi api;

    @Autowired
    TestData data;

    @Autowired
    AuditLog audit;

    @Autowired
    RequestLogService requestLog;

    @Autowired
    MutableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aDirectoryIsCreatedWithItsTenantUrlAndATokenShownOnce() {
        TestData.Org org = data.org();
        TestApi.Response created = api.post(org.admin().token(), org.api("/scim-directories"),
                Map.of("name", "Entra ID", "kind", "entra"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("tenantUrl").asText()).isEqualTo("http://localhost:8080/scim/v2");
        assertThat(created.json().get("token").asText()).startsWith("scim_");
        assertThat(created.json().get("kind").asText()).isEqualTo("entra");
        String id = created.json().get("id").asText();
        TestApi.Response read = api.get(org.admin().token(), org.api("/scim-directories/" + id));
        assertThat(read.body()).doesNotContain(created.json().get("token").asText());
        assertThat(read.json().get("tokens")).hasSize(1);
        assertThat(api.get(org.admin().token(), org.api("/scim-directories")).json().get("total").asInt()).isEqualTo(1);
        assertThat(api.post(org.admin().token(), org.api("/scim-directories"), Map.of("name", "x", "kind", "ldap"))
                .status()).isEqualTo(400);
        assertThat(api.post(org.admin().token(), org.api("/scim-directories"), Map.of("kind", "okta")).status())
                .isEqualTo(400);
        var entries = audit.find(org.id(), new AuditQuery(null, null, Channel.API, null, null, null, null),
                PageQuery.of(0, 20)).items().stream().map(e -> e.action()).toList();
        assertThat(entries).contains("scim-directory.created", "scim-token.created");
    }

    @Test
    void twoTokensOverlapDuringARotationAndARevokedTokenStopsWorking() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        String tokens = scim.org.api("/scim-directories/" + scim.directoryId + "/tokens");
        TestApi.Response second = api.post(scim.org.admin().token(), tokens, Map.of());
        assertThat(second.status()).isEqualTo(201);
        String newToken = second.json().get("token").asText();
        assertThat(scim.sendWithToken(newToken, "GET", "/Users", null, Map.of()).status()).isEqualTo(200);
        assertThat(scim.get("/Users").status()).isEqualTo(200);
        assertThat(api.post(scim.org.admin().token(), tokens, Map.of()).status()).isEqualTo(409);

        String oldTokenId = api.get(scim.org.admin().token(), scim.org.api("/scim-directories/" + scim.directoryId))
                .json().at("/tokens/0/id").asText();
        assertThat(api.delete(scim.org.admin().token(), tokens + "/" + oldTokenId).status()).isEqualTo(204);
        assertThat(scim.get("/Users").status()).isEqualTo(401);
        assertThat(scim.sendWithToken(newToken, "GET", "/Users", null, Map.of()).status()).isEqualTo(200);
        assertThat(api.post(scim.org.admin().token(), tokens, Map.of()).status()).isEqualTo(201);

        assertThat(api.delete(scim.org.admin().token(), scim.org.api("/scim-directories/" + scim.directoryId))
                .status()).isEqualTo(204);
        assertThat(scim.sendWithToken(newToken, "GET", "/Users", null, Map.of()).status()).isEqualTo(401);
    }

    @Test
    void everyAdminEndpointRefusesMembers() {
        ScimTestClient scim = ScimTestClient.create(api, data, "generic");
        String member = data.member(scim.org, false).token();
        String directory = scim.org.api("/scim-directories/" + scim.directoryId);
        assertThat(api.post(member, scim.org.api("/scim-directories"), Map.of("name", "x", "kind", "okta")).status())
                .isEqualTo(403);
        assertThat(api.get(member, scim.org.api("/scim-directories")).status()).isEqualTo(403);
        assertThat(api.get(member, directory).status()).isEqualTo(403);
        assertThat(api.delete(member, directory).status()).isEqualTo(403);
        assertThat(api.post(member, directory + "/tokens", Map.of()).status()).isEqualTo(403);
        assertThat(api.delete(member, directory + "/tokens/" + java.util.UUID.randomUUID()).status()).isEqualTo(403);
        assertThat(api.get(member, directory + "/requests").status()).isEqualTo(403);
        assertThat(api.get(member, directory + "/group-mappings").status()).isEqualTo(403);
        assertThat(api.get(member, scim.org.api("/scim-settings")).status()).isEqualTo(403);
        assertThat(api.put(member, scim.org.api("/scim-settings"), Map.of("onDeactivate", "remove")).status())
                .isEqualTo(403);
        assertThat(scim.get("/Users").status()).isEqualTo(200);
    }

    @Test
    void theRequestLogKeepsEveryRequestWithSecretsRemovedAndForgetsOldOnes() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        String email = TestData.uniqueEmail("logged");
        Map<String, Object> body = userBody(email, email);
        body.put("password", "Sup3r-Secret-Value");
        String id = scim.post("/Users", body).id();
        scim.patch("/Users/" + id, patch(op("replace", "password", "An0ther-Secret-Value")));
        assertThat(scim.post("/Users", body).status()).isEqualTo(409);
        scim.get("/Users?filter=userName%20eq%20%22nobody%40example.test%22");

        String requests = scim.org.api("/scim-directories/" + scim.directoryId + "/requests");
        TestApi.Response all = api.get(scim.org.admin().token(), requests);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().get("total").asInt()).isEqualTo(4);
        assertThat(all.body()).doesNotContain("Sup3r-Secret-Value").doesNotContain("An0ther-Secret-Value")
                .doesNotContain(scim.token).contains("[redacted]");
        var newest = all.json().get("items").get(0);
        assertThat(newest.get("method").asText()).isEqualTo("GET");
        assertThat(newest.get("path").asText()).isEqualTo("/scim/v2/Users");
        assertThat(newest.get("query").asText()).contains("filter=");
        assertThat(newest.get("status").asInt()).isEqualTo(200);
        assertThat(newest.has("durationMs")).isTrue();

        TestApi.Response failed = api.get(scim.org.admin().token(), requests + "?failedOnly=true");
        assertThat(failed.json().get("total").asInt()).isEqualTo(1);
        assertThat(failed.json().at("/items/0/status").asInt()).isEqualTo(409);
        assertThat(failed.json().at("/items/0/responseBody").asText()).contains("uniqueness");
        TestApi.Response failedFirst = api.get(scim.org.admin().token(), requests + "?failedFirst=true");
        assertThat(failedFirst.json().at("/items/0/status").asInt()).isEqualTo(409);
        assertThat(api.get(scim.org.admin().token(), requests + "?method=PATCH").json().get("total").asInt())
                .isEqualTo(1);
        assertThat(api.get(scim.org.admin().token(), requests + "?status=201").json().get("total").asInt())
                .isEqualTo(1);

        clock.advance(Duration.ofDays(8));
        assertThat(requestLog.purge()).isGreaterThanOrEqualTo(4);
        assertThat(api.get(scim.org.admin().token(), requests).json().get("total").asInt()).isZero();
    }

    @Test
    void theDeactivateSettingIsReadAndChangedByAdmins() {
        TestData.Org org = data.org();
        assertThat(api.get(org.admin().token(), org.api("/scim-settings")).json().get("onDeactivate").asText())
                .isEqualTo("suspend");
        assertThat(api.put(org.admin().token(), org.api("/scim-settings"), Map.of("onDeactivate", "delete"))
                .status()).isEqualTo(400);
        assertThat(api.put(org.admin().token(), org.api("/scim-settings"), Map.of("onDeactivate", "remove"))
                .json().get("onDeactivate").asText()).isEqualTo("remove");
        assertThat(audit.find(org.id(), new AuditQuery(null, null, Channel.API, "scim-settings.changed", null, null,
                null), PageQuery.of(0, 5)).items()).hasSize(1);
        List.of("suspend").forEach(value -> api.put(org.admin().token(), org.api("/scim-settings"),
                Map.of("onDeactivate", value)));
        assertThat(api.get(org.admin().token(), org.api("/scim-settings")).json().get("onDeactivate").asText())
                .isEqualTo("suspend");
    }
}
