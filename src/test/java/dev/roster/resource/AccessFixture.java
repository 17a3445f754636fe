package dev.roster.resource;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestData.Org;
import dev.roster.test.TestData.Person;

/** Teams, resources and decisions through the admin API, for the member, team and resource tests. */
public class AccessFixture {

    private final TestApi api;

    public AccessFixture(TestApi api) {
        this.api = api;
    }

    public UUID team(Org org, String name) {
        TestApi.Response created = api.post(org.admin().token(), org.api("/teams"), Map.of("name", name));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return UUID.fromString(created.json().path("id").asText());
    }

    /** The person's membership id in the organization, read as they see it. */
    public UUID membershipId(Org org, Person person) {
        TestApi.Response me = api.get(person.token(), org.api("/me"));
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        return UUID.fromString(me.json().path("id").asText());
    }

    public void addToTeam(Org org, UUID membershipId, UUID teamId) {
        TestApi.Response added = api.put(org.admin().token(), org.api("/members/" + membershipId + "/teams/" + teamId),
                null);
        assertThat(added.status()).as(added.body()).isEqualTo(200);
    }

    public UUID resource(Org org, String kind, String name, String ownerType, UUID ownerId) {
        Map<String, Object> owner = new LinkedHashMap<>();
        owner.put("type", ownerType);
        if (ownerId != null) {
            owner.put("id", ownerId.toString());
        }
        TestApi.Response created = api.post(org.admin().token(), org.api("/resources"),
                Map.of("kind", kind, "name", name, "owner", owner));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return UUID.fromString(created.json().path("id").asText());
    }

    public UUID sharedResource(Org org) {
        return resource(org, "project", TestData.unique("shared"), "organization", null);
    }

    public TestApi.Response decision(Org org, String token, UUID account, UUID resource) {
        return api.get(token, org.api("/decisions?account=" + account + "&resource=" + resource));
    }

    /** The admin's decision for the account; asserts it was answered. */
    public JsonNode decide(Org org, UUID account, UUID resource) {
        TestApi.Response response = decision(org, org.admin().token(), account, resource);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** Resource id → reason, from a page of reachable resources. */
    public static Map<UUID, String> reasons(TestApi.Response page) {
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        Map<UUID, String> reasons = new LinkedHashMap<>();
        page.json().path("items").forEach(item ->
                reasons.put(UUID.fromString(item.path("id").asText()), item.path("reason").asText()));
        assertThat(page.json().path("total").asLong()).isEqualTo(reasons.size());
        return reasons;
    }

    public Map<UUID, String> reachableAsAdminSees(Org org, UUID membershipId) {
        return reasons(api.get(org.admin().token(), org.api("/members/" + membershipId + "/accessible-resources")));
    }

    public static List<String> texts(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }
}
