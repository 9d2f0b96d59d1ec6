package parley.core.reliable;

/**
 * Datagram-size discovery for one path, in the shape of RFC 8899 (DPLPMTUD), as pure logic on
 * the time passed in (PROTOCOL.md 9.8). Why: every datagram costs a system call, a seal and an
 * open, and an ack every second one; on a path that carries bigger datagrams (loopback, 65,535;
 * a LAN with jumbo frames, 9,000) the same bytes go in far fewer of them.
 *
 * <p>A path starts at the base size, which every path carries. The session then sends padded
 * probe packets of the next size of a ladder ({@link #LADDER}, then the path's maximum); an
 * acknowledged probe raises the size for data; {@link #MAX_PROBES} probes of a size lost (each
 * unanswered for the probe timeout) end the search below it. A lost probe is no congestion
 * signal: probes never count against the congestion window. A new path starts again at the base.
 * After a raise, {@link #BLACK_HOLE_LOSSES} losses in a row of packets larger than the base, each
 * sent after the newest larger packet that was acknowledged, the first and the last of them sent
 * (or, for a probe timeout's report, reported) at least {@link #BLACK_HOLE_SPAN_NANOS} apart,
 * with none acknowledged between them, mean the path stopped carrying them (a black hole): the
 * size falls back to the base, and a search starts again after {@link #BLACK_HOLE_RETRY_NANOS}. The span is what tells a black hole from a burst
 * lost to a full queue (a receiving loop descheduled on a busy host): a burst is sent within
 * moments, also when it is the first after an idle spell (a receiver that stalled, a session that
 * carried only small packets for a while), while a black hole loses everything sent for as long
 * as it lasts. An earlier rule, each loss sent at least the span after the newest larger packet
 * acknowledged, took a burst after an idle spell for a black hole (PERFORMANCE.md, round 9).
 *
 * <p>States: {@code DISABLED} (the path's maximum is the base: a relayed path, or probing off),
 * {@code SEARCHING} (a probe is due or outstanding), {@code COMPLETE} (the largest size that
 * worked is in use; a search for more starts after {@link #RAISE_NANOS}), {@code BLACK_HOLE}
 * (back at the base, waiting to search again). Loop thread only; allocates nothing.
 */
final class PmtuSearch {
    /** The search's states; see the class comment. */
    enum State { DISABLED, SEARCHING, COMPLETE, BLACK_HOLE }

    /**
     * Sizes tried on the way up, before the path's maximum: 1,452 (a 1,500-byte Ethernet MTU less
     * IPv6's 40 and UDP's 8 header bytes, so it fits IPv4 too) and 8,952 (a 9,000-byte jumbo frame,
     * likewise). A size above the path's maximum is skipped.
     */
    static final int[] LADDER = {1452, 8952};
    /** Probes of one size that may go unanswered before the size is given up (RFC 8899 MAX_PROBES). */
    static final int MAX_PROBES = 3;
    /** A probe waits this many retransmission timeouts for its ack (but at least the floor below). */
    static final int PROBE_TIMEOUT_RTOS = 3;
    /** The shortest wait for a probe's acknowledgement; the session passes a longer one on slow paths. */
    static final long PROBE_TIMEOUT_FLOOR_NANOS = 100_000_000L;
    /** After a complete search below the maximum, the next size is tried again this much later (RFC 8899 PMTU_RAISE_TIMER). */
    static final long RAISE_NANOS = 600_000_000_000L;
    /** Losses in a row of packets above the base, none of them acknowledged between, that mean a black hole. */
    static final int BLACK_HOLE_LOSSES = 3;
    /** The losses in a row that make a black hole must have been sent at least this far apart, first to last. */
    static final long BLACK_HOLE_SPAN_NANOS = 1_000_000_000L;
    /** After a black hole, how long the path stays at the base before it is searched again. */
    static final long BLACK_HOLE_RETRY_NANOS = 60_000_000_000L;

    private final int base;
    private int max;
    private int size;
    private State state = State.DISABLED;
    /** The size being probed (SEARCHING), or 0. */
    private int candidate;
    private int attempts;
    /** When the outstanding probe counts as lost; {@code Long.MAX_VALUE} if none is outstanding. */
    private long probeDeadline = Long.MAX_VALUE;
    /** When the next search starts (COMPLETE below the maximum, BLACK_HOLE); else {@code Long.MAX_VALUE}. */
    private long resumeAt = Long.MAX_VALUE;
    private int largeLossesInRow;
    /** When the first of {@link #largeLossesInRow} was sent, or reported by a probe timeout (valid while that count is above 0). */
    private long firstLossAt;
    /** When the newest packet larger than the base that was acknowledged (or the probe that raised the size) was sent. */
    private long largeAckedSentAt = Long.MIN_VALUE;

    private long probesSent;
    private long probesLost;
    private long blackHoles;

    PmtuSearch(int base) {
        this.base = base;
        this.max = base;
        this.size = base;
    }

