package dev.roster.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.resource.AccessFixture;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestMailbox;
import dev.roster.test.TestSession;

/**
 * The operator API over HTTP: only the operator token opens it, and it opens nothing else; a new organization's
 * admin is invited by email and becomes its first admin; a deletion ends every kind of access on the next request and
 * a restore brings it back.
 */
@RosterIntegrationTest
class OperatorApiTest {

    static final String OPERATOR = "test-operator-token-0123456789abcdef-never-in-production";
    static final Pattern LINK = Pattern.compile("http://localhost:8080/invitations/accept\\?token=(inv_[A-Za-z0-9_-]+)");

    @Autowired
    TestApi api;
    @Autowired
    TestData data;

    @Test
    void onlyTheOperatorTokenOpensTheOperatorApi() {
        TestData.Org org = data.org();
        Map<String, Object> body = create(TestData.unique("auth"), TestData.uniqueEmail("first-admin"));
        List<String[]> calls = List.of(new String[] {"GET", "/api/v1/orgs"}, new String[] {"POST", "/api/v1/orgs"},
                new String[] {"DELETE", "/api/v1/orgs/" + org.slug()},
                new String[] {"POST", "/api/v1/orgs/" + org.slug() + "/restore"},
                new String[] {"POST", "/api/v1/orgs/" + org.slug() + "/admin-invitations"});

        for (String[] call : calls) {
            TestApi.Response none = api.send(null, call[0], call[1], body, Map.of());
            TestApi.Response wrong = api.send(OPERATOR + "x", call[0], call[1], body, Map.of());
            TestApi.Response admin = api.send(org.admin().token(), call[0], call[1], body, Map.of());
            assertThat(none.status()).as("%s %s without a token", call[0], call[1]).isEqualTo(401);
            assertThat(none.contentType()).startsWith("application/problem+json");
            assertThat(wrong.status()).as("%s %s with a wrong token", call[0], call[1]).isEqualTo(401);
            assertThat(wrong.contentType()).startsWith("application/problem+json");
            assertThat(admin.status()).as("%s %s with an admin's token", call[0], call[1]).isEqualTo(403);
            assertThat(admin.json().path("type").asText()).isEqualTo("urn:roster:problem:operator-required");
        }
        // Nothing happened: the admin's own organization is still there, nothing was created.
        assertThat(api.get(org.admin().token(), org.api("")).status()).isEqualTo(200);
        assertThat(api.get(OPERATOR, "/api/v1/orgs/" + body.get("slug")).status()).isEqualTo(404);

        // The operator token opens nothing but the operator API (and an organization's settings).
        for (String path : List.of("/api/v1/me", "/api/v1/me/tokens", org.api("/members"), org.api("/audit-events"),
                org.api("/invitations"), org.api("/decisions?resource=" + UUID.randomUUID()))) {
            TestApi.Response response = api.get(OPERATOR, path);
            assertThat(response.status()).as(path).isEqualTo(403);
            assertThat(response.json().path("type").asText()).isEqualTo("urn:roster:problem:operator-not-allowed");
        }
        assertThat(api.post(OPERATOR, org.api("/invitations"), Map.of("emails", List.of("x@example.test")))
                .status()).isEqualTo(403);
        assertThat(api.get(OPERATOR, "/orgs/" + org.slug()).status()).as("pages are not the API").isEqualTo(302);
    }

    @Test
    void theOperatorCreatesAnOrganizationWhoseInvitedAdminBecomesItsFirstAdmin() {
        String slug = TestData.unique("new");
        String email = TestData.uniqueEmail("first-admin");

        TestApi.Response created = api.post(OPERATOR, "/api/v1/orgs", create(slug, email));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith("/api/v1/orgs/" + slug);
        assertThat(created.json().at("/organization/slug").asText()).isEqualTo(slug);
        assertThat(created.json().at("/organization/status").asText()).isEqualTo("active");
        assertThat(created.json().at("/adminInvitation/result").asText()).isEqualTo("invited");
        TestMailbox.Mail mail = TestMailbox.await(email, 1).get(0);
        assertThat(mail.subject()).contains("Name of " + slug);
        Matcher link = LINK.matcher(mail.text());
        assertThat(link.find()).as(mail.text()).isTrue();

        TestApi.Response accepted = api.post(null, "/api/v1/public/invitations/accept",
                Map.of("token", link.group(1), "displayName", "First Admin", "password", TestData.PASSWORD));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.json().path("organizationSlug").asText()).isEqualTo(slug);

