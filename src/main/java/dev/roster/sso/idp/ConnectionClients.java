package dev.roster.sso.idp;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.roster.sso.connection.SsoConnection;

/**
 * The IdP API clients of the connections in use (Okta's, Microsoft Graph's), one per connection, built at most once
 * for each version of the connection (its {@code updatedAt}) however many sign-ins ask at once. A client that is
 * replaced or removed is retired: closed once the lookups still running on it have finished ({@link SharedClient}).
 * Every lookup takes a place among those its organization may have running ({@link LookupsPerOrganization}), or is
 * refused at once, and runs under its deadline ({@link LookupDeadlines}).
 *
 * @param <C> the SDK client lookups use
 */
final class ConnectionClients<C> {

    private final Map<UUID, SharedClient<C>> clients = new ConcurrentHashMap<>();
    private final LookupsPerOrganization.ForApi limit;
    private final LookupDeadlines deadlines;
    private final Function<SsoConnection, SharedClient<C>> open;

    /**
     * @param limit the organization's places for lookups running, shared with its other connections and the other API
     * @param open  builds a connection's client (decrypting its secret); called under the map's lock for the
     *              connection, so it must not call back into this map
     */
    ConnectionClients(LookupsPerOrganization.ForApi limit, LookupDeadlines deadlines,
                      Function<SsoConnection, SharedClient<C>> open) {
        this.limit = limit;
        this.deadlines = deadlines;
        this.open = open;
    }

    /**
     * Runs a lookup on the connection's client, under the lookup's deadline, if its organization may start one more;
     * otherwise throws {@link LookupRefused} at once. The place is taken first: a refused lookup builds no client and
     * starts no timer.
     */
    <T> T lookup(SsoConnection connection, Function<C, T> lookup) {
        return limit.run(connection.organizationId(), () -> deadlines.within(() -> {
            try (SharedClient.Lease<C> lease = lease(connection)) {
                return lookup.apply(lease.client());
            }
        }));
    }

    /**
     * A lookup on the connection's client, built now if there is none for this version of the connection. A client of
     * any other version is replaced, whether older or (for a request that read the connection just before a change)
     * newer: putting versions in order would trust every instance's clock to agree, and requests holding an old
     * version are rare and brief.
     */
    private SharedClient.Lease<C> lease(SsoConnection connection) {
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
     * Retires every client whose connection is gone, or no longer {@code usable}, or has changed since the client was
     * built (on this instance or another). {@code find} is asked outside any lock of the map, so it may query the
     * database.
     */
    void retireUnlessCurrent(Function<UUID, Optional<SsoConnection>> find, Predicate<SsoConnection> usable) {
        clients.forEach((id, client) -> {
            boolean current = find.apply(id).filter(usable).map(SsoConnection::updatedAt)
                    .filter(client.version()::equals).isPresent();
            if (!current && clients.remove(id, client)) {
                client.retire();
            }
        });
    }

    /** Retires every client (each closed once the lookups still running on it have finished), and the deadlines. */
    void close() {
        clients.forEach((id, client) -> {
            if (clients.remove(id, client)) {
                client.retire();
            }
        });
        deadlines.close();
    }

    /** What one compute call hands out of its lambda. */
    private static final class Holder<C> {
        SharedClient.Lease<C> lease;
        SharedClient<C> replaced;
    }
}
