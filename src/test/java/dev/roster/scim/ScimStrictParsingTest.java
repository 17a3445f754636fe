package dev.roster.scim;

import static dev.roster.scim.ScimTestClient.encode;
import static dev.roster.scim.ScimTestClient.op;
import static dev.roster.scim.ScimTestClient.patch;
import static dev.roster.scim.ScimTestClient.userBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.scim.directory.ScimDirectoryService;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * Where SCIM is strict (RFC 7644 sections 3.4.2.2, 3.5.2 and 3.12): the filter nesting cap counts parentheses, an
 * unclosed bracket is refused rather than read as closed, a PATCH path that names attributes the resource does not
 * have is {@code invalidPath} instead of a silent no-op or a removal the client did not ask for, userNames are
 * trimmed the same way when written and when filtered, and every {@code detail} is a sentence for the IdP's admin,
 * never an exception's text.
 */
@RosterIntegrationTest
class ScimStrictParsingTest {

    /** What exception text looks like: class names, Jackson's source locations, line breaks. */
    private static final Pattern EXCEPTION_TEXT = Pattern.compile(
            "com\\.unboundid|com\\.fasterxml|java\\.lang|Exception|\\[Source:|REDACTED|StreamReadFeature|[\\r\\n\\t]");

    @Autowired
    TestApi api;

    @Autowired
    TestData data;

    @Test
    void theNestingCapCountsEveryParenthesis() {
        ScimTestClient scim = ScimTestClient.create(api, data, "generic");
        String email = TestData.uniqueEmail("nested");
        scim.createUser(email);
        String comparison = "userName eq \"" + email + "\"";
        // Ten levels are the documented cap and still answered.
        assertThat(scim.get("/Users?filter=" + encode(wrapped(comparison, 10))).json().get("totalResults").asInt())
                .isEqualTo(1);
        for (int depth : new int[] {11, 500}) {
            ScimTestClient.Response response = scim.get("/Users?filter=" + encode(wrapped(comparison, depth)));
            expect(response, 400, "invalidFilter");
            assertThat(response.json().get("detail").asText()).contains("at most 10 levels");
        }
        // The same nesting in a search body and through /.search.
        expect(scim.post("/Users/.search", Map.of("filter", wrapped(comparison, 11))), 400, "invalidFilter");
        expect(scim.post("/.search", Map.of("filter", wrapped(comparison, 500))), 400, "invalidFilter");
    }

    @Test
    void anUnclosedBracketIsRefusedInFiltersAndPaths() {
        ScimTestClient scim = ScimTestClient.create(api, data, "generic");
        String email = TestData.uniqueEmail("bracket");
        String id = scim.createUser(email);
        ScimTestClient.Response filtered = scim.get("/Users?filter=" + encode("emails[type eq \"work\""));
        expect(filtered, 400, "invalidFilter");
        assertThat(filtered.json().get("detail").asText()).contains("'['").contains("never closes");
        expect(scim.get("/Users?filter=" + encode("emails[type eq \"work\"]]")), 400, "invalidFilter");
        expect(scim.get("/Users?filter=" + encode("(userName eq \"x\"")), 400, "invalidFilter");
        // Before, this removed every email of the user: the SDK read the path as emails[type eq "work"].
        expect(scim.patch("/Users/" + id, patch(op("remove", "emails[type eq \"work\"", null))), 400,
                "invalidPath");
        assertThat(scim.get("/Users/" + id).json().at("/emails/0/value").asText()).isEqualToIgnoringCase(email);
    }

