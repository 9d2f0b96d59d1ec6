package parley.server.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Limits REGISTER per source network ({@link AddressPrefix}) and for the whole registry, so that
 * one place cannot mint thousands of accounts (each one a new identity for contact requests and
 * a fresh budget for every per-name limit), and many places together cannot outrun the database.
 * A registration is allowed only when both buckets have a token, and then takes one from each.
 *
 * <p>At most {@code maxNetworks} networks are tracked; past it the least recently seen is
 * forgotten (it then starts again with a full burst). Loop thread only; time is passed in.
 */
public final class RegistrationLimiter {
    private final int networkBurst;
    private final long networkIntervalNanos;
    private final TokenBucket global;
    private final LinkedHashMap<String, TokenBucket> networks;

    public RegistrationLimiter(int networkBurst, long networkIntervalNanos, int globalBurst, long globalIntervalNanos,
                               int maxNetworks) {
        this.networkBurst = networkBurst;
        this.networkIntervalNanos = networkIntervalNanos;
        this.global = new TokenBucket(globalBurst, globalIntervalNanos);
        new TokenBucket(networkBurst, networkIntervalNanos); // validates the parameters now, not at first use
        this.networks = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
                return size() > maxNetworks;
            }
        };
    }

    /** Takes a registration for {@code network} and answers 0, or answers the nanoseconds to wait and takes nothing. */
    public long tryTake(String network, long now) {
        TokenBucket mine = networks.get(network);
        long wait = Math.max(global.waitNanos(now), mine == null ? 0 : mine.waitNanos(now));
        if (wait > 0) {
            return wait;
        }
        if (mine == null) {
            mine = new TokenBucket(networkBurst, networkIntervalNanos);
            networks.put(network, mine);
        }
        mine.take(now);
        global.take(now);
        return 0;
    }
}
