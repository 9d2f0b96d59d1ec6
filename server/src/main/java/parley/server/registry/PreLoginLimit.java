package parley.server.registry;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts, per source address, the connections that have not logged in yet, so that one address
 * cannot fill {@code --max-connections} with idle pre-login sockets and starve everyone else. A
 * connection stops counting when it logs in for the first time, or when it closes. An IPv6 source
 * counts by its /64 prefix, since one host commonly holds a whole /64 and could otherwise take a
 * fresh address for each connection.
 *
 * <p>Loop thread only. Touched once at accept and once at first login or close, never per frame.
 */
final class PreLoginLimit {
    private final int max;
    private final Map<InetAddress, int[]> counts = new HashMap<>();

    /** @param max connections per address that may wait for a login at once; 0 turns the cap off */
    PreLoginLimit(int max) {
        this.max = max;
    }

    /** The key a source counts under: an IPv4 address itself, an IPv6 address's /64 prefix. */
    static InetAddress keyOf(InetAddress address) {
        if (!(address instanceof java.net.Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        java.util.Arrays.fill(b, IPV6_PREFIX_BYTES, b.length, (byte) 0);
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException impossible) {
            return address; // 16 bytes are always a valid address
        }
    }

    private static final int IPV6_PREFIX_BYTES = 8;

    /** Whether one more pre-login connection from {@code key} (see {@link #keyOf}) would go over the cap. */
    boolean full(InetAddress key) {
        if (max <= 0 || key == null) {
            return false;
        }
        int[] n = counts.get(key);
        return n != null && n[0] >= max;
    }

    void acquire(InetAddress key) {
        if (key != null) {
            counts.computeIfAbsent(key, a -> new int[1])[0]++;
        }
    }

    void release(InetAddress key) {
        if (key == null) {
            return;
        }
        int[] n = counts.get(key);
        if (n != null && --n[0] <= 0) {
            counts.remove(key);
        }
    }

    /** Whether a new connection from {@code remote} would go over the cap. */
    boolean full(java.net.InetSocketAddress remote) {
        return full(sourceKey(remote));
    }

    /** A new connection starts counting against its source. */
    void enter(Session s) {
        s.preLogin = sourceKey(s.link.remoteAddress());
        acquire(s.preLogin);
    }

    /** The session stops counting (first login, or close); idempotent. */
    void leave(Session s) {
        if (s.preLogin != null) {
            release(s.preLogin);
            s.preLogin = null;
        }
    }

    private static InetAddress sourceKey(java.net.InetSocketAddress remote) {
        return remote == null || remote.getAddress() == null ? null : keyOf(remote.getAddress());
    }

    /** Addresses with at least one pre-login connection; for tests. */
    int addresses() {
        return counts.size();
    }
}
