package dev.roster.scim;

import static dev.roster.scim.ScimTestClient.encode;
import static dev.roster.scim.ScimTestClient.members;
import static dev.roster.scim.ScimTestClient.op;
import static dev.roster.scim.ScimTestClient.patch;
import static dev.roster.scim.ScimTestClient.userBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/** Each dialect of Entra ID and Okta that issue 3 lists, accepted and applied (never answered 2xx and ignored). */
@RosterIntegrationTest
class ScimDialectsTest {

    @Autowired
    TestApi api;

    @Autowired
    TestData data;

    private ScimTestClient scim;

    @BeforeEach
    void directory() {
        scim = ScimTestClient.create(api, data, "generic");
    }

    @Test
    void opsInAnyCase() {
        String id = scim.createUser(TestData.uniqueEmail("ops"));
        assertThat(scim.patch("/Users/" + id, patch(op("REPLACE", "displayName", "Upper"), op("Add", "title", "Dev"),
                op("rEmOvE", "name.givenName", null))).status()).isEqualTo(200);
        JsonNode user = scim.get("/Users/" + id).json();
        assertThat(user.get("displayName").asText()).isEqualTo("Upper");
        assertThat(user.get("title").asText()).isEqualTo("Dev");
        assertThat(user.get("name").has("givenName")).isFalse();
        ScimTestClient.Response merge = scim.patch("/Users/" + id, patch(op("merge", "title", "x")));
        assertThat(merge.status()).as(merge.body()).isEqualTo(400);
        assertThat(merge.json().get("scimType").asText()).isEqualTo("invalidSyntax");
    }

    @Test
    void stringBooleansBecomeBooleans() {
        String id = scim.createUser(TestData.uniqueEmail("bools"));
        patched("/Users/" + id, patch(op("Replace", "active", "False")));
        assertThat(scim.get("/Users/" + id).json().get("active").isBoolean()).isTrue();
        assertThat(scim.get("/Users/" + id).json().get("active").booleanValue()).isFalse();
        patched("/Users/" + id, patch(op("Replace", null, Map.of("active", "True"))));
        assertThat(scim.get("/Users/" + id).json().get("active").booleanValue()).isTrue();
        Map<String, Object> body = userBody(TestData.uniqueEmail("created-false"), null);
        body.put("active", "False");
        assertThat(scim.post("/Users", body).json().get("active").booleanValue()).isFalse();
    }

    @Test
    void pathLessReplaceWithDottedKeysAndPlainObjects() {
        String id = scim.createUser(TestData.uniqueEmail("dotted"));
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name.givenName", "Kkom");
        value.put("name.familyName", "Unua");
        value.put("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "E-1");
        value.put("nickName", "Nick");
        patched("/Users/" + id, patch(op("replace", null, value)));
        patched("/Users/" + id, patch(op("replace", null, Map.of("active", false))));
        JsonNode user = scim.get("/Users/" + id).json();
        assertThat(user.at("/name/givenName").asText()).isEqualTo("Kkom");
        assertThat(user.at("/name/familyName").asText()).isEqualTo("Unua");
        assertThat(user.get("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User").get("employeeNumber")
                .asText()).isEqualTo("E-1");
        assertThat(user.get("nickName").asText()).isEqualTo("Nick");
        assertThat(user.get("active").asBoolean()).isFalse();
        assertThat(user.has("name.givenName")).isFalse();
    }

    @Test
    void addOnASingleValuedAttributeReplacesIt() {
        String id = scim.createUser(TestData.uniqueEmail("single"));
        patched("/Users/" + id, patch(op("Add", "nickName", "First")));
        patched("/Users/" + id, patch(op("Add", "nickName", "Second")));
        patched("/Users/" + id, patch(op("add", "userName", "renamed-" + UUID.randomUUID() + "@example.test")));
        JsonNode user = scim.get("/Users/" + id).json();
        assertThat(user.get("nickName").asText()).isEqualTo("Second");
        assertThat(user.get("userName").asText()).startsWith("renamed-");
    }

    @Test
    void memberRemovalInEveryFormAndSeveralChangesInOnePatch() {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            users.add(scim.createUser(TestData.uniqueEmail("member" + i)));
        }
        String group = scim.createGroup(TestData.unique("Dialects"), users.toArray(String[]::new));
        assertThat(scim.patch("/Groups/" + group, patch(
                op("remove", "members[value eq \"" + users.get(0) + "\"]", null),
                op("Remove", "members", members(users.get(1), users.get(2))),
                op("Remove", "members", Map.of("members", members(users.get(3)))),
                op("add", "members", members(users.get(0))),
                op("remove", "members[value eq \"" + users.get(4) + "\" or value eq \"" + users.get(5) + "\"]", null)))
                .status()).isEqualTo(204);
        assertThat(memberIds(group)).containsExactly(users.get(0));
        patched("/Groups/" + group, patch(op("remove", "members", null)));
        assertThat(memberIds(group)).isEmpty();
        patched("/Groups/" + group, patch(op("replace", null, Map.of("members", members(users.get(5))))));
        assertThat(memberIds(group)).containsExactly(users.get(5));
        patched("/Groups/" + group, patch(op("replace", "members", members(users.get(1), users.get(2)))));
        assertThat(memberIds(group)).containsExactlyInAnyOrder(users.get(1), users.get(2));
        // Removing someone who is not a member changes nothing and is not an error (IdPs retry).
        assertThat(scim.patch("/Groups/" + group, patch(op("remove", "members[value eq \"" + users.get(4) + "\"]",
                null))).status()).isEqualTo(204);
    }

