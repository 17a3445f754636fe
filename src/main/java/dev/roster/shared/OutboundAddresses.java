package dev.roster.shared;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The guard in front of every URL an admin gives Roster to call (IdP metadata, webhook endpoints): the host must
 * resolve only to public addresses. Loopback, private, link-local (cloud metadata at 169.254.169.254), carrier-grade
 * NAT, unique-local, multicast and unspecified addresses are refused, so such a URL cannot make Roster probe the
 * network it runs in. An operator can exempt hosts by name with {@code roster.outbound.allowed-hosts}
 * ({@code ROSTER_OUTBOUND_ALLOWED_HOSTS}); the older {@code roster.sso.outbound.allowed-hosts} still counts too.
 * The check resolves the name itself, so callers repeat it before every connection (and redirect).
 */
@Component
public class OutboundAddresses {

    private final Set<String> allowedHosts;

    @org.springframework.beans.factory.annotation.Autowired
    public OutboundAddresses(Environment environment) {
        this(hosts(environment));
    }

    public OutboundAddresses(List<String> allowedHosts) {
        this.allowedHosts = allowedHosts.stream().filter(h -> h != null && !h.isBlank())
                .map(h -> h.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Refused: the host is unknown or resolves to an internal address ({@code internalAddress}, else null). The
     * message says which, for the admin.
     */
    public static class RefusedException extends RuntimeException {

        private final String internalAddress;

        RefusedException(String message, String internalAddress) {
            super(message);
            this.internalAddress = internalAddress;
        }

        public String internalAddress() {
            return internalAddress;
        }
    }

    /** Whether an operator exempted this host from the check. */
    public boolean allowed(String host) {
        return host != null && allowedHosts.contains(host.toLowerCase(Locale.ROOT));
    }

    /** Checks the URI's host; throws {@link RefusedException} unless every address it resolves to is public. */
    public void check(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            throw new RefusedException("The URL has no host.", null);
        }
        if (!allowed(host)) {
            resolve(host);
        }
    }

    /**
     * The host's addresses, for a client to connect to: every one public, or the host exempted by the operator;
     * otherwise {@link RefusedException}. A client that connects only to what this returns cannot be turned to an
     * internal address by a DNS answer that changed after {@link #check} (DNS rebinding).
     */
    public InetAddress[] resolve(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        }
        catch (UnknownHostException ex) {
            throw new RefusedException("The URL's host is unknown.", null);
        }
        if (allowed(host)) {
            return addresses;
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                throw new RefusedException("The URL points at an internal address (" + address.getHostAddress()
                        + "); Roster calls only public addresses unless the operator allows the host "
                        + "(ROSTER_OUTBOUND_ALLOWED_HOSTS).", address.getHostAddress());
            }
        }
        return addresses;
    }

    public static boolean isInternal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) || first >= 240;
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) { // unique local fc00::/7
                return true;
            }
            boolean mapped = true; // ::ffff:a.b.c.d carries an IPv4 address
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isInternal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                }
                catch (UnknownHostException ex) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> hosts(Environment environment) {
        Binder binder = Binder.get(environment);
        List<String> hosts = new ArrayList<>();
        for (String property : List.of("roster.outbound.allowed-hosts", "roster.sso.outbound.allowed-hosts")) {
            hosts.addAll(binder.bind(property, Bindable.listOf(String.class)).orElse(List.of()));
        }
        return hosts;
    }
}
