package dev.roster.sso.idp;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Function;

import dev.roster.sso.connection.SsoConnection;

/**
 * The IdP API clients of the connections in use (Okta's, Microsoft Graph's), one per connection, built at most once
 * for each version of the connection (its {@code updatedAt}) however many sign-ins ask at once. A client that is
 * replaced or removed is retired: closed once the lookups still running on it have finished ({@link SharedClient}).
 *
 * @param <C> the SDK client lookups use
 */
final class ConnectionClients<C> {

    private final Map<UUID, SharedClient<C>> clients = new ConcurrentHashMap<>();
    private final Function<SsoConnection, SharedClient<C>> open;

    /**
     * @param open builds a connection's client (decrypting its secret); called under the map's lock for the
     *             connection, so it must not call back into this map
     */
    ConnectionClients(Function<SsoConnection, SharedClient<C>> open) {
        this.open = open;
    }

    /**
     * A lookup on the connection's client, built now if there is none for this version of the connection. A client of
     * any other version is replaced, whether older or (for a request that read the connection just before a change)
     * newer: putting versions in order would trust every instance's clock to agree, and requests holding an old
     * version are rare and brief.
     */
    SharedClient.Lease<C> lease(SsoConnection connection) {
        Holder<C> held = new Holder<>();
        // The lease is taken inside compute, under the map's lock for the connection, which is also held wherever a
        // client leaves the map: no lookup can start on a client after it was retired.
        clients.compute(connection.id(), (id, cached) -> {
            if (cached != null && cached.version().equals(connection.updatedAt())) {
                held.lease = cached.lease();
                return cached;
            }
            SharedClient<C> built = open.apply(connection);
            held.replaced = cached;
            held.lease = built.lease();
            return built;
        });
        if (held.replaced != null) {
            held.replaced.retire();
        }
        return held.lease;
    }

    /**
     * Retires every client whose connection, at the version it was built from, {@code current} no longer accepts
     * ({@code current} is asked outside any lock of the map, so it may query the database).
     */
    void retireUnless(BiPredicate<UUID, Instant> current) {
        clients.forEach((id, client) -> {
            if (!current.test(id, client.version()) && clients.remove(id, client)) {
                client.retire();
            }
        });
    }

    void retireAll() {
        retireUnless((id, version) -> false);
    }

    /** What one compute call hands out of its lambda. */
    private static final class Holder<C> {
        SharedClient.Lease<C> lease;
        SharedClient<C> replaced;
    }
}
