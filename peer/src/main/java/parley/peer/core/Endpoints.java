package parley.peer.core;

import java.net.InetSocketAddress;

/** Picks where to send from the registry's endpoint pair (decoded by the protocol's {@code Endpoints}). */
final class Endpoints {
    private Endpoints() {
    }

    /**
     * The observed address (where the peer's probe came from, the outside of any NAT) if the
     * registry has one, else the announced one; null when neither is usable.
     */
    static InetSocketAddress pick(parley.server.protocol.Endpoints e) {
        String host = e.announcedHost();
        int port = e.announcedPort();
        String observedHost = e.observedHost();
        int observedPort = e.observedPort();
        if (isLiteral(observedHost) && observedPort != 0) {
            return new InetSocketAddress(observedHost, observedPort);
        }
        if (isLiteral(host) && port != 0) {
            return new InetSocketAddress(host, port);
        }
        return null;
    }

    /** Only IP literals: resolving a name would block the loop on DNS. */
    static boolean isLiteral(String host) {
        if (host.isEmpty()) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }
}