    @Test
    void workEmailReplaceOrAddCreatesOrUpdates() {
        String id = scim.post("/Users", userBody("no-email-" + UUID.randomUUID(), null)).id();
        String first = TestData.uniqueEmail("first");
        patched("/Users/" + id, patch(op("Replace", "emails[type eq \"work\"].value", first)));
        assertThat(emails(id)).containsExactly("work:" + first);
        String second = TestData.uniqueEmail("second");
        patched("/Users/" + id, patch(op("Add", "emails[type eq \"work\"].value", second)));
        assertThat(emails(id)).containsExactly("work:" + second);
        String home = TestData.uniqueEmail("home");
        patched("/Users/" + id, patch(op("add", "emails[type eq \"home\"].value", home)));
        assertThat(emails(id)).containsExactlyInAnyOrder("work:" + second, "home:" + home);
    }

    @Test
    void oktaRenameWithIdAndAnotherIdIsRefused() {
        String group = scim.createGroup(TestData.unique("Okta"));
        String name = TestData.unique("Okta renamed");
        patched("/Groups/" + group, patch(op("replace", null, Map.of("id", group, "displayName", name))));
        assertThat(scim.get("/Groups/" + group).json().get("displayName").asText()).isEqualTo(name);
        ScimTestClient.Response refused = scim.patch("/Groups/" + group, patch(op("replace", null,
                Map.of("id", UUID.randomUUID().toString(), "displayName", "x"))));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("scimType").asText()).isEqualTo("mutability");
    }

    @Test
    void oktaPutReplacesEverythingAndCreateCarriesPasswordAndGroups() {
        String email = TestData.uniqueEmail("okta-put");
        Map<String, Object> body = userBody(email, email);
        body.put("password", "s3cret-Passw0rd");
        body.put("groups", List.of());
        body.put("title", "Old title");
        ScimTestClient.Response created = scim.post("/Users", body);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().has("password")).isFalse();
        Map<String, Object> replacement = userBody(email, email);
        replacement.put("id", created.id());
        replacement.put("groups", List.of());
        replacement.put("password", "an0ther-Passw0rd");
        ScimTestClient.Response replaced = scim.put("/Users/" + created.id(), replacement);
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().has("title")).isFalse();
        assertThat(replaced.json().has("password")).isFalse();

        String a = scim.createUser(TestData.uniqueEmail("put-a"));
        String b = scim.createUser(TestData.uniqueEmail("put-b"));
        String group = scim.createGroup(TestData.unique("Put group"), a);
        ScimTestClient.Response put = scim.put("/Groups/" + group, Map.of("schemas",
                List.of("urn:ietf:params:scim:schemas:core:2.0:Group"), "id", group, "displayName",
                TestData.unique("Put renamed"), "members", members(b)));
        assertThat(put.status()).isEqualTo(200);
        assertThat(memberIds(group)).containsExactly(b);
    }

    @Test
    void filtersTheClientsUse() {
        String email = TestData.uniqueEmail("Filtered");
        Map<String, Object> body = userBody(email, email);
        body.put("displayName", "Filter Person");
        ScimTestClient.Response created = scim.post("/Users", body);
        String id = created.id();
        String externalId = created.json().get("externalId").asText();
        String other = scim.createUser(TestData.uniqueEmail("other"));
        String groupName = TestData.unique("Filter group");
        String group = scim.createGroup(groupName, id);

        assertThat(total("/Users", "userName eq \"" + email.toUpperCase() + "\"")).isEqualTo(1);
        assertThat(total("/Users", "externalId eq \"" + externalId + "\"")).isEqualTo(1);
        assertThat(total("/Users", "externalId eq \"" + externalId.toUpperCase() + "\"")).isZero();
        assertThat(total("/Users", "displayName eq \"filter person\"")).isEqualTo(1);
        assertThat(total("/Users", "emails[type eq \"work\" and value eq \"" + email + "\"]")).isEqualTo(1);
        assertThat(total("/Users", "emails.value eq \"" + email + "\"")).isEqualTo(1);
        assertThat(total("/Users", "userName eq \"" + email + "\" or id eq \"" + other + "\"")).isEqualTo(2);
        assertThat(total("/Users", "not (userName eq \"" + email + "\") and externalId pr")).isEqualTo(1);
        assertThat(total("/Users", "userName sw \"filtered\" and active eq true")).isEqualTo(1);
        assertThat(total("/Users", "meta.lastModified gt \"2000-01-01T00:00:00Z\"")).isEqualTo(2);
        assertThat(total("/Groups", "id eq \"" + group + "\" and members eq \"" + id + "\"")).isEqualTo(1);
        assertThat(total("/Groups", "id eq \"" + group + "\" and members eq \"" + other + "\"")).isZero();
        assertThat(total("/Groups", "displayName eq \"" + groupName + "\" and members.value eq \"" + id + "\""))
                .isEqualTo(1);
        // Entra's Test Connection: a random GUID finds nothing, with 200.
        assertThat(total("/Users", "userName eq \"" + UUID.randomUUID() + "\"")).isZero();
        JsonNode excluded = scim.get("/Groups?excludedAttributes=members&filter="
                + encode("displayName eq \"" + groupName + "\"")).json();
        assertThat(excluded.at("/Resources/0/id").asText()).isEqualTo(group);
        assertThat(excluded.at("/Resources/0").has("members")).isFalse();
        JsonNode only = scim.get("/Users/" + id + "?attributes=userName").json();
        assertThat(only.has("userName")).isTrue();
        assertThat(only.has("id")).isTrue();
        assertThat(only.has("emails")).isFalse();
    }

    @Test
    void theEnterpriseManagerAsABareId() {
        String manager = scim.createUser(TestData.uniqueEmail("manager"));
        String report = scim.createUser(TestData.uniqueEmail("report"));
        patched("/Users/" + report, patch(op("Add",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", manager)));
        JsonNode extension = scim.get("/Users/" + report).json()
                .get("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
        assertThat(extension.at("/manager/value").asText()).isEqualTo(manager);
        assertThat(extension.at("/manager/$ref").asText()).endsWith("/scim/v2/Users/" + manager);
        patched("/Users/" + report, patch(op("remove",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", null)));
        assertThat(scim.get("/Users/" + report).json().has("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"))
                .isFalse();
    }

    @Test
    void unknownSchemaUrnsAndExtensionsAreTolerated() {
        Map<String, Object> body = userBody(TestData.uniqueEmail("custom"), null);
        body.put("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User"));
        body.put("urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User", Map.of("costCode", "42"));
        ScimTestClient.Response created = scim.post("/Users", body);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().at("/urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User/costCode")
                .asText()).isEqualTo("42");
        ScimTestClient.Response group = scim.post("/Groups", Map.of("schemas", List.of(
                "urn:ietf:params:scim:schemas:core:2.0:Group",
                "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"),
                "displayName", TestData.unique("Entra group"), "meta", Map.of("resourceType", "Group")));
        assertThat(group.status()).isEqualTo(201);
    }

    private long total(String resource, String filter) {
        ScimTestClient.Response response = scim.get(resource + "?filter=" + encode(filter));
        assertThat(response.status()).as(filter + " -> " + response.body()).isEqualTo(200);
        return response.json().get("totalResults").asLong();
    }

    private List<String> memberIds(String group) {
        List<String> ids = new ArrayList<>();
        scim.get("/Groups/" + group).json().path("members").forEach(m -> ids.add(m.get("value").asText()));
        return ids;
    }

    private List<String> emails(String user) {
        List<String> emails = new ArrayList<>();
        scim.get("/Users/" + user).json().path("emails").forEach(e -> emails.add(e.path("type").asText() + ":"
                + e.get("value").asText()));
        return emails;
    }

    /** A PATCH the test relies on must have been applied: its status is checked, not ignored. */
    private void patched(String path, Object body) {
        ScimTestClient.Response response = scim.patch(path, body);
        assertThat(response.status()).as(response.body()).isIn(200, 204);
    }
}