        TestSession admin = new TestSession(api.baseUrl());
        assertThat(admin.signIn(email, TestData.PASSWORD).location()).doesNotContain("error");
        TestSession.Page members = admin.get("/orgs/" + slug + "/manage/members");
        assertThat(members.status()).as("the first admin manages the organization").isEqualTo(200);
        assertThat(members.body()).contains(email);

        // Another admin, for a customer who lost theirs; the first one is a member already.
        String second = TestData.uniqueEmail("second-admin");
        TestApi.Response invited = api.post(OPERATOR, "/api/v1/orgs/" + slug + "/admin-invitations",
                Map.of("adminEmail", second));
        assertThat(invited.status()).as(invited.body()).isEqualTo(200);
        assertThat(invited.json().path("result").asText()).isEqualTo("invited");
        assertThat(TestMailbox.await(second, 1)).hasSize(1);
        assertThat(api.post(OPERATOR, "/api/v1/orgs/" + slug + "/admin-invitations", Map.of("adminEmail", email))
                .json().path("result").asText()).isEqualTo("already_member");
    }

    @Test
    void theOperatorListsAndChangesOrganizations() {
        TestData.Org org = data.org();

        TestApi.Response changed = api.patch(OPERATOR, org.api(""), Map.of("name", "Renamed by operator",
                "requireTwoFactor", true));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().path("name").asText()).isEqualTo("Renamed by operator");
        assertThat(changed.json().path("requireTwoFactor").asBoolean()).isTrue();
        TestApi.Response read = api.get(OPERATOR, org.api(""));
        assertThat(read.json().path("requireTwoFactor").asBoolean()).isTrue();

        TestApi.Response first = api.get(OPERATOR, "/api/v1/orgs?size=1");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("items").size()).isEqualTo(1);
        assertThat(first.json().path("total").asLong()).isGreaterThan(1);
        TestApi.Response all = api.get(OPERATOR, "/api/v1/orgs?size=500&status=active");
        assertThat(all.json().findValuesAsText("slug")).contains(org.slug());
        assertThat(api.get(OPERATOR, "/api/v1/orgs?status=gone").status()).isEqualTo(400);
        assertThat(api.get(OPERATOR, "/api/v1/orgs?size=501").status()).isEqualTo(400);
    }

    @Test
    void deletingEndsEveryAccessOnTheNextRequestAndRestoringBringsItBack() {
        AccessFixture fixture = new AccessFixture(api);
        TestData.Org org = data.org();
        TestData.Person member = data.member(org, false);
        UUID resource = fixture.sharedResource(org);
        TestApi.Response directory = api.post(org.admin().token(), org.api("/scim-directories"),
                Map.of("name", "Directory", "kind", "entra"));
        assertThat(directory.status()).as(directory.body()).isEqualTo(201);
        String scimToken = directory.json().path("token").asText();
        TestSession session = new TestSession(api.baseUrl());
        assertThat(session.signIn(member.email(), TestData.PASSWORD).location()).doesNotContain("error");
        assertAccess(org, member, resource, session, scimToken, true);

        TestApi.Response deleted = api.delete(OPERATOR, "/api/v1/orgs/" + org.slug());

        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.json().path("status").asText()).isEqualTo("deleted");
        assertThat(deleted.json().path("purgeAfter").asText()).isNotBlank();
        assertAccess(org, member, resource, session, scimToken, false);
        assertThat(session.get("/").body()).doesNotContain(org.slug());
        assertThat(api.get(OPERATOR, "/api/v1/orgs?status=deleted&size=500").json().findValuesAsText("slug"))
                .contains(org.slug());
        assertThat(api.delete(OPERATOR, "/api/v1/orgs/" + org.slug()).status()).as("deleted once").isEqualTo(404);
        assertThat(api.patch(OPERATOR, org.api(""), Map.of("name", "x")).status()).isEqualTo(404);

        TestApi.Response restored = api.post(OPERATOR, "/api/v1/orgs/" + org.slug() + "/restore", null);

        assertThat(restored.status()).as(restored.body()).isEqualTo(200);
        assertThat(restored.json().path("status").asText()).isEqualTo("active");
        assertAccess(org, member, resource, session, scimToken, true);
        assertThat(api.post(OPERATOR, "/api/v1/orgs/" + org.slug() + "/restore", null).status()).isEqualTo(409);
        TestApi.Response audit = api.get(org.admin().token(), org.api("/audit-events?actor=operator"));
        assertThat(audit.json().findValuesAsText("action")).contains("organization.deleted", "organization.restored");
    }

    @Test
    void slugsFollowTheRulesAndAreNeverReusedWhileDeleted() {
        for (String bad : List.of("a", "A-b", "-ab", "ab-", "a_b", "ab c", "ü-ber", "a".repeat(41), "")) {
            TestApi.Response refused = api.post(OPERATOR, "/api/v1/orgs", create(bad, TestData.uniqueEmail("x")));
            assertThat(refused.status()).as("slug '%s'", bad).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().path("errors").has("slug")).as(refused.body()).isTrue();
        }
        String longest = ("s" + UUID.randomUUID().toString().replace("-", "")).substring(0, 30) + "-abcdefghi";
        assertThat(longest).hasSize(40);
        assertThat(api.post(OPERATOR, "/api/v1/orgs", create(longest, TestData.uniqueEmail("x"))).status())
                .isEqualTo(201);
        String shortest = Long.toString(System.nanoTime() % 1296 + 1296, 36).substring(0, 2);
        TestApi.Response two = api.post(OPERATOR, "/api/v1/orgs", create(shortest, TestData.uniqueEmail("x")));
        assertThat(two.status()).as(two.body()).isIn(201, 409);

        TestApi.Response badEmail = api.post(OPERATOR, "/api/v1/orgs", create(TestData.unique("mail"), "not-an-address"));
        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.json().path("errors").has("adminEmail")).isTrue();
        Map<String, Object> noName = create(TestData.unique("noname"), TestData.uniqueEmail("x"));
        noName.remove("name");
        TestApi.Response nameless = api.post(OPERATOR, "/api/v1/orgs", noName);
        assertThat(nameless.status()).isEqualTo(400);
        assertThat(nameless.json().path("errors").has("name")).isTrue();
        assertThat(api.get(OPERATOR, "/api/v1/orgs/" + noName.get("slug")).status()).as("nothing created").isEqualTo(404);

        String slug = TestData.unique("taken");
        assertThat(api.post(OPERATOR, "/api/v1/orgs", create(slug, TestData.uniqueEmail("x"))).status()).isEqualTo(201);
        TestApi.Response again = api.post(OPERATOR, "/api/v1/orgs", create(slug, TestData.uniqueEmail("y")));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("type").asText()).isEqualTo("urn:roster:problem:slug-taken");

        assertThat(api.delete(OPERATOR, "/api/v1/orgs/" + slug).status()).isEqualTo(200);
        TestApi.Response whileDeleted = api.post(OPERATOR, "/api/v1/orgs", create(slug, TestData.uniqueEmail("z")));
        assertThat(whileDeleted.status()).isEqualTo(409);
        assertThat(whileDeleted.json().path("detail").asText()).contains("deleted", "purged");
    }

    private void assertAccess(TestData.Org org, TestData.Person member, UUID resource, TestSession session,
                              String scimToken, boolean open) {
        int orgStatus = open ? 200 : 404;
        assertThat(session.get("/orgs/" + org.slug()).status()).as("a member's session").isEqualTo(orgStatus);
        assertThat(api.get(member.token(), org.api("/me")).status()).as("a member's API token").isEqualTo(orgStatus);
        assertThat(api.get(org.admin().token(), org.api("/members")).status()).as("an admin's API token")
                .isEqualTo(orgStatus);
        assertThat(api.get(member.token(), org.api("/decisions?resource=" + resource)).status()).as("a decision")
                .isEqualTo(orgStatus);
        TestApi.Response scim = api.send(scimToken, "GET", "/scim/v2/Users", null,
                Map.of("Accept", "application/scim+json"));
        assertThat(scim.status()).as("a SCIM token").isEqualTo(open ? 200 : 401);
    }

    static Map<String, Object> create(String slug, String adminEmail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("slug", slug);
        body.put("name", "Name of " + slug);
        body.put("adminEmail", adminEmail);
        return body;
    }
}
