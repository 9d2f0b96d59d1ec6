package parley.bench.load;

/**
 * Intended send times at a fixed rate, the way wrk2 paces: request i is due at
 * {@code start + i * interval}, whether or not earlier requests have been answered. Latency is
 * then measured from that intended time, so a stall shows up in full in the histogram instead of
 * silently delaying the requests behind it (coordinated omission).
 */
public final class OpenLoopPacer {
    private final long start;
    private final double intervalNanos;
    private long next;

    public OpenLoopPacer(long startNanos, double ratePerSecond) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.start = startNanos;
        this.intervalNanos = 1e9 / ratePerSecond;
    }

    /** When request {@code i} is meant to go out. */
    public long intendedTime(long i) {
        return start + (long) (i * intervalNanos);
    }

    /**
     * How many requests are due at {@code now}: request i is due once {@code intendedTime(i) <= now}.
     * A pure function of time, so a thread that publishes it and the loop that issues the
     * requests need share nothing but the count.
     */
    public long dueBy(long now) {
        if (now < start) {
            return 0;
        }
        long n = (long) ((now - start) / intervalNanos) + 1;
        // The division can land one off the truncated intendedTime at the edge; settle on it.
        while (n > 0 && intendedTime(n - 1) > now) {
            n--;
        }
        while (intendedTime(n) <= now) {
            n++;
        }
        return n;
    }

    /** The index of the next request not yet taken. */
    public long next() {
        return next;
    }

    /**
     * Takes the next request if it is due at {@code now} and returns its intended time, or -1.
     * Called in a loop, it hands out every request that fell due, so a late caller catches up
     * instead of dropping load.
     */
    public long takeIfDue(long now) {
        long t = intendedTime(next);
        if (t > now) {
            return -1;
        }
        next++;
        return t;
    }

    /** Nanoseconds from {@code now} until the next request is due (0 if it is due). */
    public long nanosUntilNext(long now) {
        return Math.max(0, intendedTime(next) - now);
    }
}
