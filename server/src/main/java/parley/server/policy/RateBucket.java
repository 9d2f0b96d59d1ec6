package parley.server.policy;

/**
 * A token bucket that takes amounts (bytes or packets): {@code ratePerSecond} units flow in per
 * second up to {@code burst}. Kept in integer "unit-nanoseconds" (units times 10^9), so refilling
 * never rounds and nothing is allocated: the relay asks one per forwarded datagram.
 * {@link TokenBucket} takes one event per interval and suits rare events; this one suits volume.
 *
 * <p>Loop thread only; time is passed in. A new bucket starts full.
 */
public final class RateBucket {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private final long rate;
    private final long capacity;
    private final long fullAfterNanos;
    private long level;
    private long lastNanos;
    private boolean started;

    public RateBucket(long ratePerSecond, long burst) {
        if (ratePerSecond < 1 || burst < 1 || burst > Long.MAX_VALUE / NANOS_PER_SECOND) {
            throw new IllegalArgumentException("rate and burst must be positive (burst below 9.2e9)");
        }
        this.rate = ratePerSecond;
        this.capacity = burst * NANOS_PER_SECOND;
        this.fullAfterNanos = capacity / ratePerSecond + 1;
        this.level = capacity;
    }

    /** True if {@code amount} units may be taken now; takes nothing. */
    public boolean available(long amount, long nowNanos) {
        refill(nowNanos);
        return level >= amount * NANOS_PER_SECOND;
    }

    /** Takes {@code amount}; call after {@link #available} said true at the same time. */
    public void take(long amount) {
        level -= amount * NANOS_PER_SECOND;
    }

    /** {@link #available} then {@link #take}: true if taken. */
    public boolean tryTake(long amount, long nowNanos) {
        if (!available(amount, nowNanos)) {
            return false;
        }
        take(amount);
        return true;
    }

    private void refill(long now) {
        if (!started) {
            started = true;
            lastNanos = now;
            return;
        }
        long elapsed = now - lastNanos;
        if (elapsed <= 0) {
            return;
        }
        lastNanos = now;
        // Past fullAfterNanos the bucket is full whatever the level; capping first keeps the product in range.
        level = elapsed >= fullAfterNanos ? capacity : Math.min(capacity, level + elapsed * rate);
    }
}
