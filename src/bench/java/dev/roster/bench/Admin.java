package dev.roster.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** The admin API of the benchmark organization, with the bootstrap token. */
final class Admin {

    private final Http http;
    private final String token;
    private final String org;

    Admin(Http http, String token) {
        this.http = http;
        this.token = token;
        this.org = "/api/v1/orgs/" + Benchmark.ORG;
    }

    String token() {
        return token;
    }

    String orgPath(String path) {
        return org + path;
    }

    /** A SCIM directory as an IdP sees it: its id and bearer token. */
    record Directory(String id, String token) {
    }

    /**
     * A SCIM directory whose per-directory rate limit ({@code requestsPerSecond}, see ScimDirectoryService) is the
     * highest allowed, so the token bucket never throttles the benchmark: the figures are Roster's, not the limit's.
     */
    Directory createDirectory(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("kind", "entra");
        body.put("requestsPerSecond", 100_000);
        JsonNode created = post("/scim-directories", body).expect(201).json();
        return new Directory(created.get("id").asText(), created.get("token").asText());
    }

    String createTeam(String name) {
        return post("/teams", Map.of("name", name)).expect(201).json().get("id").asText();
    }

    String createTeamResource(String name, String teamId) {
        return post("/resources", Map.of("kind", "project", "name", name,
                "owner", Map.of("type", "team", "id", teamId))).expect(201).json().get("id").asText();
    }

    record Member(String membershipId, String accountId, boolean admin) {
    }

    /** Active members, page by page (at most 500 a page), up to {@code limit}. */
    List<Member> activeMembers(int limit) {
        List<Member> members = new ArrayList<>();
        for (int page = 0; members.size() < limit; page++) {
            JsonNode items = http.get(org + "/members?status=active&size=500&page=" + page, token).expect(200).json()
                    .get("items");
            if (items.isEmpty()) {
                break;
            }
            for (JsonNode item : items) {
                if (members.size() < limit) {
                    members.add(new Member(item.get("id").asText(), item.get("accountId").asText(),
                            item.get("admin").asBoolean()));
                }
            }
        }
        return members;
    }

    long memberCount() {
        return http.get(org + "/members?size=1", token).expect(200).json().get("total").asLong();
    }

    Http.Response post(String path, Object body) {
        return http.post(org + path, token, "application/json", Http.json(body));
    }
}
