package dev.roster.scim.requestlog;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Request log entries not yet committed, oldest first, bounded by an estimate of the memory they hold (bodies are
 * most of it), not by their number: ten thousand small GETs cost less than a few large PUTs. The writer reads a batch
 * from the front and removes it only once it is committed, so a batch the database did not take stays in place.
 */
final class RequestLogBuffer {

    /** A request as answered, bodies not yet redacted. */
    record Entry(UUID id, UUID organizationId, UUID directoryId, String requestId, Instant startedAt, String method,
                 String path, String query, int status, long durationMs, String requestBody, String responseBody,
                 String note) {

        long bytes() {
            return 256 + 2L * (length(method) + length(path) + length(query) + length(requestBody)
                    + length(responseBody) + length(requestId) + length(note));
        }

        private static int length(String value) {
            return value == null ? 0 : value.length();
        }
    }

    private final long capacityBytes;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private long bytes;

    RequestLogBuffer(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /** Adds the entry unless that would exceed the capacity. */
    boolean offer(Entry entry) {
        lock.lock();
        try {
            long size = entry.bytes();
            if (bytes + size > capacityBytes && !entries.isEmpty()) {
                return false;
            }
            entries.addLast(entry);
            bytes += size;
            arrived.signalAll();
            return true;
        }
        finally {
            lock.unlock();
        }
    }

    /** Up to {@code max} entries from the front, left in place. */
    List<Entry> peek(int max) {
        lock.lock();
        try {
            List<Entry> batch = new ArrayList<>(Math.min(max, entries.size()));
            Iterator<Entry> it = entries.iterator();
            while (it.hasNext() && batch.size() < max) {
                batch.add(it.next());
            }
            return batch;
        }
        finally {
            lock.unlock();
        }
    }

    /** Removes {@code count} entries from the front (a batch that was committed). */
    void remove(int count) {
        lock.lock();
        try {
            for (int i = 0; i < count && !entries.isEmpty(); i++) {
                bytes -= entries.removeFirst().bytes();
            }
        }
        finally {
            lock.unlock();
        }
    }

    /** Waits until there is something to write, at most {@code timeout}. */
    void awaitEntries(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            if (entries.isEmpty()) {
                arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return entries.size();
        }
        finally {
            lock.unlock();
        }
    }

    long bytes() {
        lock.lock();
        try {
            return bytes;
        }
        finally {
            lock.unlock();
        }
    }
}
