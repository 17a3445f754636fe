package dev.roster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.shared.Actor;
import dev.roster.test.EventFeed;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.WebhookReceiver;

/**
 * Ordering under concurrent changes: people join while an admin, over the API, removes each of them as soon as they
 * appear. A removal can only follow the join it undoes, and the host sees it that way, in the Events API and at its
 * webhook endpoint: never a member.removed before the member.added.
 */
@RosterIntegrationTest
class EventOrderTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    MembershipService memberships;

    @Test
    void aHostNeverSeesAMemberRemovedBeforeTheyWereAdded() throws Exception {
        TestData.Org org = data.org();
        int people = 12;
        List<TestData.Person> persons = new ArrayList<>();
        for (int i = 0; i < people; i++) {
            persons.add(data.person("race" + i));
        }
        try (EventFeed feed = EventFeed.follow(api, org)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Callable<String>> work = new ArrayList<>();
            for (TestData.Person person : persons) {
                work.add(() -> memberships.join(org.id(), person.id(), MembershipService.Join.of(
                        MembershipSource.INVITATION), Actor.system("race")).id().toString());
                work.add(() -> removeOnceVisible(org, person.email()));
            }
            List<String> removed = new ArrayList<>();
            try {
                for (Future<String> result : pool.invokeAll(work, 3, TimeUnit.MINUTES)) {
                    removed.add(result.get());
                }
            }
            finally {
                pool.shutdownNow();
            }
            Set<String> memberIds = Set.copyOf(removed);
            assertThat(memberIds).hasSize(people);

            List<JsonNode> all = feed.await(events -> events.stream()
                    .filter(e -> e.path("type").asText().equals("member.removed")).count() == people,
                    "every removal");
            List<JsonNode> ours = all.stream().filter(e -> memberIds.contains(e.path("data").path("id").asText()))
                    .toList();
            for (String id : memberIds) {
                assertThat(EventFeed.about(ours, id)).extracting(e -> e.path("type").asText())
                        .containsExactly("member.added", "member.removed");
            }
            List<WebhookReceiver.Delivery> delivered = feed.awaitDelivered(ours);
            for (String id : memberIds) {
                List<String> types = delivered.stream().filter(d -> d.json().path("data").path("id").asText()
                        .equals(id)).map(WebhookReceiver.Delivery::type).toList();
                assertThat(types).as("deliveries about %s", id).containsExactly("member.added", "member.removed");
            }
        }
    }

    /** The admin's side: find the person in the member list and remove them; returns the membership id. */
    private String removeOnceVisible(TestData.Org org, String email) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            TestApi.Response found = api.get(org.admin().token(), org.api("/members?search=" + email));
            JsonNode items = found.json().path("items");
            if (!items.isEmpty()) {
                String id = items.get(0).path("id").asText();
                TestApi.Response removed = api.delete(org.admin().token(), org.api("/members/" + id));
                assertThat(removed.status()).as(removed.body()).isEqualTo(204);
                return id;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError(email + " never appeared in the member list");
    }
}
