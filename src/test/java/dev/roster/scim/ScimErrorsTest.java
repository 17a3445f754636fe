package dev.roster.scim;

import static dev.roster.scim.ScimTestClient.encode;
import static dev.roster.scim.ScimTestClient.op;
import static dev.roster.scim.ScimTestClient.patch;
import static dev.roster.scim.ScimTestClient.userBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * Errors in the SCIM error schema with the RFC 7644 scimType, the caps on filters, counts and bodies, conditional
 * requests, and no 500 for anything a client can send.
 */
@RosterIntegrationTest
class ScimErrorsTest {

    @Autowired
    TestApi api;

    @Autowired
    TestData data;

    @Test
    void eachScimTypeWhereTheRfcDefinesIt() {
        ScimTestClient scim = ScimTestClient.create(api, data, "generic");
        String id = scim.createUser(TestData.uniqueEmail("errors"));
        expect(scim.get("/Users?filter=" + encode("userName eq")), 400, "invalidFilter");
        expect(scim.get("/Users?filter=" + encode("title eq \"x\"")), 400, "invalidFilter");
        expect(scim.post("/Users", "{not json"), 400, "invalidSyntax");
        expect(scim.patch("/Users/" + id, Map.of("schemas", List.of("urn:ietf:params:scim:api:messages:2.0:PatchOp"))),
                400, "invalidSyntax");
        expect(scim.patch("/Users/" + id, patch(op("replace", "emails[type eq ", "x"))), 400, "invalidPath");
        Map<String, Object> wrongType = userBody(TestData.uniqueEmail("typed"), null);
        wrongType.put("active", 5);
        expect(scim.post("/Users", wrongType), 400, "invalidValue");
        expect(scim.post("/Users", Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"))), 400,
                "invalidValue");
        expect(scim.get("/Users?count=many"), 400, "invalidValue");
        expect(scim.patch("/Users/" + id, patch(op("remove", null, null))), 400, "noTarget");
        expect(scim.patch("/Users/" + id, patch(op("replace", "id", "other"))), 400, "mutability");
        expect(scim.patch("/Users/" + id, patch(op("replace", "meta.created", "2020-01-01T00:00:00Z"))), 400,
                "mutability");
        String userName = scim.get("/Users/" + id).json().get("userName").asText();
        expect(scim.post("/Users", userBody(userName.toUpperCase(), null)), 409, "uniqueness");
        String other = scim.createUser(TestData.uniqueEmail("other"));
        expect(scim.patch("/Users/" + other, patch(op("replace", "userName", userName))), 409, "uniqueness");
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            many.add(op("replace", "title", "t" + i));
        }
        expect(scim.patch("/Users/" + id, Map.of("schemas", List.of("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
                "Operations", many)), 400, "tooMany");
        expect(scim.send("PATCH", "/Users/" + id, patch(op("replace", "title", "x")), Map.of("If-Match", "W/\"999\"")),
                412, "invalidVers");
        expect(scim.get("/Users/" + UUID.randomUUID()), 404, null);
        expect(scim.get("/Nothing/here"), 404, null);
        expect(scim.delete("/Users"), 405, null);
    }

    @Test
    void unauthenticatedRequestsAre401InTheScimErrorSchemaWithTheBearerChallenge() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        for (String token : new String[] {null, "scim_wrong", scim.org.admin().token()}) {
            ScimTestClient.Response response = scim.sendWithToken(token, "GET", "/Users", null, Map.of());
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(response.header("Content-Type")).startsWith("application/scim+json");
            assertThat(response.json().get("status").asText()).isEqualTo("401");
            assertThat(response.json().get("schemas").get(0).asText())
                    .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
        }
        // A session cookie or personal API token is not a SCIM credential, and the API chain is not reachable here.
        assertThat(api.get(scim.token, scim.org.api("/scim-directories")).status()).isEqualTo(401);
    }

