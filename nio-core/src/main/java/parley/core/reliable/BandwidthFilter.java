package parley.core.reliable;

import java.util.Arrays;

/**
 * The bottleneck bandwidth estimate: the largest of the last {@link #SAMPLES} delivery-rate
 * samples (BBR's windowed max filter). A rate can only be as high as the bottleneck lets
 * acknowledgements through, so the maximum over a few round trips is the bottleneck's rate, and
 * samples taken while the application had little to send (lower than the path could carry) do not
 * pull it down until the window forgets the higher ones. A fixed ring: allocates nothing.
 */
final class BandwidthFilter {
    /** Samples remembered: about ten round trips, as BBR's filter length. */
    static final int SAMPLES = 10;

    private final long[] samples = new long[SAMPLES];
    private int next;
    private long max;

    /** Adds a sample in bytes per second; an application-limited one counts only if it raises the estimate. */
    void add(long bytesPerSecond, boolean appLimited) {
        if (appLimited && bytesPerSecond < max) {
            return;
        }
        samples[next] = bytesPerSecond;
        next = (next + 1) % SAMPLES;
        recompute();
    }

    /** A congested round says the estimate is too high: every sample is scaled by {@code num/den}. */
    void scale(int num, int den) {
        for (int i = 0; i < SAMPLES; i++) {
            samples[i] = samples[i] * num / den;
        }
        recompute();
    }

    /** Forgets every sample: the model starts over ({@link CongestionController#onBlackHole}). */
    void clear() {
        Arrays.fill(samples, 0);
        max = 0;
    }

    private void recompute() {
        long m = 0;
        for (long s : samples) {
            m = Math.max(m, s);
        }
        max = m;
    }

    /** Bytes per second; 0 before the first sample. */
    long estimate() {
        return max;
    }
}
