package parley.peer.core;

import parley.server.protocol.IpLiteral;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Picks where to send from the registry's endpoint pair (decoded by the protocol's {@code Endpoints}). */
final class Endpoints {
    private Endpoints() {
    }

    /**
     * The observed address (where the peer's probe came from, the outside of any NAT) if the
     * registry has one, else the announced one; null when neither is usable. Hosts are held to the
     * registry's own rule ({@link IpLiteral}: a unicast IPv4 or IPv6 literal), so nothing a
     * registry sends ever reaches the resolver, whose DNS would block the loop.
     */
    static InetSocketAddress pick(parley.server.protocol.Endpoints e) {
        InetSocketAddress observed = usable(e.observedHost(), e.observedPort());
        return observed != null ? observed : usable(e.announcedHost(), e.announcedPort());
    }

    /** {@code host:port} when the host is a unicast IP literal and the port is not 0; else null. */
    static InetSocketAddress usable(String host, int port) {
        if (port == 0 || host.isEmpty()) {
            return null;
        }
        InetAddress address = IpLiteral.unicast(host);
        return address == null ? null : new InetSocketAddress(address, port);
    }
}
