package dev.roster.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

/** Ids are random version-4 UUIDs, distinct across the threads that take them at once (each has its own generator). */
class IdsTest {

    @Test
    void idsTakenOnManyThreadsAtOnceAreDistinctRandomVersionFourUuids() throws Exception {
        Set<UUID> ids = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 5_000; i++) {
                    ids.add(Ids.newId());
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(ids).hasSize(16 * 5_000);
        assertThat(ids).allSatisfy(id -> {
            assertThat(id.version()).isEqualTo(4);
            assertThat(id.variant()).isEqualTo(2);
        });
        // Random bits, not a counter: about half of the ids have any given bit set.
        long highBitSet = ids.stream().filter(id -> id.getLeastSignificantBits() << 2 < 0).count();
        assertThat(highBitSet).isBetween(ids.size() * 45L / 100, ids.size() * 55L / 100);
    }
}