    @Test
    void patchPathsNamingUnknownAttributesAreInvalidPath() {
        ScimTestClient scim = ScimTestClient.create(api, data, "okta");
        String email = TestData.uniqueEmail("member");
        String member = scim.createUser(email);
        String group = scim.createGroup(TestData.unique("Strict"), member);

        // The unknown condition used to be ignored, so the member was removed.
        expect(scim.patch("/Groups/" + group, patch(op("remove",
                "members[value eq \"" + member + "\" and bogus eq \"y\"]", null))), 400, "invalidPath");
        expect(scim.patch("/Groups/" + group, patch(op("remove", "members[bogus eq \"y\"]", null))), 400,
                "invalidPath");
        expect(scim.patch("/Groups/" + group, patch(op("remove", "bogus", null))), 400, "invalidPath");
        assertThat(memberIds(scim, group)).containsExactly(member);

        // A type next to the value is understood: every member is a User.
        assertThat(scim.patch("/Groups/" + group, patch(op("remove",
                "members[value eq \"" + member + "\" and type eq \"Group\"]", null))).status()).isEqualTo(204);
        assertThat(memberIds(scim, group)).containsExactly(member);
        assertThat(scim.patch("/Groups/" + group, patch(op("remove",
                "members[value eq \"" + member + "\" and type eq \"User\"]", null))).status()).isEqualTo(204);
        assertThat(memberIds(scim, group)).isEmpty();

        for (String path : List.of("bogus", "name.bogus", "emails[bogus eq \"x\"].value", "emails[type eq \"work\"].bogus",
                "emails[type eq \"work\" and bogus eq \"y\"].value", "title[value eq \"x\"]", "a.b.c.d",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:bogus")) {
            for (String operation : List.of("remove", "replace")) {
                ScimTestClient.Response response = scim.patch("/Users/" + member,
                        patch(op(operation, path, operation.equals("remove") ? null : "x")));
                expect(response, 400, "invalidPath");
            }
        }
        JsonNode user = scim.get("/Users/" + member).json();
        assertThat(user.at("/emails/0/value").asText()).isEqualToIgnoringCase(email);
        assertThat(user.at("/name/givenName").asText()).isEqualTo("Test");

        // Filters on unknown attributes were already refused; they stay so.
        expect(scim.get("/Users?filter=" + encode("emails[type eq \"work\" and bogus eq \"y\"]")), 400,
                "invalidFilter");
        // Paths into extension namespaces Roster does not define are stored as sent, unchecked.
        assertThat(scim.patch("/Users/" + member, patch(op("add", "urn:example:params:custom:costCenter", "42")))
                .status()).isEqualTo(200);
    }

    @Test
    void userNamesAreTrimmedWhenWrittenAndWhenFiltered() {
        ScimTestClient scim = ScimTestClient.create(api, data, "entra");
        String userName = TestData.uniqueEmail("spaced");
        ScimTestClient.Response created = scim.post("/Users", userBody("  " + userName + " ", null));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.id();
        assertThat(created.json().get("userName").asText()).isEqualTo(userName);
        assertThat(scim.get("/Users/" + id).json().get("userName").asText()).isEqualTo(userName);
        for (String compared : List.of(userName, " " + userName + " ", "\t" + userName.toUpperCase())) {
            JsonNode found = scim.get("/Users?filter=" + encode("userName eq \"" + compared.replace("\t", "\\t")
                    + "\"")).json();
            assertThat(found.get("totalResults").asInt()).as(compared).isEqualTo(1);
            assertThat(found.at("/Resources/0/id").asText()).isEqualTo(id);
        }
        assertThat(scim.get("/Users?filter=" + encode("userName ne \" " + userName + "\"")).json()
                .get("totalResults").asInt()).isZero();
        // The same user under its padded name is a duplicate, not a second user.
        expect(scim.post("/Users", userBody(userName + "   ", null)), 409, "uniqueness");

        String renamed = TestData.uniqueEmail("renamed");
        ScimTestClient.Response patched = scim.patch("/Users/" + id, patch(op("replace", "userName", " " + renamed)));
        assertThat(patched.json().get("userName").asText()).isEqualTo(renamed);
        String replaced = TestData.uniqueEmail("replaced");
        ScimTestClient.Response put = scim.put("/Users/" + id, userBody(replaced + "  ", null));
        assertThat(put.json().get("userName").asText()).isEqualTo(replaced);
        assertThat(scim.get("/Users?filter=" + encode("userName eq \"" + replaced + " \"")).json()
                .get("totalResults").asInt()).isEqualTo(1);
    }

    @Test
    void everyDetailIsASentenceNeverAnExceptionsText() {
        ScimTestClient scim = ScimTestClient.create(api, data.org(), "generic",
                ScimDirectoryService.MAX_REQUESTS_PER_SECOND);
        String id = scim.createUser(TestData.uniqueEmail("detail"));
        String group = scim.createGroup(TestData.unique("Detail"), id);
        List<ScimTestClient.Response> answers = new ArrayList<>();
        // Jackson's "Unexpected end-of-input ... at [Source: REDACTED" came through these.
        for (String filter : List.of("userName eq", "userName eq \"x", "userName eq \"\\\"", "userName xx \"x\"",
                "userName eq \"x\" and", "not", "(", ")", "meta.created gt \"yesterday\"", "userName eq {\"a\"",
                "emails[value eq \"x\"].type eq")) {
            answers.add(scim.get("/Users?filter=" + encode(filter)));
            answers.add(scim.get("/Groups?filter=" + encode(filter)));
        }
        // "com.unboundid.scim2.common.exceptions.BadRequestException: ..." came through these.
        for (String path : List.of("a.b.c.d", "emails[value eq \"x\"].type.x", "emails[", "emails]", "[x]", "..",
                "emails[type eq \"work\"].value.x", "urn:", "name..givenName")) {
            answers.add(scim.patch("/Users/" + id, patch(op("replace", path, "x"))));
            answers.add(scim.patch("/Groups/" + group, patch(op("remove", path, null))));
        }
        answers.add(scim.patch("/Users/" + id, patch(op("add", "emails[type eq \"work\"].value", Map.of()))));
        answers.add(scim.patch("/Users/" + id, patch(op("replace", "name.givenName", List.of(1)))));
        answers.add(scim.patch("/Users/" + id, patch(op("replace", null, Map.of("name", Map.of("givenName",
                Map.of("a", 1)))))));
        answers.add(scim.get("/Users?attributes=" + encode("emails[type eq")));
        for (String body : List.of("{", "[]", "{\"userName\": 5}", "{\"userName\": \"x\", \"emails\": \"text\"}",
                "{\"userName\": \"x\", \"x509Certificates\": [{\"value\": \"!!\"}]}",
                "{\"userName\": \"x\", \"meta\": {\"created\": \"never\"}, \"bogus\": 1}")) {
            answers.add(scim.post("/Users", body));
        }
        assertThat(answers).isNotEmpty();
        for (ScimTestClient.Response answer : answers) {
            assertThat(answer.status()).as(answer.body()).isBetween(400, 499);
            String detail = answer.json().path("detail").asText();
            assertThat(detail).as(answer.body()).isNotBlank().endsWith(".");
            assertThat(EXCEPTION_TEXT.matcher(detail).find()).as(answer.body()).isFalse();
        }
    }

    private static List<String> memberIds(ScimTestClient scim, String group) {
        List<String> ids = new ArrayList<>();
        scim.get("/Groups/" + group).json().path("members").forEach(m -> ids.add(m.get("value").asText()));
        return ids;
    }

    private static String wrapped(String comparison, int depth) {
        return "(".repeat(depth) + comparison + ")".repeat(depth);
    }

    static void expect(ScimTestClient.Response response, int status, String scimType) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/scim+json");
        assertThat(response.json().get("schemas").get(0).asText())
                .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(response.json().get("status").asText()).isEqualTo(Integer.toString(status));
        String detail = response.json().get("detail").asText();
        assertThat(detail).isNotBlank();
        assertThat(EXCEPTION_TEXT.matcher(detail).find()).as(detail).isFalse();
        if (scimType != null) {
            assertThat(response.json().path("scimType").asText()).as(response.body()).isEqualTo(scimType);
        }
    }
}
