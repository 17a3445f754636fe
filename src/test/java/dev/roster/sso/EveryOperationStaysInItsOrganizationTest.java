package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.shared.Actor;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.WebhookReceiver;
import dev.roster.sso.access.SsoDomainService;

/**
 * Every operation stays in its organization: organization B's admin, with B's token, calls <em>every</em> admin API
 * operation that the OpenAPI document lists (read at run time, so a new endpoint is walked without editing this
 * test) against organization A's slug and A's real ids, and against B's own slug with A's ids; B's SCIM directory
 * calls every SCIM resource endpoint (read from A's {@code /ResourceTypes}) with A's user and group ids. Every answer
 * is 403 or 404 and carries none of A's data (names, addresses, ids the caller did not send), and A is the same
 * afterwards as before.
 *
 * <p>Path parameters are filled from {@link Walk#ids}, keyed by the path up to the parameter (a bare parameter name
 * is ambiguous: {@code {id}} is a member, a team, a webhook...). A parameter the map cannot fill fails the test and
 * names the entry to add. It lives in the SSO package only to build a connection with {@link TestIdp}.
 */
@RosterIntegrationTest
class EveryOperationStaysInItsOrganizationTest {

    private static final String ORG_PREFIX = "/api/v1/orgs/{slug}";
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCIM_JSON = "application/scim+json";

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;

    private final List<WebhookReceiver> receivers = new ArrayList<>();

    @AfterEach
    void closeReceivers() {
        receivers.forEach(WebhookReceiver::close);
    }

    @Test
    void anotherOrganizationsAdminReachesNothingOfThisOneThroughAnyApiOperation() {
        Walk a = organizationA();
        TestData.Org b = data.org();
        TestData.Person bMember = data.member(b, false);
        // B has things of its own, so that "not found" is not merely "B has nothing".
        api.post(b.admin().token(), b.api("/teams"), Map.of("name", TestData.unique("b-team")));
        api.post(bMember.token(), b.api("/me/resources"), Map.of("kind", "project", "name", "b-own"));

        JsonNode docs = api.get(null, "/v3/api-docs").json();
        components = docs.path("components").path("schemas");
        JsonNode paths = docs.path("paths");
        assertThat(paths.size()).as("the OpenAPI document lists the API").isGreaterThan(10);
        Map<String, String> before = a.snapshot(api, paths);

        List<String> failures = new ArrayList<>();
        int walked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            String template = path.getKey();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase(Locale.ROOT);
                if (!Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                if (!inScope(template)) {
                    continue;
                }
                Object body = requestBody(op.getValue(), paths);
                // 1. A's slug, A's ids, B's admin token, then B's member's token.
                for (String token : List.of(b.admin().token(), bMember.token())) {
                    Call call = a.fill(template, op.getValue(), a.org.slug(), failures);
                    if (call != null) {
                        check(method, call, body, token, a, failures);
                        walked++;
                    }
                }
                // 2. B's own slug with A's ids: only operations that name something besides the organization.
                if (template.startsWith(ORG_PREFIX) && hasIdParameter(template)) {
                    Call call = a.fill(template, op.getValue(), b.slug(), failures);
                    if (call != null) {
                        checkOwnSlug(method, call, body, b.admin().token(), a, failures);
                        walked++;
                    }
                }
            }
        }
        assertThat(failures).as("operations that reached organization A's data or could not be walked").isEmpty();
        assertThat(walked).isGreaterThan(50);

        // Filters of B's own lists by A's ids find nothing of A.
        for (String list : List.of("/members?team=" + a.id("/teams/{id}"), "/resources?team=" + a.id("/teams/{id}"),
                "/resources?member=" + a.id("/members/{id}"), "/audit-events?actor=" + a.org.admin().id(),
                "/decisions?account=" + a.memberAccount + "&resource=" + a.id("/resources/{id}"))) {
            TestApi.Response response = api.get(b.admin().token(), b.api(list));
            a.assertNoLeak("GET " + b.api(list), response, b.api(list), failures);
        }
        assertThat(failures).as("B's lists filtered by A's ids").isEmpty();

