package parley.core.reliable;

/**
 * NewReno congestion control in bytes, as RFC 9002 section 7 describes it: slow start, then
 * congestion avoidance, and one reduction per loss episode. A loss episode starts when a packet
 * sent after the last reduction is lost; losses of packets sent before it belong to the same
 * episode and do not shrink the window again.
 *
 * <p>The reduction follows TCP Veno (Fu and Liew, 2003): the backlog this flow keeps in queues
 * is estimated as window x (RTT - min RTT) / RTT. A loss with less than three datagrams queued
 * was not caused by this flow overfilling a queue, so it is taken as random loss (a lossy link)
 * and the window shrinks to 4/5; otherwise it halves, exactly as NewReno.
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

    /** A packet in flight was declared lost; RTTs let the loss be told apart from congestion. */
    public void onLost(int bytes, long sentTime, long now, long latestRtt, long minRtt) {
        bytesInFlight -= bytes;
        if (sentTime <= recoveryStart) {
            return;
        }
        recoveryStart = now;
        long backlog = latestRtt <= 0 ? Long.MAX_VALUE : window * Math.max(0, latestRtt - minRtt) / latestRtt;
        boolean random = backlog < 3 * maxDatagram;
        window = Math.max(minimumWindow, random ? window * 4 / 5 : window / 2);
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

    /** NewReno's halving, for callers with no RTT yet. */
    public void onLost(int bytes, long sentTime, long now) {
        onLost(bytes, sentTime, now, 0, 0);
    }

    public long slowStartThreshold() {
        return slowStartThreshold;
    }

    public boolean inSlowStart() {
        return window < slowStartThreshold;
    }
}
