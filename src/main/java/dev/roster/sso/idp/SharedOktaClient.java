package dev.roster.sso.idp;

import java.time.Instant;

import com.okta.sdk.resource.client.ApiClient;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.io.CloseMode;

/**
 * One version of a connection's Okta SDK client, with the pooled HTTP client it sends through (which the SDK never
 * closes), shared by the lookups running on it. Once retired (the connection changed or went away, or Roster stops)
 * it is closed as the last lookup still running on it finishes.
 * <p>
 * Counting the lookups is what lets a replaced client be closed without cutting one off. Closing the pool at once,
 * even with {@link CloseMode#GRACEFUL}, ends the lookups still running on it: a lookup is several requests (the person,
 * then each page of their groups), and the next one it sends finds the pool shut down. A grace period would have to
 * outlast a lookup of up to a hundred pages, each allowed its timeouts. The count costs a lock held for an increment
 * per lookup.
 */
final class SharedOktaClient {

    private final Instant version;
    private final ApiClient api;
    private final CloseableHttpClient http;
    private int lookups;
    private boolean retired;

    SharedOktaClient(Instant version, ApiClient api, CloseableHttpClient http) {
        this.version = version;
        this.api = api;
        this.http = http;
    }

    /** The connection's {@code updatedAt} this client was built from. */
    Instant version() {
        return version;
    }

    /**
     * Starts a lookup on this client. {@link OktaClients} calls it only while it holds the client, under the map's
     * lock for the connection, where nothing retires it.
     */
    synchronized Lease lease() {
        if (retired) {
            throw new IllegalStateException("this Okta client was retired");
        }
        lookups++;
        return new Lease(this);
    }

    /** No lookup starts on this client any more; it is closed now, or when the last one running finishes. */
    void retire() {
        boolean idle;
        synchronized (this) {
            retired = true;
            idle = lookups == 0;
        }
        if (idle) {
            close();
        }
    }

    private void release() {
        boolean last;
        synchronized (this) {
            lookups--;
            last = retired && lookups == 0;
        }
        if (last) {
            close();
        }
    }

    private void close() {
        // No lookup runs on it any more: GRACEFUL only ends the idle pooled connections politely (TLS close_notify).
        http.close(CloseMode.GRACEFUL);
    }

    /** One lookup's use of the client; closing it (once) ends the lookup. */
    record Lease(SharedOktaClient client) implements AutoCloseable {

        ApiClient api() {
            return client.api;
        }

        @Override
        public void close() {
            client.release();
        }
    }
}
