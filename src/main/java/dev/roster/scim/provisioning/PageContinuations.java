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

import org.springframework.stereotype.Component;

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
 */
@Component
class PageContinuations {

    private static final int MAX_ENTRIES = 10_000;
    private static final Duration KEPT_FOR = Duration.ofMinutes(10);

    /** A page of one directory's list, filter and all; the start index is 1-based as in SCIM. */
    record Key(UUID directoryId, String where, Map<String, Object> params, long startIndex) {
    }

    /** The last user of the page before: the next page starts after it. */
    record After(Instant createdAt, UUID id) {
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

    PageContinuations(Clock clock) {
        this.clock = clock;
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