    /** A new path whose datagrams may be at most {@code pathMax} bytes: back to the base, and a search if it may be more. */
    void restart(int pathMax, long now) {
        max = Math.max(base, pathMax);
        size = base;
        largeLossesInRow = 0;
        largeAckedSentAt = Long.MIN_VALUE;
        probeDeadline = Long.MAX_VALUE;
        resumeAt = Long.MAX_VALUE;
        if (max == base) {
            state = State.DISABLED;
            candidate = 0;
        } else {
            searchNext();
        }
    }

    /** The size of datagrams sent with data now. */
    int size() {
        return size;
    }

    State state() {
        return state;
    }

    /** The size of the probe to send now, or 0 if none is due at {@code now}. */
    int probeDue(long now) {
        if (state == State.SEARCHING && probeDeadline == Long.MAX_VALUE) {
            return candidate;
        }
        return 0;
    }

    /** A probe of the candidate size left at {@code now}; unanswered after {@code timeout} (at least the floor) it is lost. */
    void onProbeSent(long now, long timeout) {
        probeDeadline = now + Math.max(PROBE_TIMEOUT_FLOOR_NANOS, timeout);
        probesSent++;
    }

    /**
     * A probe of {@code probeSize} bytes was acknowledged: the path carries that size. A late
     * acknowledgement, of a probe already counted lost, counts as well.
     */
    void onProbeAcked(int probeSize, long sentAt, long now) {
        if (state == State.DISABLED || state == State.BLACK_HOLE || probeSize <= size || probeSize > max) {
            return; // a probe of an earlier path, or of a size the path stopped carrying
        }
        size = probeSize;
        largeLossesInRow = 0;
        largeAckedSentAt = Math.max(largeAckedSentAt, sentAt);
        if (state != State.SEARCHING || probeSize >= candidate) {
            probeDeadline = Long.MAX_VALUE;
            searchNext();
        }
    }

    /** A data packet of {@code packetSize} bytes sent at {@code sentAt} was acknowledged: if larger than the base, the path still carries such. */
    void onAcked(int packetSize, long sentAt) {
        if (packetSize > base) {
            largeLossesInRow = 0;
            largeAckedSentAt = Math.max(largeAckedSentAt, sentAt);
        }
    }

    /** A data packet of {@code packetSize} bytes sent at {@code sentAt} was declared lost: true if that declared a black hole. */
    boolean onLost(int packetSize, long sentAt, long now) {
        return countLoss(packetSize, sentAt, sentAt, now);
    }

    /**
     * A probe timeout fired at {@code now} with the data packet of {@code packetSize} bytes sent at
     * {@code sentAt} the oldest unacknowledged one. Each timeout reports that same packet until
     * something is acknowledged, so its loss counts as at {@code now}: the reports' times are what
     * span the failure (with the send time, a path that lost everything, probes included, was
     * never taken for a black hole).
     */
    boolean onUnanswered(int packetSize, long sentAt, long now) {
        return countLoss(packetSize, sentAt, now, now);
    }

    /** One loss in the row, of a packet sent at {@code sentAt}, at {@code at} for the span: true if it declared a black hole. */
    private boolean countLoss(int packetSize, long sentAt, long at, long now) {
        if (packetSize <= base || size <= base || sentAt - largeAckedSentAt <= 0) {
            return false;
        }
        if (largeLossesInRow == 0 || at - firstLossAt < 0) {
            firstLossAt = at;
        }
        if (++largeLossesInRow >= BLACK_HOLE_LOSSES && at - firstLossAt >= BLACK_HOLE_SPAN_NANOS) {
            blackHoles++;
            size = base;
            largeLossesInRow = 0;
            state = State.BLACK_HOLE;
            candidate = 0;
            probeDeadline = Long.MAX_VALUE;
            resumeAt = now + BLACK_HOLE_RETRY_NANOS;
            return true;
        }
        return false;
    }

    /** When {@link #onTimer} has something to do. */
    long deadline() {
        return Math.min(probeDeadline, resumeAt);
    }

    /** A probe's time ran out, or a wait to search again ended. */
    void onTimer(long now) {
        if (probeDeadline <= now) {
            probeDeadline = Long.MAX_VALUE;
            probesLost++;
            if (++attempts >= MAX_PROBES) {
                state = State.COMPLETE; // the candidate is too big: stay at the size that worked
                candidate = 0;
                resumeAt = now + RAISE_NANOS;
            }
        }
        if (resumeAt <= now) {
            resumeAt = Long.MAX_VALUE;
            searchNext();
        }
    }

    /** Moves to the next size above the current one, or to COMPLETE at the maximum. */
    private void searchNext() {
        attempts = 0;
        int next = max;
        for (int step : LADDER) {
            if (step > size && step < max) {
                next = step;
                break;
            }
        }
        if (size >= max) {
            state = State.COMPLETE;
            candidate = 0;
        } else {
            state = State.SEARCHING;
            candidate = next;
        }
    }

    long probesSent() {
        return probesSent;
    }

    long probesLost() {
        return probesLost;
    }

    long blackHoles() {
        return blackHoles;
    }
}
