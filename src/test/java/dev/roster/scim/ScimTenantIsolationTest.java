package dev.roster.scim;

import static dev.roster.scim.ScimTestClient.encode;
import static dev.roster.scim.ScimTestClient.members;
import static dev.roster.scim.ScimTestClient.op;
import static dev.roster.scim.ScimTestClient.patch;
import static dev.roster.scim.ScimTestClient.userBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;

/**
 * The token decides the organization: every SCIM endpoint, called with another organization's token and this
 * organization's ids, answers as if the ids did not exist, and changes nothing.
 */
@RosterIntegrationTest
class ScimTenantIsolationTest {

    @Autowired
    TestApi api;

    @Autowired
    TestData data;

    @Test
    void anotherOrganizationsTokenReachesNothingOfThisOne() {
        ScimTestClient a = ScimTestClient.create(api, data, "entra");
        ScimTestClient b = ScimTestClient.create(api, data, "okta");
        String email = TestData.uniqueEmail("isolated");
        String userId = a.createUser(email);
        String groupId = a.createGroup(TestData.unique("Group A"), userId);
        String userVersion = a.get("/Users/" + userId).json().at("/meta/version").asText();
        String groupVersion = a.get("/Groups/" + groupId).json().at("/meta/version").asText();
        String bUser = b.createUser(TestData.uniqueEmail("b-user"));
        String bGroup = b.createGroup(TestData.unique("Group B"));

        for (String path : List.of("/Users/" + userId, "/Groups/" + groupId)) {
            assertNotFound(b.get(path));
            assertNotFound(b.put(path, path.startsWith("/Users") ? userBody("taken@example.test", "taken@example.test")
                    : Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:Group"), "displayName", "Taken")));
            assertNotFound(b.patch(path, patch(op("replace", null, Map.of("displayName", "Taken")))));
            assertNotFound(b.delete(path));
        }
        assertThat(b.get("/Users?filter=" + encode("id eq \"" + userId + "\"")).json().get("totalResults").asInt())
                .isZero();
        assertThat(b.get("/Users?filter=" + encode("userName eq \"" + email + "\"")).json().get("totalResults")
                .asInt()).isZero();
        assertThat(b.get("/Groups?filter=" + encode("id eq \"" + groupId + "\"")).json().get("totalResults").asInt())
                .isZero();
        assertThat(b.get("/Groups?filter=" + encode("members eq \"" + userId + "\"")).json().get("totalResults")
                .asInt()).isZero();
        assertThat(b.get("/Users").json().get("totalResults").asInt()).isEqualTo(1);
        assertThat(b.post("/.search", Map.of("schemas", List.of("urn:ietf:params:scim:api:messages:2.0:SearchRequest")))
                .json().get("totalResults").asInt()).isEqualTo(2);

        // Organization A's user cannot be put into organization B's group, by PATCH, PUT or create.
        ScimTestClient.Response add = b.patch("/Groups/" + bGroup, patch(op("add", "members", members(userId))));
        assertThat(add.status()).isEqualTo(400);
        assertThat(add.json().get("scimType").asText()).isEqualTo("invalidValue");
        assertThat(b.put("/Groups/" + bGroup, Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:Group"),
                "displayName", "Group B", "members", members(bUser, userId))).status()).isEqualTo(400);
        assertThat(b.post("/Groups", Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:Group"),
                "displayName", TestData.unique("Stolen"), "members", members(userId))).status()).isEqualTo(400);
        // A's user as B's manager is only a reference; it reveals nothing about A.
        assertThat(b.get("/Groups/" + bGroup).json().has("members")).isFalse();

        // Nothing of A changed.
        ScimTestClient.Response user = a.get("/Users/" + userId);
        assertThat(user.status()).isEqualTo(200);
        assertThat(user.json().at("/meta/version").asText()).isEqualTo(userVersion);
        ScimTestClient.Response group = a.get("/Groups/" + groupId);
        assertThat(group.json().at("/meta/version").asText()).isEqualTo(groupVersion);
        assertThat(group.json().at("/members/0/value").asText()).isEqualTo(userId);
    }

    @Test
    void adminApiOfOneOrganizationCannotReachAnothersDirectories() {
        ScimTestClient a = ScimTestClient.create(api, data, "generic");
        TestData.Org other = data.org();
        String path = other.api("/scim-directories/" + a.directoryId);
        assertThat(api.get(other.admin().token(), path).status()).isEqualTo(404);
        assertThat(api.delete(other.admin().token(), path).status()).isEqualTo(404);
        assertThat(api.post(other.admin().token(), path + "/tokens", Map.of()).status()).isEqualTo(404);
        assertThat(api.get(other.admin().token(), path + "/requests").status()).isEqualTo(404);
        assertThat(api.get(other.admin().token(), path + "/group-mappings").status()).isEqualTo(404);
        assertThat(api.get(other.admin().token(), a.org.api("/scim-directories")).status()).isEqualTo(404);
        assertThat(a.get("/Users").status()).isEqualTo(200);
    }

    private static void assertNotFound(ScimTestClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(404);
        assertThat(response.json().get("schemas").get(0).asText())
                .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(response.json().get("status").asText()).isEqualTo("404");
    }
}
