package parley.server.policy;

/**
 * A token bucket kept as a GCRA "theoretical arrival time": {@code burst} takes back to back, then
 * one per {@code intervalNanos}. Unlike {@link RateLimiter} the interval may be minutes, for
 * events as rare as registrations.
 *
 * <p>Loop thread only; time is passed in.
 */
public final class TokenBucket {
    private final long intervalNanos;
    private final long toleranceNanos;
    private long theoreticalArrival;
    private boolean started;

    public TokenBucket(int burst, long intervalNanos) {
        if (burst < 1 || intervalNanos < 1) {
            throw new IllegalArgumentException("burst and interval must be positive");
        }
        this.intervalNanos = intervalNanos;
        this.toleranceNanos = intervalNanos * (burst - 1);
    }

    /** Nanoseconds until a take would succeed; 0 means now. Takes nothing. */
    public long waitNanos(long now) {
        if (!started) {
            return 0;
        }
        long wait = theoreticalArrival - toleranceNanos - now;
        return wait > 0 ? wait : 0;
    }

    /** Takes one token; call only after {@link #waitNanos} said 0. */
    public void take(long now) {
        if (!started || now - theoreticalArrival > 0) {
            started = true;
            theoreticalArrival = now;
        }
        theoreticalArrival += intervalNanos;
    }
}
