package parley.server.policy;

/**
 * Per-session request limiter: a token bucket kept as a GCRA "theoretical arrival time", so a
 * check is two comparisons and an add, with no allocation and no floating point.
 *
 * <p>A request is allowed when the bucket is not empty; a rejected request counts towards abuse.
 * A session that collects {@code abuseThreshold} rejections inside one {@code abuseWindowNanos}
 * window is reported {@link #ABUSIVE}: it keeps sending after being told to slow down, and the
 * caller closes it. A client that backs off after a rejection never reaches the threshold.
 *
 * <p>Loop thread only; time is passed in.
 */
public final class RateLimiter {
    public static final int ALLOWED = 0;
    public static final int REJECTED = 1;
    public static final int ABUSIVE = 2;

    private final long intervalNanos;
    private final long burstToleranceNanos;
    private final long abuseWindowNanos;
    private final int abuseThreshold;

    private long theoreticalArrival;
    private boolean started;
    private long abuseWindowStart;
    private int rejectionsInWindow;

    /**
     * @param ratePerSecond   sustained requests per second (at least 1)
     * @param burst           requests allowed back to back after a quiet period (at least 1)
     * @param abuseThreshold  rejections within the window that mark the session abusive
     * @param abuseWindowNanos length of the abuse window
     */
    public RateLimiter(int ratePerSecond, int burst, int abuseThreshold, long abuseWindowNanos) {
        if (ratePerSecond < 1 || burst < 1 || abuseThreshold < 1 || abuseWindowNanos < 1) {
            throw new IllegalArgumentException("rate, burst, threshold and window must be positive");
        }
        this.intervalNanos = 1_000_000_000L / ratePerSecond;
        this.burstToleranceNanos = intervalNanos * (burst - 1);
        this.abuseWindowNanos = abuseWindowNanos;
        this.abuseThreshold = abuseThreshold;
    }

    /** Takes one token at {@code now}; answers ALLOWED, REJECTED or ABUSIVE. */
    public int check(long now) {
        if (!started) {
            started = true;
            theoreticalArrival = now;
        }
        // Wrap-safe comparisons: nanoTime values are only ever compared by difference.
        long tat = now - theoreticalArrival > 0 ? now : theoreticalArrival;
        if (tat - now <= burstToleranceNanos) {
            theoreticalArrival = tat + intervalNanos;
            return ALLOWED;
        }
        if (rejectionsInWindow == 0 || now - abuseWindowStart >= abuseWindowNanos) {
            abuseWindowStart = now;
            rejectionsInWindow = 0;
        }
        rejectionsInWindow++;
        return rejectionsInWindow >= abuseThreshold ? ABUSIVE : REJECTED;
    }

    /** Nanoseconds from {@code now} until the next request would be allowed; 0 if it would be now. */
    public long retryAfterNanos(long now) {
        if (!started) {
            return 0;
        }
        long wait = theoreticalArrival - burstToleranceNanos - now;
        return wait > 0 ? wait : 0;
    }
}
