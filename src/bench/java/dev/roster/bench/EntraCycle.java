package dev.roster.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Scenario 1, Microsoft Entra ID's initial provisioning cycle, request for request: for each user a look-up by
 * userName (zero results) and then the create; for each group a look-up by displayName and the create (without
 * members); then the memberships, as PATCHes adding {@code membersPerPatch} members each (Entra's default dialect:
 * {@code op "Add"}, path {@code members}, {@code {"$ref": null, "value": id}}). PATCHes are ordered round-robin over the
 * groups, so concurrent clients work on different groups as Entra's workers do.
 */
final class EntraCycle {

    static final String USER_DOMAIN = "scim.bench.test";

    private EntraCycle() {
    }

    /** What one cycle created, for the scenarios that read it afterwards. */
    record Result(Admin.Directory directory, String prefix, String[] userIds, String[] userNames, String[] groupIds,
                  Load.Phase users, Load.Phase groups, Load.Phase memberships, double seconds) {
    }

    static Result run(Benchmark.Context context, String label, int users, int groups, int memberships, int clients) {
        Admin.Directory directory = context.admin().createDirectory("Entra bench " + label);
        Http http = context.http();
        String prefix = label + "-" + UUID.randomUUID().toString().substring(0, 8);
        String[] userIds = new String[users];
        String[] userNames = userNames(prefix, users);
        long start = System.nanoTime();
        Load.Phase userPhase = context.run("entra", "users " + label, clients, users,
                createUsers(http, directory, userNames, userIds, 0));
        String[] groupIds = new String[groups];
        Load.Phase groupPhase = context.run("entra", "groups " + label, clients, groups,
                (g, timer) -> {
                    String name = "Group " + g + " " + prefix;
                    String filter = "/scim/v2/Groups?excludedAttributes=members&filter="
                            + Http.encode("displayName eq \"" + name + "\"");
                    timer.time("GET filter", () -> http.get(filter, directory.token())).expect(200);
                    Http.Response created = timer.time("POST /Groups", () -> http.post("/scim/v2/Groups",
                            directory.token(), Http.SCIM_JSON, groupBody(name))).expect(201);
                    groupIds[g] = id(created.body());
                });
        List<int[]> patches = membershipPatches(users, groups, memberships, context.config().membersPerPatch());
        Load.Phase membershipPhase = context.run("entra", "memberships " + label + " ("
                + memberships + " in " + patches.size() + " PATCHes)", clients, patches.size(), (p, timer) -> {
            int[] patch = patches.get(p);
            StringBuilder members = new StringBuilder();
            for (int k = 1; k < patch.length; k++) {
                members.append(k > 1 ? "," : "").append("{\"$ref\":null,\"value\":\"").append(userIds[patch[k]])
                        .append("\"}");
            }
            String body = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":"
                    + "\"Add\",\"path\":\"members\",\"value\":[" + members + "]}]}";
            timer.time("PATCH /Groups", () -> http.send("PATCH", "/scim/v2/Groups/" + groupIds[patch[0]],
                    directory.token(), Http.SCIM_JSON, body)).expect(204);
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(directory, prefix, userIds, userNames, groupIds, userPhase, groupPhase, membershipPhase,
                seconds);
    }

    /**
     * Users only (look-up and create), in a directory of their own: the cycle's first phase again, for a latency
     * measured once the JVM has compiled the path and the tables hold the whole cycle.
     */
    static Load.Phase usersOnly(Benchmark.Context context, String label, int users, int clients) {
        Admin.Directory directory = context.admin().createDirectory("Entra bench " + label);
        String prefix = label + "-" + UUID.randomUUID().toString().substring(0, 8);
        String[] userIds = new String[users];
        String[] userNames = userNames(prefix, users);
        return context.run("entra", "users " + label, clients, users,
                createUsers(context.http(), directory, userNames, userIds, 0));
    }

    private static String[] userNames(String prefix, int users) {
        String[] userNames = new String[users];
        for (int i = 0; i < users; i++) {
            userNames[i] = "user" + i + "." + prefix + "@" + USER_DOMAIN;
        }
        return userNames;
    }

    /**
     * Task i creates user {@code first + i} as Entra does: the look-up by userName (no match), then the {@code POST}.
     */
    static Load.Task createUsers(Http http, Admin.Directory directory, String[] userNames, String[] userIds,
                                 int first) {
        return (task, timer) -> {
            int i = first + task;
            String filter = "/scim/v2/Users?filter=" + Http.encode("userName eq \"" + userNames[i] + "\"");
            JsonNode found = timer.time("GET filter", () -> http.get(filter, directory.token())).expect(200).json();
            if (found.get("totalResults").asInt() != 0) {
                throw new BenchFailure("user " + userNames[i] + " exists before it was created");
            }
            Http.Response created = timer.time("POST /Users", () -> http.post("/scim/v2/Users", directory.token(),
                    Http.SCIM_JSON, userBody(userNames[i], i))).expect(201);
            userIds[i] = id(created.body());
        };
    }

    /**
     * The memberships as PATCHes: each array is {group, user, user, ...}. Group g holds users g*stride, g*stride+1, ...
     * (mod users), so every pair is distinct and the groups spread over the directory.
     */
    static List<int[]> membershipPatches(int users, int groups, int memberships, int perPatch) {
        if (groups == 0 || users == 0) {
            return List.of();
        }
        List<List<int[]>> perGroup = new ArrayList<>();
        int stride = Math.max(1, users / groups);
        for (int g = 0; g < groups; g++) {
            int size = Math.min(users, memberships / groups + (g < memberships % groups ? 1 : 0));
            List<int[]> chunks = new ArrayList<>();
            for (int from = 0; from < size; from += perPatch) {
                int to = Math.min(size, from + perPatch);
                int[] patch = new int[to - from + 1];
                patch[0] = g;
                for (int k = from; k < to; k++) {
                    patch[k - from + 1] = (int) (((long) g * stride + k) % users);
                }
                chunks.add(patch);
            }
            perGroup.add(chunks);
        }
        List<int[]> ordered = new ArrayList<>();
        for (int round = 0; ; round++) {
            boolean any = false;
            for (List<int[]> chunks : perGroup) {
                if (round < chunks.size()) {
                    ordered.add(chunks.get(round));
                    any = true;
                }
            }
            if (!any) {
                return ordered;
            }
        }
    }

    /** The Create User payload of Microsoft's SCIM tutorial, with the work email as primary. */
    static String userBody(String userName, int i) {
        return """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",\
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],\
                "externalId":"%s","userName":"%s","active":true,\
                "emails":[{"primary":true,"type":"work","value":"%s"}],"meta":{"resourceType":"User"},\
                "name":{"formatted":"Given%d Family%d","familyName":"Family%d","givenName":"Given%d"},\
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Dept %d",\
                "employeeNumber":"%d"},"roles":[]}""".formatted(UUID.randomUUID(), userName, userName, i, i, i, i,
                i % 50, i);
    }

    static String groupBody(String displayName) {
        return """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group",\
                "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],\
                "externalId":"%s","displayName":"%s","meta":{"resourceType":"Group"}}"""
                .formatted(UUID.randomUUID(), displayName);
    }

    /** The resource's id, without parsing the whole answer. */
    static String id(String json) {
        int key = json.indexOf("\"id\":\"");
        if (key < 0) {
            throw new BenchFailure("no id in " + Http.abbreviate(json));
        }
        int start = key + 6;
        return json.substring(start, json.indexOf('"', start));
    }
}
