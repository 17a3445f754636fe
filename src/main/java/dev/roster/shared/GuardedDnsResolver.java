package dev.roster.shared;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * {@link OutboundAddresses} where an Apache HttpClient resolves host names: the client connects only to addresses the
 * guard accepted at the moment it connects. Checking a URL before a request is not enough on its own, because the
 * client resolves the name again: a DNS answer that changes in between (DNS rebinding) would reach the network
 * Roster runs in. With {@code guard} false (an operator allowed internal addresses for this kind of URL) names
 * resolve as the system resolves them.
 */
public final class GuardedDnsResolver implements DnsResolver {

    private final OutboundAddresses addresses;
    private final boolean guard;

    public GuardedDnsResolver(OutboundAddresses addresses, boolean guard) {
        this.addresses = addresses;
        this.guard = guard;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        if (!guard) {
            return SystemDefaultDnsResolver.INSTANCE.resolve(host);
        }
        try {
            return addresses.resolve(host);
        }
        catch (OutboundAddresses.RefusedException ex) {
            throw new RefusedAddressException(ex.getMessage());
        }
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return resolve(host)[0].getCanonicalHostName();
    }

    /** The guard's refusal, where a client expects a resolver's exception; its message is for the admin. */
    public static final class RefusedAddressException extends UnknownHostException {

        RefusedAddressException(String message) {
            super(message);
        }
    }
}
