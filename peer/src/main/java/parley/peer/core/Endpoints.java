package parley.peer.core;

import parley.core.wire.BodyReader;

import java.net.InetSocketAddress;

/** Reads the registry's endpoint pair and picks where to send. */
final class Endpoints {
    private static final int MAX_HOST = 64;

    private Endpoints() {
    }

    /**
     * The observed address (where the peer's probe came from, the outside of any NAT) if the
     * registry has one, else the announced one; null when neither is usable.
     */
    static InetSocketAddress read(BodyReader r) {
        String host = r.string(MAX_HOST);
        int port = r.u16();
        String observedHost = r.string(MAX_HOST);
        int observedPort = r.u16();
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
