package dev.roster.resource;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import dev.roster.test.TestApi;

/** Helpers for tests that race many lease requests. */
final class LeaseRace {

    private LeaseRace() {
    }

    /**
     * The request's answer, asked again while it is a 503 (a request that waited too long for a pooled connection
     * while the others held theirs): a client told "try again" tries again, and whether it gets a place is decided
     * only by the answer it finally gets.
     */
    static TestApi.Response answered(Supplier<TestApi.Response> request) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        TestApi.Response response = request.get();
        while (response.status() == 503 && Instant.now().isBefore(deadline)) {
            response = request.get();
        }
        return response;
    }
}