        // Nothing of A changed: every read A's admin can make answers as before the walk.
        Map<String, String> after = a.snapshot(api, paths);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (String read : before.keySet()) {
            assertThat(after.get(read)).as("A's %s after the walk", read).isEqualTo(before.get(read));
        }
    }

    @Test
    void anotherOrganizationsDirectoryReachesNothingOfThisOneThroughAnyScimEndpoint() {
        Walk a = organizationA();
        String bToken = directory(data.org())[1];
        Map<String, String> aResources = Map.of("User", a.scimUser, "Group", a.scimGroup);
        Map<String, String> aVersions = new TreeMap<>();

        JsonNode types = scim(a.scimToken, "GET", "/ResourceTypes", null).json().path("Resources");
        assertThat(types.size()).isGreaterThanOrEqualTo(2);
        List<String> failures = new ArrayList<>();
        for (JsonNode type : types) {
            String name = type.path("name").asText();
            String endpoint = type.path("endpoint").asText();
            String id = aResources.get(name);
            if (id == null) {
                failures.add("SCIM resource type " + name + " (" + endpoint + "): add organization A's " + name
                        + " id to aResources");
                continue;
            }
            aVersions.put(endpoint, scim(a.scimToken, "GET", endpoint + "/" + id, null).json().at("/meta/version")
                    .asText());
            String item = endpoint + "/" + id;
            Map<String, Object> replacement = name.equals("User")
                    ? Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"),
                            "userName", "taken@example.test", "active", false)
                    : Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:Group"), "displayName", "Taken");
            Map<String, Object> patch = Map.of("schemas", List.of("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
                    "Operations", List.of(Map.of("op", "replace", "value", Map.of("active", false,
                            "displayName", "Taken"))));
            expectScimNotFound("GET " + item, scim(bToken, "GET", item, null), a, item, failures);
            expectScimNotFound("PUT " + item, scim(bToken, "PUT", item, replacement), a, item, failures);
            expectScimNotFound("PATCH " + item, scim(bToken, "PATCH", item, patch), a, item, failures);
            expectScimNotFound("DELETE " + item, scim(bToken, "DELETE", item, null), a, item, failures);
            // Lists and searches by A's id and A's names find nothing.
            String attribute = name.equals("User") ? "userName" : "displayName";
            String value = name.equals("User") ? a.scimUserName : a.scimGroupName;
            for (String filter : List.of("id eq \"" + id + "\"", attribute + " eq \"" + value + "\"",
                    "externalId eq \"" + a.externalId(name) + "\"")) {
                String query = endpoint + "?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8);
                expectEmptyList("GET " + query, scim(bToken, "GET", query, null), a, query, failures);
                expectEmptyList("POST " + endpoint + "/.search " + filter, scim(bToken, "POST", endpoint + "/.search",
                        Map.of("schemas", List.of("urn:ietf:params:scim:api:messages:2.0:SearchRequest"),
                                "filter", filter)), a, endpoint, failures);
            }
            TestApi.Response all = scim(bToken, "GET", endpoint, null);
            a.assertNoLeak("GET " + endpoint, all, endpoint, failures);
        }
        // The server-wide documents and the root search say nothing of A either.
        for (String discovery : List.of("/ServiceProviderConfig", "/ResourceTypes", "/Schemas", "/ResourceTypes/User",
                "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User")) {
            a.assertNoLeak("GET " + discovery, scim(bToken, "GET", discovery, null), discovery, failures);
        }
        TestApi.Response root = scim(bToken, "POST", "/.search",
                Map.of("schemas", List.of("urn:ietf:params:scim:api:messages:2.0:SearchRequest")));
        a.assertNoLeak("POST /.search", root, "/.search", failures);
        // A's user cannot be put into a group of B.
        TestApi.Response stolen = scim(bToken, "POST", "/Groups", Map.of("schemas",
                List.of("urn:ietf:params:scim:schemas:core:2.0:Group"), "displayName", TestData.unique("Stolen"),
                "members", List.of(Map.of("value", a.scimUser))));
        if (stolen.status() != 400) {
            failures.add("POST /Groups with A's user as member: " + stolen.status() + " " + stolen.body());
        }
        a.assertNoLeak("POST /Groups with A's user", stolen, a.scimUser, failures);
        assertThat(failures).as("SCIM calls that reached organization A's data").isEmpty();

        for (Map.Entry<String, String> version : aVersions.entrySet()) {
            String id = version.getKey().equals("/Users") ? a.scimUser : a.scimGroup;
            TestApi.Response now = scim(a.scimToken, "GET", version.getKey() + "/" + id, null);
            assertThat(now.status()).isEqualTo(200);
            assertThat(now.json().at("/meta/version").asText()).as(version.getKey()).isEqualTo(version.getValue());
        }
        assertThat(scim(a.scimToken, "GET", "/Groups/" + a.scimGroup, null).json().at("/members/0/value").asText())
                .isEqualTo(a.scimUser);
    }

    /** Organization-scoped operations, and the caller's own ones that name something by id. */
    private static boolean inScope(String template) {
        if (template.startsWith("/api/v1/public/")) {
            return false; // answered to anyone who holds the secret in the path, by design
        }
        return template.startsWith(ORG_PREFIX) || PARAMETER.matcher(template).find();
    }

    private static boolean hasIdParameter(String template) {
        return PARAMETER.matcher(template.substring(ORG_PREFIX.length())).find();
    }

    private void check(String method, Call call, Object body, String token, Walk a, List<String> failures) {
        TestApi.Response response = api.send(token, method, call.uri(), body, Map.of());
        String what = method + " " + call.template() + " as " + call.uri();
        if (response.status() != 403 && response.status() != 404) {
            failures.add(what + ": expected 403 or 404, was " + response.status() + " " + response.body());
        }
        a.assertNoLeak(what, response, call.uri() + " " + (body == null ? "" : body), failures);
    }

    /**
     * B's own slug with A's ids: 403 or 404, or else (a body B's request gets wrong, checked before the ids are
     * looked up) exactly the answer the same request gets when its ids exist nowhere, so it tells nothing of A.
     */
    private void checkOwnSlug(String method, Call call, Object body, String token, Walk a, List<String> failures) {
        TestApi.Response response = api.send(token, method, call.uri(), body, Map.of());
        String what = method + " " + call.template() + " as " + call.uri();
        if (response.status() != 403 && response.status() != 404) {
            String nowhere = call.uri();
            for (String id : a.ids.values()) {
                nowhere = nowhere.replace(id, UUID.randomUUID().toString());
            }
            TestApi.Response control = api.send(token, method, nowhere, body, Map.of());
            if (response.status() < 400 || response.status() != control.status()
                    || !response.json().path("type").equals(control.json().path("type"))
                    || !response.json().path("errors").equals(control.json().path("errors"))) {
                failures.add(what + ": expected 403 or 404 (or the answer ids that exist nowhere get), was "
                        + response.status() + " " + response.body() + "; with ids that exist nowhere: "
                        + control.status() + " " + control.body());
            }
        }
        a.assertNoLeak(what, response, call.uri() + " " + (body == null ? "" : body), failures);
    }

    private void expectScimNotFound(String what, TestApi.Response response, Walk a, String sent,
                                    List<String> failures) {
        if (response.status() != 404 || !response.json().path("schemas").toString()
                .contains("urn:ietf:params:scim:api:messages:2.0:Error")) {
            failures.add(what + ": expected SCIM 404, was " + response.status() + " " + response.body());
        }
        a.assertNoLeak(what, response, sent, failures);
    }

    private void expectEmptyList(String what, TestApi.Response response, Walk a, String sent, List<String> failures) {
        if (response.status() != 200 || response.json().path("totalResults").asInt(-1) != 0) {
            failures.add(what + ": expected an empty list, was " + response.status() + " " + response.body());
        }
        a.assertNoLeak(what, response, sent, failures);
    }

    private TestApi.Response scim(String token, String method, String path, Object body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", SCIM_JSON);
        if (body != null) {
            headers.put("Content-Type", SCIM_JSON);
        }
        return api.send(token, method, "/scim/v2" + path, body, headers);
    }

    /** A directory of the organization: its id and bearer token. */
    private String[] directory(TestData.Org org) {
        TestApi.Response created = api.post(org.admin().token(), org.api("/scim-directories"),
                Map.of("name", TestData.unique("directory"), "kind", "entra"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new String[] {created.json().path("id").asText(), created.json().path("token").asText()};
    }

    /**
     * Organization A with one of everything its admin API manages, made through that API, and the map of their ids.
     */
    private Walk organizationA() {
        TestData.Org org = data.org();
        String token = org.admin().token();
        Walk walk = new Walk(org);
        TestData.Person member = data.member(org, false);
        walk.memberAccount = member.id();
        walk.secrets.add(member.email());
        walk.secrets.add(org.admin().email());
        walk.secrets.add(org.organization().name());
        walk.secrets.add(org.id().toString());
        walk.secrets.add(member.id().toString());
        walk.secrets.add(org.admin().id().toString());

        TestApi.Response me = api.get(member.token(), org.api("/me"));
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        String memberId = me.json().path("id").asText();
        walk.put("/members/{id}", memberId);

        String teamName = TestData.unique("a-team");
        String team = created(api.post(token, org.api("/teams"), Map.of("name", teamName, "description",
                "A's own team")), walk, teamName);
        walk.put("/teams/{id}", team);
        walk.put("/members/{id}/teams/{teamId}", team);
        ok(api.put(token, org.api("/members/" + memberId + "/teams/" + team), null));

        String resourceName = TestData.unique("a-resource");
        String resource = created(api.post(token, org.api("/resources"), Map.of("kind", "project", "name",
                resourceName, "owner", Map.of("type", "team", "id", team))), walk, resourceName);
        walk.put("/resources/{id}", resource);
        // A resource's collaborators are members: A's member, on A's resource.
        walk.put("/resources/{id}/collaborators/{memberId}", memberId);
        // An environment of A's team, with the team's quota on it and a lease A's member holds there, where this build
        // has quotas and leases.
        String environmentName = TestData.unique("a-environment");
        String environment = created(api.post(token, org.api("/resources"), Map.of("kind", "environment", "name",
                environmentName, "owner", Map.of("type", "team", "id", team))), walk, environmentName);
        walk.put("/teams/{teamId}", team);
        walk.put("/teams/{teamId}/quotas/{environmentId}", environment);
        JsonNode operations = api.get(null, "/v3/api-docs").json().path("paths");
        if (operations.has(ORG_PREFIX + "/leases")) {
            ok(api.put(token, org.api("/teams/" + team + "/quotas/" + environment), Map.of("maxConcurrent", 3)));
            walk.put("/leases/{id}", created(api.post(token, org.api("/leases"), Map.of("environment", environment,
                    "account", member.id(), "team", team)), walk, null));
        }
        String ownName = TestData.unique("a-own");
        String own = created(api.post(member.token(), org.api("/me/resources"), Map.of("kind", "project", "name",
                ownName)), walk, ownName);
        walk.put("/me/resources/{id}", own);

        String invitee = TestData.uniqueEmail("a-invitee");
        TestApi.Response invited = api.post(token, org.api("/invitations"), Map.of("emails", List.of(invitee),
                "teams", List.of(teamName)));
        assertThat(invited.status()).as(invited.body()).isBetween(200, 201);
        walk.secrets.add(invitee);
        JsonNode invitations = api.get(token, org.api("/invitations")).json().path("items");
        assertThat(invitations.size()).as(invitations.toString()).isEqualTo(1);
        walk.put("/invitations/{id}", invitations.get(0).path("id").asText());

        String domain = TestData.unique("a-corp") + ".test";
        String domainId = created(api.post(token, org.api("/sso-domains"), Map.of("domain", domain)), walk, domain);
        domains.markVerifiedByOperator(org.id(), UUID.fromString(domainId), Actor.system("test operator"));
        walk.put("/sso-domains/{domainId}", domainId);
        String connectionName = TestData.unique("A's IdP");
        TestIdp idp = new TestIdp(TestData.unique("a-idp"));
        TestApi.Response connection = api.post(token, org.api("/sso-connections"), Map.of("kind", "generic",
                "name", connectionName, "metadataXml", idp.metadataXml()));
        String connectionId = created(connection, walk, connectionName);
        walk.secrets.add(connection.json().path("spEntityId").asText());
        walk.secrets.add(idp.entityId);
        walk.put("/sso-connections/{id}", connectionId);
        String group = TestData.unique("a-idp-group");
        walk.put("/sso-connections/{id}/grants/{grantId}", created(api.post(token,
                org.api("/sso-connections/" + connectionId + "/grants"), Map.of("kind", "group", "value", group)),
                walk, group));
        walk.put("/sso-connections/{id}/group-mappings/{mappingId}", created(api.post(token,
                org.api("/sso-connections/" + connectionId + "/group-mappings"), Map.of("group", group, "team",
                        teamName, "admin", false)), walk, group));

        String[] directory = directory(org);
        walk.put("/scim-directories/{directoryId}", directory[0]);
        walk.scimToken = directory[1];
        walk.secrets.add(directory[1]);
        walk.put("/scim-directories/{directoryId}/tokens/{tokenId}", created(api.post(token,
                org.api("/scim-directories/" + directory[0] + "/tokens"), Map.of()), walk, null));
        walk.scimUserName = "a-scim-" + UUID.randomUUID().toString().substring(0, 8) + "@" + domain;
        TestApi.Response user = scim(walk.scimToken, "POST", "/Users", Map.of(
                "schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"), "userName", walk.scimUserName,
                "externalId", walk.externalId("User"), "active", true,
                "name", Map.of("givenName", "Ada", "familyName", "Walkerton"),
                "emails", List.of(Map.of("value", walk.scimUserName, "type", "work", "primary", true))));
        assertThat(user.status()).as(user.body()).isEqualTo(201);
        walk.scimUser = user.json().path("id").asText();
        walk.scimGroupName = TestData.unique("A directory group");
        TestApi.Response scimGroup = scim(walk.scimToken, "POST", "/Groups", Map.of(
                "schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:Group"), "displayName", walk.scimGroupName,
                "externalId", walk.externalId("Group"), "members", List.of(Map.of("value", walk.scimUser))));
        assertThat(scimGroup.status()).as(scimGroup.body()).isEqualTo(201);
        walk.scimGroup = scimGroup.json().path("id").asText();
        walk.secrets.addAll(List.of(walk.scimUserName, walk.scimUser, walk.scimGroup, walk.scimGroupName,
                walk.externalId("User"), walk.externalId("Group"), "Walkerton"));
        walk.put("/scim-directories/{directoryId}/group-mappings/{mappingId}", created(api.post(token,
                org.api("/scim-directories/" + directory[0] + "/group-mappings"), Map.of(
                        "group", Map.of("by", "displayName", "value", walk.scimGroupName),
                        "teams", List.of(teamName), "admin", false)), walk, null));

        WebhookReceiver receiver = new WebhookReceiver();
        receivers.add(receiver);
        String hookDescription = TestData.unique("A's webhook");
        String webhook = created(api.post(token, org.api("/webhooks"), Map.of("url", receiver.url("/a-hook"),
                "events", List.of("team.*"), "description", hookDescription)), walk, hookDescription);
        walk.secrets.add(receiver.url("/a-hook"));
        walk.put("/webhooks/{id}", webhook);
        ok(api.post(token, org.api("/webhooks/" + webhook + "/test"), null));
        receiver.awaitCount(1);
        JsonNode deliveries = pollDeliveries(token, org.api("/webhooks/" + webhook + "/deliveries"));
        walk.put("/webhooks/{id}/deliveries/{deliveryId}", deliveries.get(0).path("id").asText());

        TestApi.Response tokenCreated = api.post(token, "/api/v1/me/tokens", Map.of("name", TestData.unique("a-tok")));
        walk.put("/api/v1/me/tokens/{id}", created(tokenCreated, walk, null));
        walk.secrets.add(tokenCreated.json().path("token").asText());

        // Every id A's admin can read (events, audit entries, deliveries...) counts as A's data too.
        walk.collectIds(api, token);
        return walk;
    }

    private JsonNode pollDeliveries(String token, String path) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            JsonNode data = api.get(token, path).json().path("data");
            if (data.size() > 0 || System.nanoTime() > deadline) {
                assertThat(data.size()).as("a recorded delivery").isPositive();
                return data;
            }
            Thread.onSpinWait();
        }
    }

    private static String created(TestApi.Response response, Walk walk, String name) {
        assertThat(response.status()).as(response.body()).isBetween(200, 201);
        String id = response.json().path("id").asText();
        assertThat(id).as(response.body()).isNotEmpty();
        walk.secrets.add(id);
        if (name != null) {
            walk.secrets.add(name);
        }
        return id;
    }

    private static void ok(TestApi.Response response) {
        assertThat(response.status()).as(response.body()).isBetween(200, 299);
    }

    /** A minimal valid body for the operation, from its schema, so that validation is not what answers. */
    private static Object requestBody(JsonNode operation, JsonNode paths) {
        JsonNode content = operation.path("requestBody").path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            return null;
        }
        JsonNode media = content.has("application/json") ? content.get("application/json")
                : content.elements().next();
        return sample(media.path("schema"), 0);
    }

    private static JsonNode components;

    private static Object sample(JsonNode schema, int depth) {
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().replace("#/components/schemas/", "");
            return sample(components.path(name), depth + 1);
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(0).asText();
        }
        String type = schema.path("type").asText("object");
        return switch (type) {
            case "string" -> switch (schema.path("format").asText("")) {
                case "uuid" -> UUID.randomUUID().toString();
                case "email" -> "walker@example.test";
                case "date-time" -> "2030-01-01T00:00:00Z";
                case "uri" -> "https://example.test/hook";
                default -> "walk";
            };
            case "integer", "number" -> 1;
            case "boolean" -> false;
            case "array" -> List.of();
            default -> {
                Map<String, Object> object = new LinkedHashMap<>();
                if (depth < 5) {
                    Set<String> required = new LinkedHashSet<>();
                    schema.path("required").forEach(r -> required.add(r.asText()));
                    schema.path("properties").fields().forEachRemaining(p -> {
                        if (required.contains(p.getKey())) {
                            object.put(p.getKey(), sample(p.getValue(), depth + 1));
                        }
                    });
                }
                yield object;
            }
        };
    }

    /** A call to make: the template it came from and the URI with every parameter filled. */
    record Call(String template, String uri) {
    }

    /** Organization A, the ids of its things keyed by the path up to their parameter, and what counts as its data. */
    final class Walk {

        final TestData.Org org;
        final Map<String, String> ids = new TreeMap<>();
        final Set<String> secrets = new LinkedHashSet<>();
        UUID memberAccount;
        String scimToken;
        String scimUser;
        String scimUserName;
        String scimGroup;
        String scimGroupName;
        private final String externalSuffix = UUID.randomUUID().toString();

        Walk(TestData.Org org) {
            this.org = org;
        }

        void put(String key, String id) {
            ids.put(key, id);
            secrets.add(id);
        }

        String id(String key) {
            return ids.get(key);
        }

        String externalId(String type) {
            return "ext-" + type + "-" + externalSuffix;
        }

        /**
         * The URI of the template with the slug given and A's ids; {@code null} (and a failure naming the missing
         * map entry) when a parameter has no entry.
         */
        Call fill(String template, JsonNode operation, String slug, List<String> failures) {
            Matcher matcher = PARAMETER.matcher(template);
            StringBuilder uri = new StringBuilder();
            while (matcher.find()) {
                String parameter = matcher.group(1);
                String value;
                if (parameter.equals("slug")) {
                    value = slug;
                }
                else {
                    String prefix = template.substring(0, matcher.end());
                    String key = prefix.startsWith(ORG_PREFIX) ? prefix.substring(ORG_PREFIX.length()) : prefix;
                    value = ids.get(key);
                    if (value == null) {
                        failures.add(template + ": cannot fill {" + parameter + "}; put organization A's id in Walk.ids"
                                + " under \"" + key + "\" (in organizationA())");
                        return null;
                    }
                }
                matcher.appendReplacement(uri, Matcher.quoteReplacement(value));
            }
            matcher.appendTail(uri);
            StringBuilder query = new StringBuilder();
            for (JsonNode parameter : operation.path("parameters")) {
                if (!parameter.path("in").asText().equals("query")) {
                    continue;
                }
                String name = parameter.path("name").asText();
                String value = queryValue(name);
                if (value == null && parameter.path("required").asBoolean()) {
                    failures.add(template + ": cannot fill the required query parameter " + name
                            + "; add it to Walk.queryValue");
                    return null;
                }
                if (value != null) {
                    query.append(query.isEmpty() ? "?" : "&").append(name).append('=').append(value);
                }
            }
            return new Call(template, uri + query.toString());
        }

        /** Query parameters that name something of A, filled with A's ids wherever an operation takes them. */
        private String queryValue(String name) {
            return switch (name) {
                case "account", "actor" -> memberAccount.toString();
                case "member" -> ids.get("/members/{id}");
                case "team" -> ids.get("/teams/{id}");
                case "resource" -> ids.get("/resources/{id}");
                default -> null;
            };
        }

        /** Every id that appears in what A's admin can read through the API. */
        void collectIds(TestApi api, String token) {
            for (String read : List.of("/audit-events?size=200", "/events?limit=200", "/members", "/teams",
                    "/resources", "/invitations", "/sso-connections", "/sso-domains", "/scim-directories",
                    "/webhooks")) {
                JsonNode json = api.get(token, org.api(read)).json();
                json.findValues("id").forEach(id -> {
                    if (id.isTextual() && id.asText().length() >= 8) {
                        secrets.add(id.asText());
                    }
                });
            }
        }

        /**
         * Fails when the answer carries any of A's data the caller did not send itself: a problem's
         * {@code instance} repeats the path, which is the caller's own knowledge, not a leak.
         */
        void assertNoLeak(String what, TestApi.Response response, String sent, List<String> failures) {
            String body = response.body() == null ? "" : response.body();
            String headers = response.headers().toString();
            for (String secret : secrets) {
                if (secret == null || secret.isBlank() || sent.contains(secret)) {
                    continue;
                }
                if (body.contains(secret) || headers.contains(secret)) {
                    failures.add(what + ": the answer contains A's " + secret + ": " + response.status() + " "
                            + body);
                }
            }
        }

        /** What every read of A's admin API answers, with A's ids, keyed by the call. */
        Map<String, String> snapshot(TestApi api, JsonNode paths) {
            Map<String, String> answers = new TreeMap<>();
            List<String> unfilled = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> path = it.next();
                JsonNode get = path.getValue().path("get");
                if (get.isMissingNode() || !path.getKey().startsWith(ORG_PREFIX)
                        || path.getKey().endsWith("/events") || path.getKey().endsWith("/audit-events")) {
                    continue; // streams of what happened: B's refused calls may be recorded there
                }
                Call call = fill(path.getKey(), get, org.slug(), unfilled);
                if (call == null) {
                    continue;
                }
                TestApi.Response response = api.get(org.admin().token(), call.uri());
                answers.put(call.uri(), response.status() + " " + stable(response.json()));
            }
            return answers;
        }
    }

    /** The answer without what changes by itself (the time of a read, a health check). */
    private static String stable(JsonNode json) {
        JsonNode copy = json.deepCopy();
        for (String volatileField : List.of("lastUsedAt", "nextAttemptAt", "requestId", "generatedAt")) {
            copy.findParents(volatileField).forEach(parent -> {
                if (parent.isObject()) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) parent).remove(volatileField);
                }
            });
        }
        return copy.toString();
    }
}
