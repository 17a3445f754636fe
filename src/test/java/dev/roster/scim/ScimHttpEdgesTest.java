package dev.roster.scim;

import static dev.roster.scim.ScimStrictParsingTest.expect;
import static dev.roster.scim.ScimTestClient.encode;
import static dev.roster.scim.ScimTestClient.op;
import static dev.roster.scim.ScimTestClient.patch;
import static dev.roster.scim.ScimTestClient.userBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * SCIM over HTTP where the RFC and the IdPs' reference tests meet the servlet stack: endpoint names in any case and
 * with a trailing slash, JSON media types on writes (415 otherwise), {@code Location} on every answer that carries a
 * resource, 405 with {@code Allow} on read-only endpoints, and the SCIM error schema even for what Tomcat and
 * Spring Security's firewall refuse before any controller runs. Requests the JDK client will not send (a missing
 * Content-Type with a body, control characters, encoded slashes) go over a raw socket.
 */
@RosterIntegrationTest
class ScimHttpEdgesTest {

    @Autowired
    TestApi api;

    @Autowired
    TestData data;

    @Test
    void endpointsAnswerInAnyCaseAndWithATrailingSlash() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        String email = TestData.uniqueEmail("lower");
        ScimTestClient.Response created = scim.post("/users", userBody(email, email));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.id();
        assertThat(created.header("Location")).isEqualTo(scim.tenantUrl + "/Users/" + id);
        for (String path : List.of("/users", "/Users/", "/USERS/", "/users?count=5", "/Users/?filter="
                + encode("userName eq \"" + email + "\""))) {
            ScimTestClient.Response list = scim.get(path);
            assertThat(list.status()).as(path + " " + list.body()).isEqualTo(200);
            assertThat(list.json().get("totalResults").asInt()).as(path).isEqualTo(1);
        }
        // Microsoft's reference collection filters on DisplayName with '+' for spaces, behind a trailing slash.
        scim.patch("/Users/" + id, patch(op("replace", "displayName", "Bob Is Amazing")));
        assertThat(scim.get("/Users/?filter=DisplayName+eq+%22Bob%20Is%20Amazing%22").json().get("totalResults")
                .asInt()).isEqualTo(1);
        assertThat(scim.get("/users/" + id + "/").json().get("id").asText()).isEqualTo(id);
        assertThat(scim.patch("/USERS/" + id + "/", patch(op("replace", "title", "Engineer"))).status())
                .isEqualTo(200);
        assertThat(scim.post("/users/.SEARCH", Map.of("filter", "userName eq \"" + email + "\"")).json()
                .get("totalResults").asInt()).isEqualTo(1);
        String group = scim.createGroup(TestData.unique("Lenient"));
        assertThat(scim.patch("/groups/" + group + "/", patch(op("add", "members", ScimTestClient.members(id))))
                .status()).isEqualTo(204);
        assertThat(scim.get("/GROUPS/" + group).json().at("/members/0/value").asText()).isEqualTo(id);
        for (String discovery : List.of("/serviceproviderconfig", "/Schemas/", "/resourcetypes/User",
                "/RESOURCETYPES/", "/schemas/urn:ietf:params:scim:schemas:core:2.0:User")) {
            assertThat(scim.get(discovery).status()).as(discovery).isEqualTo(200);
        }
        assertThat(scim.delete("/users/" + id + "/").status()).isEqualTo(204);
        // Only the endpoint names are lenient: anything else is still unknown.
        expect(scim.get("/Userz"), 404, null);
        expect(scim.get("/Users/" + id + "/extra"), 404, null);
    }

    @Test
    void writesNeedAJsonMediaType() throws IOException {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        String id = scim.createUser(TestData.uniqueEmail("typed"));
        String email = TestData.uniqueEmail("plain");
        String body = ScimTestClient.json().writeValueAsString(userBody(email, email));
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "application/json-patch+json", "not a type")) {
            ScimTestClient.Response refused = scim.send("POST", "/Users", body, Map.of("Content-Type", type));
            expect(refused, 415, null);
            assertThat(refused.header("Accept")).contains("application/scim+json");
            expect(scim.send("PUT", "/Users/" + id, body, Map.of("Content-Type", type)), 415, null);
            expect(scim.send("PATCH", "/Users/" + id, patch(op("replace", "title", "x")),
                    Map.of("Content-Type", type)), 415, null);
            expect(scim.send("POST", "/Users/.search", "{}", Map.of("Content-Type", type)), 415, null);
        }
        Raw missing = raw("POST /scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + scim.token
                + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n"
                + body);
        missing.expectScimError(415);
        assertThat(scim.get("/Users?filter=" + encode("userName eq \"" + email + "\"")).json().get("totalResults")
                .asInt()).isZero();
        for (String type : List.of("application/scim+json", "application/json", "application/json; charset=UTF-8",
                "application/scim+json;charset=utf-8", "Application/SCIM+JSON")) {
            String userName = TestData.uniqueEmail("json");
            ScimTestClient.Response accepted = scim.send("POST", "/Users", userBody(userName, null),
                    Map.of("Content-Type", type));
            assertThat(accepted.status()).as(type + " " + accepted.body()).isEqualTo(201);
        }
        // A request without a body needs no media type.
        assertThat(scim.delete("/Users/" + id).status()).isEqualTo(204);
    }

    @Test
    void everyAnswerCarryingAResourceHasItsLocation() {
        ScimTestClient scim = ScimTestClient.create(api, data, "generic");
        String email = TestData.uniqueEmail("located");
        ScimTestClient.Response created = scim.post("/Users", userBody(email, email));
        String id = created.id();
        String location = scim.tenantUrl + "/Users/" + id;
        List<ScimTestClient.Response> answers = List.of(created, scim.get("/Users/" + id),
                scim.put("/Users/" + id, userBody(email, email)),
                scim.patch("/Users/" + id, patch(op("replace", "title", "Located"))),
                scim.get("/Users/" + id + "?attributes=userName"),
                scim.patch("/Users/" + id + "?excludedAttributes=meta", patch(op("replace", "title", "Again"))));
        for (ScimTestClient.Response answer : answers) {
            assertThat(answer.status()).as(answer.body()).isIn(200, 201);
            assertThat(answer.header("Location")).as(answer.body()).isEqualTo(location);
            assertThat(answer.header("ETag")).as(answer.body()).startsWith("W/\"");
        }
        assertThat(scim.get("/Users/" + id).json().at("/meta/location").asText()).isEqualTo(location);

        ScimTestClient.Response group = scim.post("/Groups", Map.of("displayName", TestData.unique("Located")));
        String groupId = group.id();
        String groupLocation = scim.tenantUrl + "/Groups/" + groupId;
        List<ScimTestClient.Response> groupAnswers = List.of(group, scim.get("/Groups/" + groupId),
                scim.put("/Groups/" + groupId, Map.of("displayName", TestData.unique("Renamed"))),
                scim.patch("/Groups/" + groupId, patch(op("add", "members", ScimTestClient.members(id)))),
                scim.patch("/Groups/" + groupId + "?attributes=displayName",
                        patch(op("replace", "displayName", TestData.unique("Again")))));
        for (ScimTestClient.Response answer : groupAnswers) {
            assertThat(answer.status()).as(answer.body()).isIn(200, 201, 204);
            assertThat(answer.header("Location")).as(answer.status() + " " + answer.body()).isEqualTo(groupLocation);
        }
    }

    @Test
    void membersAreShownWithTheServersOwnDisplay() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        Map<String, Object> body = userBody(TestData.uniqueEmail("vp"), null);
        body.put("displayName", "Ada Lovelace");
        String id = scim.post("/Users", body).id();
        ScimTestClient.Response group = scim.post("/Groups", Map.of("displayName", TestData.unique("Display"),
                "members", List.of(Map.of("value", id, "display", "VP"))));
        assertThat(group.json().at("/members/0/display").asText()).isEqualTo("Ada Lovelace");
        scim.patch("/Groups/" + group.id(), patch(op("add", "members",
                List.of(Map.of("value", id, "displayName", "new User")))));
        assertThat(scim.get("/Groups/" + group.id()).json().at("/members/0/display").asText())
                .isEqualTo("Ada Lovelace");
    }

    @Test
    void methodsAnEndpointDoesNotTakeAre405WithAllow() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        String id = scim.createUser(TestData.uniqueEmail("allow"));
        for (String path : List.of("/Schemas", "/ResourceTypes", "/ServiceProviderConfig", "/Schemas/"
                + "urn:ietf:params:scim:schemas:core:2.0:User", "/ResourceTypes/User", "/schemas/")) {
            for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
                ScimTestClient.Response response = scim.send(method, path, method.equals("DELETE") ? null : "{}",
                        Map.of());
                expect(response, 405, null);
                assertThat(response.header("Allow")).as(method + " " + path).isEqualTo("GET");
            }
        }
        ScimTestClient.Response deleteAll = scim.delete("/Users");
        expect(deleteAll, 405, null);
        assertThat(deleteAll.header("Allow")).isEqualTo("GET, POST");
        ScimTestClient.Response postToOne = scim.post("/Users/" + id, userBody(TestData.uniqueEmail("x"), null));
        expect(postToOne, 405, null);
        assertThat(postToOne.header("Allow")).isEqualTo("GET, PUT, PATCH, DELETE");
        assertThat(scim.get("/Users/.search").header("Allow")).isEqualTo("POST");
        // Endpoints RFC 7644 defines that Roster does not implement, as ServiceProviderConfig says.
        expect(scim.get("/Me"), 501, null);
        expect(scim.post("/Bulk", "{}"), 501, null);
        expect(scim.get("/Nothing/here"), 404, null);
    }

    @Test
    void whatTomcatAndTheFirewallRefuseIsStillScimJson() throws IOException {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        String auth = "Authorization: Bearer " + scim.token + "\r\n";
        // A 10 KB bearer token is read and refused by Roster, as any wrong token is.
        Raw longToken = raw(get("/scim/v2/Users", "Authorization: Bearer scim_" + "a".repeat(10 * 1024) + "\r\n"));
        longToken.expectScimError(401);
        assertThat(longToken.header("WWW-Authenticate")).startsWith("Bearer");
        // Over the limit Tomcat refuses the request before Roster sees it, in SCIM's schema all the same.
        raw(get("/scim/v2/Users", auth + "X-Padding: " + "p".repeat(40 * 1024) + "\r\n")).expectScimError(400);
        // Refused by Tomcat: NUL, encoded slashes and backslashes, control characters in a header.
        for (String path : List.of("/scim/v2/Users/%00", "/scim/v2/Users/..%2fGroups", "/scim/v2/Users/a%2Fb",
                "/scim/v2/Users/a%5Cb", "/scim/v2/users/%00")) {
            raw(get(path, auth)).expectScimError(400);
        }
        raw(get("/scim/v2/Users/" + java.util.UUID.randomUUID(), auth + "If-None-Match: W/\"1\u0001\"\r\n"))
                .expectScimError(400);
        // Refused by Spring Security's firewall before the SCIM chain: ';', '//', '%25', an encoded line feed.
        for (String path : List.of("/scim/v2/Users/a;b", "/scim/v2//Users", "/scim/v2/Users/%25",
                "/scim/v2/Users/a%0Ab", "/scim/v2/Users/%2e%2e")) {
            raw(get(path, auth)).expectScimError(400);
        }
        // A long URL that Tomcat reads is the application's to answer: a filter over its cap.
        raw(get("/scim/v2/Users?filter=" + "a".repeat(10 * 1024), auth)).expectScimError(400);
        // Outside the SCIM base nothing changes: Tomcat's own answer, not SCIM's.
        Raw elsewhere = raw(get("/api/v1/a%2Fb", ""));
        assertThat(elsewhere.status).isEqualTo(400);
        assertThat(String.valueOf(elsewhere.header("Content-Type"))).doesNotContain("scim");
    }

    private static String get(String target, String headers) {
        return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n";
    }

    private Raw raw(String request) throws IOException {
        URI base = URI.create(api.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    received.write(buffer, 0, n);
                }
            }
            catch (SocketTimeoutException | java.net.SocketException ex) {
                // Tomcat may reset the connection after answering a request it refused; the answer is what counts.
            }
            return Raw.parse(received.toString(StandardCharsets.UTF_8), request);
        }
    }

    /** An HTTP/1.1 answer read off the socket; chunked bodies are joined. */
    private record Raw(int status, Map<String, String> headers, String body, String request) {

        static Raw parse(String answer, String request) {
            int end = answer.indexOf("\r\n\r\n");
            assertThat(end).as("an HTTP answer to " + abbreviate(request) + ": " + answer).isPositive();
            String[] lines = answer.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1)
                        .trim());
            }
            String body = answer.substring(end + 4);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                StringBuilder joined = new StringBuilder();
                int at = 0;
                while (true) {
                    int lineEnd = body.indexOf("\r\n", at);
                    int size = Integer.parseInt(body.substring(at, lineEnd).trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    joined.append(body, lineEnd + 2, lineEnd + 2 + size);
                    at = lineEnd + 2 + size + 2;
                }
                body = joined.toString();
            }
            return new Raw(status, headers, body, request);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        void expectScimError(int expected) {
            String context = abbreviate(request) + " -> " + status + " " + headers + " " + body;
            assertThat(status).as(context).isEqualTo(expected);
            assertThat(header("Content-Type")).as(context).startsWith("application/scim+json");
            JsonNode json = ScimTestClient.parse(body);
            assertThat(json.path("schemas").path(0).asText()).as(context)
                    .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
            assertThat(json.path("status").asText()).as(context).isEqualTo(Integer.toString(expected));
            assertThat(json.path("detail").asText()).as(context).isNotBlank().doesNotContain("Exception");
        }

        private static String abbreviate(String request) {
            String firstLine = request.split("\r\n")[0];
            return firstLine.length() > 120 ? firstLine.substring(0, 120) + "..." : firstLine;
        }
    }
}
