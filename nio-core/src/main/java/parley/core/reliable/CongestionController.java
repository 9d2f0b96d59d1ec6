package parley.core.reliable;

/**
 * NewReno congestion control in bytes (RFC 9002 section 7): slow start, congestion avoidance, and
 * at most one halving per round trip. What differs is the congestion signal.
 *
 * <p>A single loss does not say "congestion" on the paths a chat peer meets: Wi-Fi and mobile
 * links drop a few percent of datagrams at random, and NewReno halving on each such loss holds
 * the window near its floor (the classic sqrt(1.5/p) bound: about 5 datagrams per round trip at
 * 5% loss, whatever the link could carry). So, as BBRv2 does, the sender counts what became of
 * each round trip's packets and treats the round as congested only when more than
 * {@link #LOSS_TOLERANCE_PERCENT}% of them were lost. An overflowing queue drops far more than
 * that in the round where it overflows, and the window halves; random loss below it only costs
 * the retransmissions.
 *
 * <p>A round is the flight that was outstanding when it began: it ends when the fate (acked or
 * lost) of its last packet is known. Pure logic on packet numbers and the time passed in.
 */
public final class CongestionController {
    /** Loss in a round above this share of its packets is congestion; at or below, link noise. */
    static final int LOSS_TOLERANCE_PERCENT = 15;
    /** A round with fewer losses than this is never congested: one or two drops are too few to tell. */
    static final int MIN_CONGESTION_LOSSES = 3;

    private final long maxDatagram;
    private final long minimumWindow;
    private long window;
    private long slowStartThreshold = Long.MAX_VALUE;
    private long bytesInFlight;
    private long recoveryStart = Long.MIN_VALUE;
    private long avoidanceCredit;

    private long lastSent = -1;
    private long roundEnd = -1;
    private int roundAcked;
    private int roundLost;
    private long reductions;

    public CongestionController(int initialWindow, int minimumWindow, int maxDatagram) {
        this.window = initialWindow;
        this.minimumWindow = minimumWindow;
        this.maxDatagram = maxDatagram;
    }

    public boolean canSend(int bytes) {
        return bytesInFlight + bytes <= window;
    }

    /** Packet {@code packetNumber}, of {@code bytes}, went into flight. Numbers only grow. */
    public void onSent(int bytes, long packetNumber) {
        bytesInFlight += bytes;
        lastSent = packetNumber;
    }

    /** A packet in flight was acknowledged. */
    public void onAcked(int bytes, long sentTime, long packetNumber, long now) {
        bytesInFlight -= bytes;
        roundAcked++;
        if (sentTime > recoveryStart) {
            grow(bytes);
        }
        endRoundAfter(packetNumber, now);
    }

    private void grow(int bytes) {
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
    public void onLost(int bytes, long packetNumber, long now) {
        bytesInFlight -= bytes;
        roundLost++;
        endRoundAfter(packetNumber, now);
    }

    /** Once the fate of the round's last packet is known, judges the round and starts the next. */
    private void endRoundAfter(long packetNumber, long now) {
        if (packetNumber < roundEnd) {
            return;
        }
        if (roundLost >= MIN_CONGESTION_LOSSES
                && roundLost * 100L > (long) LOSS_TOLERANCE_PERCENT * (roundLost + roundAcked)) {
            reduce(now);
        }
        roundEnd = lastSent;
        roundAcked = 0;
        roundLost = 0;
    }

    private void reduce(long now) {
        recoveryStart = now; // packets already in flight belong to this episode: no growth from them
        window = Math.max(minimumWindow, window / 2);
        slowStartThreshold = window;
        avoidanceCredit = 0;
        reductions++;
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

    /** Rounds judged congested so far: each halved the window. */
    public long reductions() {
        return reductions;
    }
}
