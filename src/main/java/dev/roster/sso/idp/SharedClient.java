package dev.roster.sso.idp;

import java.time.Instant;

/**
 * One version of a connection's IdP API client, shared by the lookups running on it, with what closes it (its HTTP
 * clients' pooled connections, which the SDKs never close themselves). Once retired (the connection changed or went
 * away, or Roster stops) it is closed as the last lookup still running on it finishes.
 * <p>
 * Counting the lookups is what lets a replaced client be closed without cutting one off or leaking. A lookup is
 * several requests (the person, then each page of their groups): closing an Apache pool at once, even with
 * {@code CloseMode.GRACEFUL}, makes the next request of a lookup still running fail on a pool shut down; evicting
 * OkHttp's idle connections at once lets that next request open a new one, which nothing would close. A grace period
 * would have to outlast a lookup's deadline. The count costs a lock held for an increment per lookup.
 *
 * @param <C> the SDK client lookups use
 */
final class SharedClient<C> {

    private final Instant version;
    private final C client;
    private final Runnable close;
    private int lookups;
    private boolean retired;

    /**
     * @param close closes the client's connections; runs once, when no lookup runs on it any more
     */
    SharedClient(Instant version, C client, Runnable close) {
        this.version = version;
        this.client = client;
        this.close = close;
    }

    /** The connection's {@code updatedAt} this client was built from. */
    Instant version() {
        return version;
    }

    /**
     * Starts a lookup on this client. {@link ConnectionClients} calls it only while it holds the client, under the
     * map's lock for the connection, where nothing retires it.
     */
    synchronized Lease<C> lease() {
        if (retired) {
            throw new IllegalStateException("this IdP API client was retired");
        }
        lookups++;
        return new Lease<>(this);
    }

    /** No lookup starts on this client any more; it is closed now, or when the last one running finishes. */
    void retire() {
        boolean idle;
        synchronized (this) {
            retired = true;
            idle = lookups == 0;
        }
        if (idle) {
            close.run();
        }
    }

    private void release() {
        boolean last;
        synchronized (this) {
            lookups--;
            last = retired && lookups == 0;
        }
        if (last) {
            close.run();
        }
    }

    /** One lookup's use of the client; closing it (once) ends the lookup. */
    record Lease<C>(SharedClient<C> shared) implements AutoCloseable {

        C client() {
            return shared.client;
        }

        @Override
        public void close() {
            shared.release();
        }
    }
}
