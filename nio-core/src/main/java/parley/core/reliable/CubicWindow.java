package parley.core.reliable;

/**
 * The congestion window of the controller's competing mode: TCP CUBIC (RFC 9438) in bytes. It is
 * used only while a loss-based flow keeps the bottleneck queue full, where a delay-bounded window
 * would be starved; there every loss (and every climb of the queue to full,
 * {@link FullQueueSignal}) is a congestion signal, as it is for the flows it shares with.
 *
 * <p>Why CUBIC and not NewReno: the competitor is CUBIC (Linux's default). After a cut, CUBIC
 * regains its former window in K = cbrt(W_max (1 - beta) / C) seconds whatever the RTT, while
 * NewReno adds one datagram per round trip: at 40 ms of RTT and 100 Mbit/s that is 16 s against
 * 8 s, and NewReno's half against CUBIC's 0.7 at every cut. Same rule, same share: the lab gave
 * NewReno 4-5 of 100 Mbit/s against one flow at +40 ms (that flow was BBR, see PROTOCOL.md 9.4).
 * Below CUBIC's curve (short RTTs, small windows) the window grows as Reno with CUBIC's cut would
 * (RFC 9438 4.3, "Reno-friendly"), as CUBIC itself does.
 *
 * <p>Slow start (after a restart) until the first cut; at most one cut per round trip (packets
 * sent before the last cut grow nothing and cut nothing, see the controller). Pure logic on the
 * times passed in; allocates nothing.
 */
final class CubicWindow {
    /** The window after a cut, in percent: CUBIC's beta, 0.7. */
    static final int BETA_PERCENT = 70;
    /** CUBIC's C, 0.4 segments per second cubed. */
    static final double C = 0.4;
    private static final double NANOS = 1e9;

    private final long maxDatagram;
    private final long minimum;
    private long window;
    private long slowStartThreshold = Long.MAX_VALUE;
    private long recoveryStart = Long.MIN_VALUE;
    /** The window before the last cut (W_max), in bytes. */
    private double maxWindow;
    /** Seconds from the cut to where the curve reaches {@link #maxWindow} (K). */
    private double k;
    private long epochStart;
    /** The window Reno would have now with CUBIC's cut (W_est), in bytes. */
    private double renoWindow;
    /** Growth not yet in {@link #window}: less than a byte. */
    private double growth;

    CubicWindow(long minimum, long maxDatagram) {
        this.minimum = minimum;
        this.maxDatagram = maxDatagram;
        this.window = minimum;
    }

    /** Starts the window at {@code bytes}, in slow start, as a new TCP connection does. */
    void restart(long bytes, long now) {
        window = Math.max(minimum, bytes);
        slowStartThreshold = Long.MAX_VALUE;
        recoveryStart = now;
        maxWindow = 0;
    }

    /**
     * An acknowledgement of {@code bytes} sent at {@code sentTime}, arriving at {@code now}, the
     * smoothed RTT being {@code rtt}; packets sent before the last cut do not grow the window.
     */
    void onAcked(int bytes, long sentTime, long now, long rtt) {
        if (sentTime <= recoveryStart) {
            return;
        }
        if (window < slowStartThreshold) {
            window += bytes;
            return;
        }
        // Reno with CUBIC's cut: alpha = 3 (1 - beta) / (1 + beta) datagrams per window acked, 1 above W_max.
        double beta = BETA_PERCENT / 100.0;
        double alpha = renoWindow >= maxWindow ? 1 : 3 * (1 - beta) / (1 + beta);
        renoWindow += alpha * maxDatagram * bytes / window;
        // The cubic curve one RTT ahead, as RFC 9438 4.2 aims.
        double t = (now - epochStart + rtt) / NANOS - k;
        double cubic = C * maxDatagram * t * t * t + maxWindow;
        double target = Math.max(cubic, renoWindow);
        target = Math.min(Math.max(target, window), 1.5 * window);
        // Fractions of a byte add up: near the plateau a whole round trip grows it by less than an ack's worth.
        growth += (target - window) * bytes / window;
        long whole = (long) growth;
        window += whole;
        growth -= whole;
    }

    /** A round that calls for a cut: the window shrinks to {@code percent} of itself, and the curve restarts. */
    void reduce(long now, int percent) {
        double before = window;
        // Fast convergence: a flow cut again below its last maximum is losing share; it gives more.
        maxWindow = before < maxWindow ? before * (100 + BETA_PERCENT) / 200.0 : before;
        recoveryStart = now;
        epochStart = now;
        window = Math.max(minimum, window * percent / 100);
        slowStartThreshold = window;
        renoWindow = window;
        growth = 0;
        k = Math.cbrt(Math.max(0, maxWindow - window) / (C * maxDatagram));
    }

    long window() {
        return window;
    }

    /**
     * True once the window has grown back to where the last cut found it (W_max), and before any
     * cut: where a loss-based flow's probing meets the overflow again.
     */
    boolean regained() {
        return window >= maxWindow;
    }

    boolean inSlowStart() {
        return window < slowStartThreshold;
    }
}
