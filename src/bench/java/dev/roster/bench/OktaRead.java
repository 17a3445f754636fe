package dev.roster.bench;

import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Scenario 2, how Okta reads: its import pages through every user with {@code startIndex} and {@code count=100}, one
 * page after the other; its provisioning looks each user up by {@code userName eq} before changing it.
 */
final class OktaRead {

    private OktaRead() {
    }

    static void run(Benchmark.Context context, EntraCycle.Result cycle) {
        Http http = context.http();
        String token = cycle.directory().token();
        int total = cycle.userIds().length;
        int pages = (total + 99) / 100;
        Load.Phase paging = context.run("okta", "page all users, count=100", 1, pages,
                (page, timer) -> {
                    JsonNode answer = timer.time("GET page", () -> http.get("/scim/v2/Users?startIndex="
                            + (page * 100 + 1) + "&count=100", token)).expect(200).json();
                    int expected = Math.min(100, total - page * 100);
                    if (answer.get("Resources").size() != expected || answer.get("totalResults").asInt() != total) {
                        throw new BenchFailure("page " + page + " had " + answer.get("Resources").size()
                                + " users of " + answer.get("totalResults") + ", expected " + expected + " of " + total);
                    }
                });
        context.report().figure("okta", "page through " + total + " users (count=100)", paging.seconds(), "s", null);
        context.report().figure("okta", "users read per second while paging", total / paging.seconds(), "users/s",
                null);
        for (int clients : context.config().clients()) {
            Load.Phase lookups = context.run("okta", "userName lookups", clients,
                    context.config().lookups(), (i, timer) -> {
                        String userName = cycle.userNames()[ThreadLocalRandom.current().nextInt(total)];
                        JsonNode answer = timer.time("GET filter", () -> http.get("/scim/v2/Users?filter="
                                + Http.encode("userName eq \"" + userName + "\""), token)).expect(200).json();
                        if (answer.get("totalResults").asInt() != 1) {
                            throw new BenchFailure("lookup of " + userName + " found " + answer.get("totalResults"));
                        }
                    });
            context.report().figure("okta", "userName lookups/s at " + clients + " clients", lookups.rate(), "req/s",
                    null);
            context.report().figure("okta", "userName lookup p99 at " + clients + " clients",
                    lookups.latency("GET filter").p99(), "ms", null);
        }
    }
}
