package parley.peer.core;

import java.util.Random;

/**
 * Reconnect delays: exponential from {@code base} to {@code max}, each drawn uniformly from the
 * upper half of the current step ("equal jitter"), so a registry restart is not met by every peer
 * at the same instant yet no peer waits less than half the step. Pure: time is the caller's.
 */
public final class Backoff {
    private final long baseNanos;
    private final long maxNanos;
    private final Random random;
    private int attempt;

    public Backoff(long baseNanos, long maxNanos, Random random) {
        if (baseNanos <= 0 || maxNanos < baseNanos) {
            throw new IllegalArgumentException("need 0 < base <= max");
        }
        this.baseNanos = baseNanos;
        this.maxNanos = maxNanos;
        this.random = random;
    }

    /** The delay before the next attempt; each call steps up. */
    public long next() {
        long step = baseNanos << Math.min(attempt, 30);
        if (step <= 0 || step > maxNanos) {
            step = maxNanos;
        }
        attempt++;
        long half = step / 2;
        return half + (long) (random.nextDouble() * (step - half));
    }

    public int attempts() {
        return attempt;
    }

    public void reset() {
        attempt = 0;
    }
}
