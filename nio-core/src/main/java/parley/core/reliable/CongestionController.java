package parley.core.reliable;

/**
 * NewReno congestion control in bytes, as RFC 9002 section 7 describes it: slow start, then
 * congestion avoidance, and one halving per loss episode. A loss episode starts when a packet
 * sent after the last reduction is lost; losses of packets sent before it belong to the same
 * episode and do not shrink the window again.
 */
public final class CongestionController {
    private final long maxDatagram;
    private final long minimumWindow;
    private long window;
    private long slowStartThreshold = Long.MAX_VALUE;
    private long bytesInFlight;
    private long recoveryStart = Long.MIN_VALUE;
    private long avoidanceCredit;

    public CongestionController(int initialWindow, int minimumWindow, int maxDatagram) {
        this.window = initialWindow;
        this.minimumWindow = minimumWindow;
        this.maxDatagram = maxDatagram;
    }

    public boolean canSend(int bytes) {
        return bytesInFlight + bytes <= window;
    }

    public void onSent(int bytes) {
        bytesInFlight += bytes;
    }

    /** A packet in flight was acknowledged. */
    public void onAcked(int bytes, long sentTime) {
        bytesInFlight -= bytes;
        if (sentTime <= recoveryStart) {
            return; // sent before the last reduction: no growth while recovering
        }
        if (window < slowStartThreshold) {
            window += bytes;
            return;
        }
        // Congestion avoidance: one datagram per window's worth of acknowledged bytes.
        avoidanceCredit += bytes;
        if (avoidanceCredit >= window) {
            avoidanceCredit -= window;
            window += maxDatagram;
        }
    }

    /** A packet in flight was declared lost. */
    public void onLost(int bytes, long sentTime, long now) {
        bytesInFlight -= bytes;
        if (sentTime <= recoveryStart) {
            return;
        }
        recoveryStart = now;
        window = Math.max(minimumWindow, window / 2);
        slowStartThreshold = window;
        avoidanceCredit = 0;
    }

    /** A packet left the flight without an ack or a loss verdict (the session ended). */
    public void onDiscarded(int bytes) {
        bytesInFlight -= bytes;
    }

    public long window() {
        return window;
    }

    public long bytesInFlight() {
        return bytesInFlight;
    }

    public long slowStartThreshold() {
        return slowStartThreshold;
    }

    public boolean inSlowStart() {
        return window < slowStartThreshold;
    }
}
