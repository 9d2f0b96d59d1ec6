package parley.core.reliable;

/**
 * How many bytes the acks deliver beyond what the bandwidth estimate explains (BBR's
 * "extra_acked"): acks that come in bunches, because the receiver was descheduled (a JVM on a busy
 * host), its reads were batched, or a link aggregates them. A window of twice the product at the
 * minimum RTT empties during such a stall and the link idles until the bunch arrives; TCP's acks
 * come from the kernel and do not stall that way. The controller adds this estimate to its
 * window, so what is in flight covers the stall; the pacer still sets the rate, so the extra
 * window does not by itself build a queue.
 *
 * <p>An epoch starts whenever the acks have fallen behind the estimate; within it, extra = bytes
 * acked minus bandwidth x time since it began. The estimate is the highest extra of the last 5 to
 * 10 rounds (two slots of {@link #ROUNDS_PER_SLOT} rounds, as Linux's BBR, each at least
 * {@link #SLOT_FLOOR_NANOS}), at most
 * {@link #MAX_NANOS} of the bandwidth. Pure arithmetic on the values passed in; allocates nothing.
 */
final class AckAggregation {
    static final int ROUNDS_PER_SLOT = 5;
    /**
     * A slot also lasts at least this long. On a sub-millisecond path a round is a millisecond or
     * two, so 5 rounds forgot a stalled receiver's bunch before its next stall (the synthetic
     * receiver that stalls 10 ms in every 40); once the pacer no longer runs above the link
     * ({@link StandingQueue}), the window must cover the stall or the link idles in it.
     */
    static final long SLOT_FLOOR_NANOS = 50_000_000;
    /**
     * The cap, in time at the estimated bandwidth (Linux's BBR: 100 ms). With 40 ms, chat beside a
     * bulk flow in the lab waited a median 23-35 ms (10 ms: 9-11): bunched acks inflate the estimate, and
     * then the extra window is filled at the inflated rate. 10 ms covers the stalls it is for.
     */
    static final long MAX_NANOS = 10_000_000;

    private long epochStart = Long.MIN_VALUE;
    private long epochAcked;
    private final long[] slots = new long[2];
    private int slot;
    private long slotRound;
    private long slotStart;

    /** {@code bytes} were acknowledged at {@code now}, with the estimate and round count as they are. */
    void onAcked(long bytes, long now, long bandwidth, long round) {
        if (round - slotRound >= ROUNDS_PER_SLOT && now - slotStart >= SLOT_FLOOR_NANOS) {
            slotRound = round;
            slotStart = now;
            slot ^= 1;
            slots[slot] = 0;
        }
        if (bandwidth == 0) {
            return;
        }
        long expected = epochStart == Long.MIN_VALUE ? 0 : bandwidth * (now - epochStart) / Pacer.NANOS_PER_SECOND;
        if (epochStart == Long.MIN_VALUE || epochAcked <= expected) {
            epochStart = now; // the acks caught up with the estimate: a new epoch
            epochAcked = 0;
            expected = 0;
        }
        epochAcked += bytes;
        long extra = Math.min(epochAcked - expected, bandwidth * MAX_NANOS / Pacer.NANOS_PER_SECOND);
        if (extra > slots[slot]) {
            slots[slot] = extra;
        }
    }

    /** Bytes to add to the window; 0 when the acks arrive as the estimate says. */
    long extra() {
        return Math.max(slots[0], slots[1]);
    }
}
