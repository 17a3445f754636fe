package dev.roster.scim.provisioning;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Where the next page of a user list starts, remembered from the page before it, so that an identity provider
 * paging through a directory ({@code startIndex=1, 101, 201, ...}, as Okta's imports do) gets each page by an index
 * range instead of an OFFSET that reads and discards every user before it. Paging through 100,000 users by OFFSET
 * reads five million rows; this way each page reads its own hundred (docs/benchmarks.md).
 * <p>
 * Only the default order (creation time, then id) is continued. A page asked for without a remembered start (another
 * instance served the page before, the entry expired, or a client jumps) falls back to OFFSET, so an answer never
 * depends on this memory. RFC 7644 (3.4.2.4) does not promise consistency across pages; continuing after the last
 * user served even skips or repeats no one when users before it are deleted in between, which OFFSET would.
 * <p>
 * A continued page also reuses the {@code totalResults} counted for the page before, unless this instance wrote to
 * the directory's users since: counting a large directory for every page cost as much as reading the page. Writes
 * through another instance are seen by the next page that is not continued here, or at the end of the list, whose
 * short page implies its total.
 */
@Component
class PageContinuations {

    private static final int MAX_ENTRIES = 10_000;
    private static final Duration KEPT_FOR = Duration.ofMinutes(10);

    /** A page of one directory's list, filter and all; the start index is 1-based as in SCIM. */
    record Key(UUID directoryId, String where, Map<String, Object> params, long startIndex) {
    }

    /**
     * The last user of the page before: the next page starts after it. {@code total} is the list's size as counted for
     * that page, good for the next one while the directory's {@link #generation} is still {@code generation}.
     */
    record After(Instant createdAt, UUID id, long total, long generation) {
    }

    private record Entry(After after, Instant expiresAt) {
    }

    private final Clock clock;
    private final Map<Key, Entry> entries = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    private final ConcurrentMap<UUID, AtomicLong> generations = new ConcurrentHashMap<>();

    PageContinuations(Clock clock) {
        this.clock = clock;
    }

    /** Counts this instance's writes to a directory's users; a total counted before a write is not reused after it. */
    long generation(UUID directoryId) {
        AtomicLong generation = generations.get(directoryId);
        return generation == null ? 0 : generation.get();
    }

    /**
     * Marks a write to the directory's users, now and again when its transaction ends: a page counted between the two
     * could not see the write yet.
     */
    void changed(UUID directoryId) {
        AtomicLong generation = generations.computeIfAbsent(directoryId, id -> new AtomicLong());
        generation.incrementAndGet();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    generation.incrementAndGet();
                }
            });
        }
    }

    static boolean continues(ListQuery query) {
        return query.sortColumn().equals("created_at") && !query.descending();
    }

    static Key key(UUID directoryId, ListQuery query, long startIndex) {
        return query.where() == null ? new Key(directoryId, null, Map.of(), startIndex)
                : new Key(directoryId, query.where().sql(),
                        Collections.unmodifiableMap(new HashMap<>(query.where().params())), startIndex);
    }

    synchronized Optional<After> find(Key key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.expiresAt().isBefore(clock.instant())) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(entry.after());
    }

    synchronized void remember(Key key, After after) {
        entries.put(key, new Entry(after, clock.instant().plus(KEPT_FOR)));
    }
}
