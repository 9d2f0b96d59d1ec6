package parley.server.registry;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts, per source address, the connections that have not logged in yet, so that one address
 * cannot fill {@code --max-connections} with idle pre-login sockets and starve everyone else. A
 * connection stops counting when it logs in for the first time, or when it closes.
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

    /** Whether one more pre-login connection from {@code address} would go over the cap. */
    boolean full(InetAddress address) {
        if (max <= 0 || address == null) {
            return false;
        }
        int[] n = counts.get(address);
        return n != null && n[0] >= max;
    }

    void acquire(InetAddress address) {
        if (address != null) {
            counts.computeIfAbsent(address, a -> new int[1])[0]++;
        }
    }

    void release(InetAddress address) {
        if (address == null) {
            return;
        }
        int[] n = counts.get(address);
        if (n != null && --n[0] <= 0) {
            counts.remove(address);
        }
    }

    /** Addresses with at least one pre-login connection; for tests. */
    int addresses() {
        return counts.size();
    }
}
