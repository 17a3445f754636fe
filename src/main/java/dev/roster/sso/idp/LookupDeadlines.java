package dev.roster.sso.idp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Gives each lookup in an IdP's API a deadline for the whole of it (the person, then page after page of their groups).
 * When it passes, the request in flight is aborted: its connection is closed, which ends at once the read the lookup's
 * thread is blocked in and frees the connection's place in the pool; every request the lookup starts after that fails
 * at once; and the lookup throws {@link LookupDeadlineExceeded}. The HTTP clients' own timeouts bound each wait, not
 * the lookup: it is many requests, and an API that sends a byte every few seconds never trips a read timeout.
 * <p>
 * The SDKs build their requests out of reach, so a lookup cannot hand them its deadline. {@link #within} binds it to
 * the thread that runs the lookup, and the HTTP clients' hooks, which run on that same thread for a blocking call (an
 * Apache exec handler for Okta, an OkHttp interceptor for Graph), find it there ({@link #current()}) and register each
 * request's abort with it. Aborting on a timer (as webhook deliveries do) rather than running the lookup on a pool
 * thread and giving up on its {@code Future}: the sign-in thread is freed either way, but only the abort also ends the
 * request, which would otherwise hold a pooled connection, and a thread, for as long as the server kept dripping.
 */
final class LookupDeadlines implements AutoCloseable {

    private final String api;
    private final Duration limit;
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadLocal<Deadline> current = new ThreadLocal<>();

    /**
     * @param api   what is looked up, for the failure's message ("Okta API")
     * @param limit how long a whole lookup may take
     */
    LookupDeadlines(String api, Duration limit) {
        this.api = api;
        this.limit = limit;
        CustomizableThreadFactory threads = new CustomizableThreadFactory(
                api.toLowerCase(Locale.ROOT).replace(' ', '-') + "-deadline-");
        threads.setDaemon(true);
        this.timer = new ScheduledThreadPoolExecutor(1, threads);
        // Nearly every lookup ends well before its deadline: drop its timer entry then, not when it would have fired.
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Runs a lookup on this thread, under a deadline the limit from now. */
    <T> T within(Supplier<T> lookup) {
        Deadline deadline = new Deadline(System.nanoTime() + limit.toNanos());
        ScheduledFuture<?> expiry = timer.schedule(deadline::expire, limit.toNanos(), TimeUnit.NANOSECONDS);
        current.set(deadline);
        try {
            return lookup.get();
        }
        catch (RuntimeException ex) {
            // Whatever the failure looks like (an aborted read, a closed socket, a wait given up), the deadline is why.
            if (deadline.passed()) {
                throw new LookupDeadlineExceeded(api + " lookup did not finish within " + seconds(limit), ex);
            }
            throw ex;
        }
        finally {
            current.remove();
            expiry.cancel(false);
        }
    }

    /** The deadline of the lookup running on this thread; null outside of one. */
    Deadline current() {
        return current.get();
    }

    /** How long the lookup running on this thread has left (the whole limit outside of one). */
    Duration remaining() {
        Deadline deadline = current.get();
        return deadline == null ? limit : deadline.remaining();
    }

    /** Stops the timer: lookups still running are bounded by their HTTP clients' timeouts only. */
    @Override
    public void close() {
        timer.shutdownNow();
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** One lookup's deadline, and the aborts of the requests it made. */
    static final class Deadline {

        private final long at;
        // Every request of the lookup, not only the latest: aborting one that has finished does nothing, and this
        // way nothing depends on the SDK sending one request at a time. At most a hundred pages and their retries.
        private final List<Runnable> aborts = new ArrayList<>();
        private boolean expired;

        private Deadline(long at) {
            this.at = at;
        }

        /** Runs {@code abort} when the deadline passes, or now if it has passed. */
        void onExpiry(Runnable abort) {
            synchronized (this) {
                if (!expired) {
                    aborts.add(abort);
                    return;
                }
            }
            abort.run();
        }

        Duration remaining() {
            return Duration.ofNanos(Math.max(0, at - System.nanoTime()));
        }

        /** Whether the deadline has passed, whether or not the timer has aborted the lookup's requests yet. */
        boolean passed() {
            synchronized (this) {
                if (expired) {
                    return true;
                }
            }
            return System.nanoTime() - at >= 0;
        }

        private void expire() {
            List<Runnable> now;
            synchronized (this) {
                expired = true;
                now = List.copyOf(aborts);
                aborts.clear();
            }
            now.forEach(Runnable::run);
        }
    }
}