    @Test
    void pagingIsCappedAndCountedInIntegers() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        for (int i = 0; i < 3; i++) {
            scim.createUser(TestData.uniqueEmail("page" + i));
        }
        var capped = scim.get("/Users?count=5000&startIndex=0").json();
        assertThat(capped.get("itemsPerPage").isInt()).isTrue();
        assertThat(capped.get("totalResults").isInt()).isTrue();
        assertThat(capped.get("startIndex").asInt()).isEqualTo(1);
        assertThat(capped.get("itemsPerPage").asInt()).isEqualTo(3);
        var none = scim.get("/Users?count=-4").json();
        assertThat(none.get("totalResults").asInt()).isEqualTo(3);
        assertThat(none.get("itemsPerPage").asInt()).isZero();
        List<String> ids = new ArrayList<>();
        for (int start = 1; start <= 3; start++) {
            ids.add(scim.get("/Users?count=1&startIndex=" + start).json().at("/Resources/0/id").asText());
        }
        assertThat(ids).doesNotHaveDuplicates();
        var sorted = scim.get("/Users?sortBy=userName&sortOrder=descending").json();
        assertThat(sorted.at("/Resources/0/userName").asText().compareToIgnoreCase(
                sorted.at("/Resources/2/userName").asText())).isPositive();
        expect(scim.get("/Users?sortBy=title"), 400, "invalidValue");
        expect(scim.get("/Users?filter=" + encode("userName eq \"" + "x".repeat(2100) + "\"")), 400, "invalidFilter");
        String deep = "userName eq \"a\"";
        for (int i = 0; i < 12; i++) {
            deep = "(" + deep + " or userName eq \"b" + i + "\")";
        }
        expect(scim.get("/Users?filter=" + encode(deep)), 400, "invalidFilter");
    }

    @Test
    void bodiesOverTheCapAre413() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        Map<String, Object> body = userBody(TestData.uniqueEmail("large"), null);
        body.put("title", "x".repeat(1_100_000));
        ScimTestClient.Response response = scim.post("/Users", body);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().get("status").asText()).isEqualTo("413");
    }

    @Test
    void versionsAndConditionalRequests() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        String id = scim.createUser(TestData.uniqueEmail("etag"));
        ScimTestClient.Response read = scim.get("/Users/" + id);
        String etag = read.header("ETag");
        assertThat(etag).startsWith("W/\"").isEqualTo(read.json().at("/meta/version").asText());
        assertThat(scim.send("GET", "/Users/" + id, null, Map.of("If-None-Match", etag)).status()).isEqualTo(304);
        ScimTestClient.Response updated = scim.send("PATCH", "/Users/" + id, patch(op("replace", "title", "A")),
                Map.of("If-Match", etag));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.header("ETag")).isNotEqualTo(etag);
        assertThat(scim.send("PATCH", "/Users/" + id, patch(op("replace", "title", "B")), Map.of("If-Match", etag))
                .status()).isEqualTo(412);
        assertThat(scim.send("DELETE", "/Users/" + id, null, Map.of("If-Match", etag)).status()).isEqualTo(412);
        assertThat(scim.get("/Users/" + id).json().get("title").asText()).isEqualTo("A");
        String group = scim.createGroup(TestData.unique("Versioned"));
        String before = scim.get("/Groups/" + group).header("ETag");
        scim.patch("/Groups/" + group, patch(op("add", "members", ScimTestClient.members(id))));
        assertThat(scim.get("/Groups/" + group).header("ETag")).isNotEqualTo(before);
    }

    @Test
    void aDirectoryOverItsRateGets429WithRetryAfter() {
        ScimTestClient scim = ScimTestClient.create(api, data.org(), "okta", 1);
        int limited = 0;
        String retryAfter = null;
        for (int i = 0; i < 5; i++) {
            ScimTestClient.Response response = scim.get("/Users");
            if (response.status() == 429) {
                limited++;
                retryAfter = response.header("Retry-After");
                assertThat(response.json().get("status").asText()).isEqualTo("429");
            }
        }
        assertThat(limited).isGreaterThan(0);
        assertThat(Integer.parseInt(retryAfter)).isPositive();
    }

    @Test
    void malformedInputNeverGets500() {
        // Some thousand requests in a few seconds: the directory's own rate is set high so a fast machine gets
        // answers from the parsers, not 429 from the limiter (aDirectoryOverItsRateGets429WithRetryAfter tests that).
        ScimTestClient scim = ScimTestClient.create(api, data.org(), "generic",
                ScimDirectoryService.MAX_REQUESTS_PER_SECOND);
        String id = scim.createUser(TestData.uniqueEmail("fuzz"));
        String group = scim.createGroup(TestData.unique("Fuzz"), id);
        List<String> bodies = List.of("", "null", "[]", "42", "\"text\"", "{", "{\"userName\": {}}",
                "{\"userName\": [1,2]}", "{\"Operations\": null}", "{\"Operations\": [null]}",
                "{\"Operations\": [{\"op\": 5}]}", "{\"Operations\": [{\"op\": \"add\", \"path\": 7, \"value\": 1}]}",
                "{\"Operations\": [{\"op\": \"add\", \"path\": \"members\", \"value\": \"x\"}]}",
                "{\"Operations\": [{\"op\": \"add\", \"path\": \"members\", \"value\": [{\"value\": 3}]}]}",
                "{\"Operations\": [{\"op\": \"replace\", \"path\": \"a.b.c.d\", \"value\": 1}]}",
                "{\"Operations\": [{\"op\": \"replace\", \"path\": \"emails[value eq \\\"x\\\"].type.x\", \"value\": 1}]}",
                "{\"Operations\": [{\"op\": \"add\", \"value\": {\"name\": \"x\"}}]}",
                "{\"Operations\": [{\"op\": \"add\", \"value\": {}}]}",
                "{\"Operations\": [{\"op\": \"remove\", \"path\": \"members[display co \\\"x\\\"]\"}]}",
                "{\"displayName\": \"\\u0000\", \"userName\": \"\\ud800\"}",
                "[".repeat(5000) + "]".repeat(5000),
                "{\"emails\": [{\"value\": {\"a\": 1}}], \"userName\": \"fuzz@example.test\"}",
                "{\"userName\": \"x\", \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\": 5}",
                "{\"userName\": \"y\", \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\": {\"manager\": 5}}",
                "{\"displayName\": \"g\", \"members\": {\"value\": []}}");
        List<String> paths = List.of("/Users", "/Users/" + id, "/Groups", "/Groups/" + group, "/Users/.search",
                "/.search", "/Users/%00", "/Users/" + "9".repeat(300), "/Groups/../Users", "/Schemas/%20",
                "/ResourceTypes/x");
        List<String> methods = List.of("POST", "PUT", "PATCH");
        for (String path : paths) {
            for (String method : methods) {
                for (String body : bodies) {
                    ScimTestClient.Response response = scim.send(method, path, body, Map.of());
                    assertThat(response.status()).as(method + " " + path + " " + abbreviate(body) + " -> "
                            + response.body()).isLessThan(500);
                }
            }
        }
        List<String> filters = List.of("", "(", ")", "userName", "userName eq", "eq \"x\"", "userName eq \"x",
                "userName zz \"x\"", "userName eq 1", "active eq \"maybe\"", "meta.created gt \"yesterday\"",
                "emails[value eq \"x\"", "emails[type eq \"work\"].value", "members[value eq \"x\"].display eq \"y\"",
                "not", "not ()", "a.b.c.d eq \"x\"", "urn:x:y:z eq \"1\"", "id eq null", "id gt \"x\"",
                "userName eq \"\\\"", "\u0000", "userName eq \"x\" and", "name.givenName eq \"x\"");
        for (String resource : List.of("/Users", "/Groups")) {
            for (String filter : filters) {
                ScimTestClient.Response response = scim.get(resource + "?filter=" + encode(filter)
                        + "&attributes=" + encode("[{]") + "&sortBy=" + encode("!!"));
                assertThat(response.status()).as(resource + " " + filter + " -> " + response.body()).isLessThan(500);
                ScimTestClient.Response plain = scim.get(resource + "?filter=" + encode(filter));
                assertThat(plain.status()).as(resource + " " + filter + " -> " + plain.body()).isLessThan(500);
            }
        }
        assertThat(scim.get("/Users?startIndex=99999999999999999999&count=1e9").status()).isLessThan(500);
        assertThat(scim.send("GET", "/Users/" + id, null, Map.of("If-None-Match", "garbage")).status())
                .isEqualTo(200);
    }

    private static void expect(ScimTestClient.Response response, int status, String scimType) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/scim+json");
        assertThat(response.json().get("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(response.json().get("status").isTextual()).isTrue();
        assertThat(response.json().get("status").asText()).isEqualTo(Integer.toString(status));
        assertThat(response.json().get("detail").asText()).isNotBlank();
        if (scimType != null) {
            assertThat(response.json().path("scimType").asText()).as(response.body()).isEqualTo(scimType);
        }
    }

    private static String abbreviate(String body) {
        return body.length() > 80 ? body.substring(0, 80) + "..." : body;
    }
}
