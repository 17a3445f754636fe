package dev.roster.bench;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Scenario 3, a large group: one PATCH adding {@code largeGroup} members to a new group (one operation whose value
 * lists them all), repeated on fresh groups; then reads of such a group with its members and with
 * {@code excludedAttributes=members}.
 */
final class LargeGroup {

    private LargeGroup() {
    }

    static void run(Benchmark.Context context, EntraCycle.Result cycle) {
        Http http = context.http();
        String token = cycle.directory().token();
        int size = Math.min(context.config().largeGroup(), cycle.userIds().length);
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < size; i++) {
            members.append(i > 0 ? "," : "").append("{\"value\":\"").append(cycle.userIds()[i]).append("\"}");
        }
        String patch = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":"
                + "\"add\",\"path\":\"members\",\"value\":[" + members + "]}]}";
        String[] groupIds = new String[context.config().largeGroupRepeats()];
        Load.Phase patches = context.run("large-group", "PATCH adding " + size + " members", 1,
                groupIds.length, (r, timer) -> {
                    String name = "Large group " + r + " " + UUID.randomUUID();
                    groupIds[r] = EntraCycle.id(http.post("/scim/v2/Groups", token, Http.SCIM_JSON,
                            EntraCycle.groupBody(name)).expect(201).body());
                    timer.time("PATCH +" + size, () -> http.send("PATCH", "/scim/v2/Groups/" + groupIds[r], token,
                            Http.SCIM_JSON, patch)).expect(204);
                });
        Latencies.Summary patchTime = patches.latency("PATCH +" + size);
        context.report().figure("large-group", "PATCH adding " + size + " members (median of " + groupIds.length + ")",
                patchTime.p50() / 1000, "s", size >= 10_000 ? Report.Target.below(1) : null);
        context.report().figure("large-group", "PATCH adding " + size + " members (slowest)", patchTime.max() / 1000,
                "s", null);

        String group = "/scim/v2/Groups/" + groupIds[0];
        JsonNode full = http.get(group, token).expect(200).json();
        if (full.get("members").size() != size) {
            throw new BenchFailure("the group has " + full.get("members").size() + " members, expected " + size);
        }
        int reads = context.config().groupReads();
        Load.Phase withMembers = context.run("large-group", "GET group with members", 1, reads,
                (i, timer) -> timer.time("GET", () -> http.get(group, token)).expect(200));
        Load.Phase without = context.run("large-group", "GET excludedAttributes=members", 1, reads,
                (i, timer) -> timer.time("GET", () -> http.get(group + "?excludedAttributes=members", token))
                        .expect(200));
        context.report().figure("large-group", "GET group of " + size + " with members, p50",
                withMembers.latency("GET").p50(), "ms", null);
        context.report().figure("large-group", "GET group of " + size + " excludedAttributes=members, p50",
                without.latency("GET").p50(), "ms", null);
    }
}
