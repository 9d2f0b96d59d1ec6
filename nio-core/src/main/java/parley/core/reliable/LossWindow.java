package parley.core.reliable;

/**
 * The congestion window of the controller's competing mode: NewReno in bytes (RFC 9002 section
 * 7), slow start then one datagram per window of acknowledged bytes, and at most one reduction per
 * round trip, halving on a round with a loss. It is used only while a loss-based flow (TCP CUBIC or Reno) keeps the bottleneck
 * queue full, where a delay-bounded window would be starved; there every loss is a congestion
 * signal, as it is for the flows it shares with, so sharing stays fair. Pure logic.
 */
final class LossWindow {
    /**
     * The window after a round with a loss, as a share: NewReno's half. CUBIC's 0.7 took 60-70%
     * of a 20 Mbit/s lab bottleneck from one CUBIC flow in two rounds of three.
     */
    static final int BETA_PERCENT = 50;

    private final long maxDatagram;
    private final long minimum;
    private long window;
    private long slowStartThreshold = Long.MAX_VALUE;
    private long recoveryStart = Long.MIN_VALUE;
    private long avoidanceCredit;

    LossWindow(long minimum, long maxDatagram) {
        this.minimum = minimum;
        this.maxDatagram = maxDatagram;
        this.window = minimum;
    }

    /** Starts the window at {@code bytes}, in slow start, as a new TCP connection does. */
    void restart(long bytes, long now) {
        window = Math.max(minimum, bytes);
        slowStartThreshold = Long.MAX_VALUE;
        avoidanceCredit = 0;
        recoveryStart = now;
    }

    /** An acknowledgement of a packet sent at {@code sentTime}; packets sent before the last reduction do not grow it. */
    void onAcked(int bytes, long sentTime) {
        if (sentTime <= recoveryStart) {
            return;
        }
        if (window < slowStartThreshold) {
            window += bytes;
            return;
        }
        avoidanceCredit += bytes;
        if (avoidanceCredit >= window) {
            avoidanceCredit -= window;
            window += maxDatagram;
        }
    }

    /** A round with a loss: the window shrinks to beta of itself. */
    void reduce(long now) {
        reduce(now, BETA_PERCENT);
    }

    /** A round that calls for a cut: the window shrinks to {@code percent} of itself. */
    void reduce(long now, int percent) {
        recoveryStart = now;
        window = Math.max(minimum, window * percent / 100);
        slowStartThreshold = window;
        avoidanceCredit = 0;
    }

    long window() {
        return window;
    }

    boolean inSlowStart() {
        return window < slowStartThreshold;
    }
}
