package dev.roster.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.roster.shared.Actor;
import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.test.TestEvents;

/**
 * The Events API's cursor: events come in commit order, and a consumer that keeps calling with {@code after=next}
 * sees every committed event exactly once, however transactions interleave; rolled-back changes leave no event.
 */
@RosterIntegrationTest
class EventStreamTest {

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    TestEvents testEvents;
    @Autowired
    Events events;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    EventRetention retention;
    @Autowired
    MutableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /**
     * The case plain sequence numbers get wrong: a transaction writes its event first (and so takes the lower number)
     * but commits after another one's event has been read. The reader must still get it, after the other one.
     */
    @Test
    void anEventCommittedLateAfterALaterOneWasReadIsStillDelivered() throws Exception {
        TestData.Org org = data.org();
        String start = head(org);
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch mayCommit = new CountDownLatch(1);
        ExecutorService slow = Executors.newSingleThreadExecutor();
        try {
            Future<UUID> first = slow.submit(() -> transaction.execute(status -> {
                UUID id = events.publish(org.id(), EventType.TEAM_CREATED, Actor.system("slow"), Map.of("n", 1));
                // Runs after the events are written (order 0), and holds the commit until the test lets it go.
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void beforeCommit(boolean readOnly) {
                        written.countDown();
                        await(mayCommit);
                    }

                    @Override
                    public int getOrder() {
                        return 100;
                    }
                });
                return id;
            }));
            await(written);
            UUID second = testEvents.publish(org, EventType.TEAM_CREATED, Map.of("n", 2));
            testEvents.sequence();

            JsonNode page = api.get(org.admin().token(), org.api("/events?after=" + start)).json();
            assertThat(ids(page)).containsExactly(second.toString());
            String next = page.path("next").asText();

