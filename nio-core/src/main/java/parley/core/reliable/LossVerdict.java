package parley.core.reliable;

/**
 * Decides whether loss is congestion. Rounds are pooled until they hold
 * {@link #MIN_VERDICT_PACKETS} packets, and a verdict is congested when it lost more than
 * {@link #LOSS_TOLERANCE_PERCENT}% of them, at least {@link #MIN_CONGESTION_LOSSES}, while every
 * RTT sample since the last verdict stood a queue's worth above the minimum (the caller says how
 * much: {@link CompetitorDetector#threshold}, or in startup its floor). A drop-tail queue drops
 * only when full, so loss from an overflow comes with RTTs that never fell back to the minimum
 * while it lasted. Random loss (a radio link, a lossy tunnel) comes with RTTs at the minimum and
 * is not congestion, however much of it there is: at 20% random loss every verdict is over the
 * tolerance, and cutting on each took the rate to a trickle (a 20%-loss loopback test ran 12
 * times slower). BBRv2 reaches the same end by bounding its cut by what was in flight when the
 * loss happened. Pure logic.
 */
final class LossVerdict {
    /** Loss above this share of a verdict's packets, with a standing queue, is congestion. */
    static final int LOSS_TOLERANCE_PERCENT = 15;
    /** A verdict with fewer losses than this is never congested: one or two drops are too few to tell. */
    static final int MIN_CONGESTION_LOSSES = 3;
    /**
     * Packets a loss verdict needs: a shorter round is judged together with the next ones. Paced
     * flows on short paths have rounds of a few packets, thousands a second, and 3 random losses
     * of 8 (5% loss) happen in 0.6% of them: on loopback that cut the estimate ten times a second.
     * 5% random loss exceeds 15% of 128 packets about once in 100,000 verdicts.
     */
    static final int MIN_VERDICT_PACKETS = 128;

    private int acked;
    private int lost;
    /** The lowest RTT sample since the last verdict. */
    private long lowestRtt = Long.MAX_VALUE;

    void onRtt(long rtt) {
        lowestRtt = Math.min(lowestRtt, rtt);
    }

    /** Forgets the rounds pooled so far. */
    void clear() {
        acked = 0;
        lost = 0;
        lowestRtt = Long.MAX_VALUE;
    }

    /**
     * Adds a round's counts; true if that completed a verdict and the verdict is congestion: its
     * loss over the tolerance, and its lowest RTT sample more than {@code queue} above {@code minRtt}.
     */
    boolean addRound(int roundAcked, int roundLost, long minRtt, long queue) {
        acked += roundAcked;
        lost += roundLost;
        if (acked + lost < MIN_VERDICT_PACKETS) {
            return false;
        }
        boolean congested = lost >= MIN_CONGESTION_LOSSES
                && lost * 100L > (long) LOSS_TOLERANCE_PERCENT * (lost + acked)
                && lowestRtt != Long.MAX_VALUE && minRtt != Long.MAX_VALUE
                && lowestRtt > minRtt + queue;
        clear();
        return congested;
    }
}