            mayCommit.countDown();
            UUID late = first.get(30, TimeUnit.SECONDS);
            testEvents.sequence();
            JsonNode after = api.get(org.admin().token(), org.api("/events?after=" + next)).json();
            assertThat(ids(after)).containsExactly(late.toString());
            assertThat(ids(api.get(org.admin().token(), org.api("/events?after=" + after.path("next").asText()))
                    .json())).isEmpty();
        }
        finally {
            mayCommit.countDown();
            slow.shutdownNow();
        }
    }

    /**
     * 32 writers commit events at once, their commits held for random moments so they finish out of the order they
     * started, and a third of them roll back; a reader follows the stream with {@code after=next} the whole time.
     * It must end with exactly the committed events: none missing, none twice, none rolled back, each writer's in
     * its own commit order.
     */
    @Test
    void thirtyTwoConcurrentWritersAndAReaderSeeEveryCommittedEventOnceInOrder() throws Exception {
        TestData.Org org = data.org();
        String token = org.admin().token();
        String start = head(org);
        int writers = 32;
        int transactionsEach = 12;
        Map<UUID, String> committed = new ConcurrentHashMap<>();
        Set<UUID> rolledBack = ConcurrentHashMap.newKeySet();
        Map<Integer, List<UUID>> commitOrder = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);

        List<String> read = new ArrayList<>();
        ExecutorService readerThread = Executors.newSingleThreadExecutor();
        Future<String> reader = readerThread.submit(() -> {
            String cursor = start;
            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            while (Instant.now().isBefore(deadline)) {
                boolean done = !writing.get();
                JsonNode page = api.get(token, org.api("/events?limit=37&after=" + cursor)).json();
                page.path("data").forEach(event -> read.add(event.path("id").asText()));
                cursor = page.path("next").asText();
                if (done && page.path("data").isEmpty() && read.size() >= committed.size()) {
                    return cursor;
                }
            }
            return cursor;
        });

        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            running.add(pool.submit(() -> {
                for (int t = 0; t < transactionsEach; t++) {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    boolean rollBack = random.nextInt(3) == 0;
                    List<UUID> ids = new ArrayList<>();
                    try {
                        transaction.executeWithoutResult(status -> {
                            for (int e = 0; e < 1 + random.nextInt(3); e++) {
                                ids.add(events.publish(org.id(), EventType.TEAM_CREATED, Actor.system("writer " + writer),
                                        Map.of("writer", writer, "transaction", ids.size())));
                            }
                            if (random.nextBoolean()) {
                                TransactionSynchronizationManager.registerSynchronization(new HoldCommit());
                            }
                            if (rollBack) {
                                throw new IllegalStateException("rolled back on purpose");
                            }
                        });
                        ids.forEach(id -> committed.put(id, "writer " + writer));
                        commitOrder.computeIfAbsent(writer, k -> new ArrayList<>()).addAll(ids);
                    }
                    catch (IllegalStateException ex) {
                        rolledBack.addAll(ids);
                    }
                }
            }));
        }
        for (Future<?> future : running) {
            future.get(120, TimeUnit.SECONDS);
        }
        writing.set(false);
        pool.shutdown();
        reader.get(150, TimeUnit.SECONDS);
        readerThread.shutdown();

        assertThat(committed).hasSizeGreaterThan(writers * transactionsEach / 2);
        assertThat(rolledBack).isNotEmpty();
        assertThat(new HashSet<>(read)).as("no event read twice").hasSize(read.size());
        assertThat(read).as("every committed event, and nothing else")
                .containsExactlyInAnyOrderElementsOf(committed.keySet().stream().map(UUID::toString).toList());
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < read.size(); i++) {
            index.put(read.get(i), i);
        }
        commitOrder.forEach((writer, ids) -> {
            List<Integer> positions = ids.stream().map(id -> index.get(id.toString())).toList();
            assertThat(positions).as("writer %d's events in its commit order", writer).isSorted();
        });
    }

    @Test
    void typesLimitAndCursorsAreChecked() {
        TestData.Org org = data.org();
        String token = org.admin().token();
        long start = Long.parseLong(head(org));
        UUID team = testEvents.publish(org, EventType.TEAM_CREATED, Map.of("name", "a"));
        UUID member = testEvents.publish(org, EventType.MEMBER_REMOVED, Map.of("email", "b"));
        UUID sso = testEvents.publish(org, EventType.SSO_SIGN_IN_REFUSED, Map.of("reason", "no-grant"));
        testEvents.sequence();

        assertThat(ids(api.get(token, org.api("/events?types=member.*,sso.sign_in_refused&after=" + start)).json()))
                .containsExactly(member.toString(), sso.toString());
        JsonNode first = api.get(token, org.api("/events?limit=1&after=" + start)).json();
        assertThat(ids(first)).containsExactly(team.toString());
        JsonNode event = first.path("data").get(0);
        assertThat(event.path("type").asText()).isEqualTo("team.created");
        assertThat(event.path("organization").asText()).isEqualTo(org.slug());
        assertThat(event.path("actor").path("type").asText()).isEqualTo("system");
        assertThat(event.path("data").path("name").asText()).isEqualTo("a");
        assertThat(ids(api.get(token, org.api("/events?limit=5&after=" + first.path("next").asText())).json()))
                .containsExactly(member.toString(), sso.toString());
        // Filtered to nothing, the cursor still moves to the head, so the next call does not read it all again.
        JsonNode none = api.get(token, org.api("/events?types=invitation.*")).json();
        assertThat(none.path("data")).isEmpty();
        assertThat(none.path("next").asText()).isEqualTo(String.valueOf(start + 3));

        assertThat(api.get(token, org.api("/events?types=member.nothing")).status()).isEqualTo(400);
        assertThat(api.get(token, org.api("/events?limit=0")).status()).isEqualTo(400);
        assertThat(api.get(token, org.api("/events?limit=1001")).status()).isEqualTo(400);
        assertThat(api.get(token, org.api("/events?after=abc")).status()).isEqualTo(400);
        assertThat(api.get(token, org.api("/events?after=" + (start + 99))).status()).isEqualTo(400);
    }

    @Test
    void anotherOrganizationsTokenSeesNoneOfItsEvents() {
        TestData.Org a = data.org();
        TestData.Org b = data.org();
        testEvents.publish(a, EventType.TEAM_CREATED, Map.of("name", "secret team"));
        testEvents.sequence();
        assertThat(api.get(b.admin().token(), a.api("/events")).status()).isEqualTo(404);
        assertThat(api.get(b.admin().token(), b.api("/events")).json().path("data").toString())
                .doesNotContain("secret team");
        TestData.Person member = data.member(a, false);
        assertThat(api.get(member.token(), a.api("/events")).status()).isEqualTo(403);
        assertThat(api.get(null, a.api("/events")).status()).isEqualTo(401);
    }

    @Test
    void eventsOlderThanTheRetentionAreDeletedAndAnOldCursorIsToldSo() {
        TestData.Org org = data.org();
        String token = org.admin().token();
        String setUp = head(org);
        testEvents.publish(org, EventType.TEAM_CREATED, Map.of("name", "old"));
        testEvents.sequence();
        String oldCursor = api.get(token, org.api("/events?limit=1&after=" + setUp)).json().path("next").asText();
        String start = "0";

        clock.advance(Duration.ofDays(31));
        UUID recent = testEvents.publish(org, EventType.TEAM_CREATED, Map.of("name", "recent"));
        testEvents.sequence();
        assertThat(retention.purge()).isGreaterThanOrEqualTo(1);

        assertThat(ids(api.get(token, org.api("/events")).json())).containsExactly(recent.toString());
        TestApi.Response expired = api.get(token, org.api("/events?after=" + start));
        assertThat(expired.status()).isEqualTo(410);
        assertThat(expired.json().path("type").asText()).isEqualTo("urn:roster:problem:events-expired");
        // A cursor at or after what was deleted goes on as before.
        assertThat(ids(api.get(token, org.api("/events?after=" + oldCursor)).json())).containsExactly(recent.toString());
    }

    /**
     * Where the organization's stream stands once the events of its setup (its admin joining) have their positions:
     * the tests read from there, so they see only the events they publish.
     */
    private String head(TestData.Org org) {
        testEvents.sequence();
        JsonNode page = api.get(org.admin().token(), org.api("/events?limit=1000")).json();
        assertThat(page.path("data").size()).isLessThan(1000);
        return page.path("next").asText();
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("data").forEach(event -> ids.add(event.path("id").asText()));
        return ids;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Holds a transaction for a random moment after its events are written and before it commits, so transactions
     * commit out of the order in which they wrote their events. A stressor, not a wait for an outcome.
     */
    private static final class HoldCommit implements TransactionSynchronization {

        @Override
        public void beforeCommit(boolean readOnly) {
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(3_000_000));
        }

        @Override
        public int getOrder() {
            return 100;
        }
    }
}
