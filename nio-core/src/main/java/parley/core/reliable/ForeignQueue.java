package parley.core.reliable;

/**
 * Tells, from the standing queues {@link StandingQueue} finds, when the queue is another flow's
 * although the {@link CompetitorDetector} cannot see it: a flow (TCP CUBIC) that filled the
 * bottleneck queue before ours began puts that queue into our minimum RTT too, and the detector
 * judges against that minimum. The standing-queue rule then measures our share of the other
 * flow's queue and cuts it to 97%, the other flow takes what we give back, and the next standing
 * queue measures a smaller share. Our own queue, standing under a ceiling, is measured at the
 * link's rate each time, since the link never idled. So {@link #LOW_IN_A_ROW} standing queues in a
 * row that measure under {@link #LOW_PERCENT}% of the most a standing queue measured since the
 * ceiling was set say the queue is another flow's.
 *
 * <p>Competing mode's recheck cannot tell such a flow has gone: with our window at its floor the
 * RTT falls back near a minimum that holds the other flow's queue. So after a verdict, until a
 * cycle ends drained, the first standing queue is that flow's again. Pure logic on the values
 * passed in; allocates nothing.
 */
final class ForeignQueue {
    /**
     * A standing queue measured under this share (in percent) of the most one measured is low. In
     * the lab a CUBIC flow that held the queue first wore a ceiling cut by cut from 42 to
     * 17 Mbit/s of 100 in 10 s, and from 17 to 10 in another phase (Jain 0.84 and 0.66, round 10);
     * Parley alone measured 93-101 Mbit/s at its standing queues (92% of the most).
     */
    static final int LOW_PERCENT = 90;
    /** Low standing queues in a row that make a verdict: one alone may be a stall of the host. */
    static final int LOW_IN_A_ROW = 2;
    /**
     * A cycle's last phase counts as drained, which ends a suspicion, within the allowance or within
     * this many datagrams' serialization at the bandwidth in use, if that is more: at 20 Mbit/s one
     * datagram takes 0.5-0.6 ms, the allowance's floor, and Parley alone ended cycle after cycle one
     * datagram short of drained (round 6).
     */
    static final int DRAINED_DATAGRAMS = 2;
    /**
     * The shortest cruise whose rate counts: over a short one, a few ms of acks bunched at either
     * end move the measure by a lot. At 20 Mbit/s on the lab's sub-millisecond path a cruise lasts
     * 48 ms, and Parley alone measured 17-24 Mbit/s at its standing queues: two in a row under 90%
     * of the most took its own queue for another flow's (round 10). Where another flow's queue is
     * in the minimum RTT, that minimum is large (29-41 ms in the lab), and so is the cruise (six
     * phases of it).
     */
    static final long MIN_CRUISE_NANOS = 100_000_000;

    private final long datagram;
    /** The most a standing queue measured since the ceiling was set, bytes per second (0: none yet). */
    private long bestRate;
    private int lowInRow;
    /** A verdict was given, and no cycle has drained since. */
    private boolean suspect;

    /** {@code datagram}: the largest datagram, in bytes. */
    ForeignQueue(long datagram) {
        this.datagram = datagram;
    }

    /**
     * A gain cycle ended. {@code standing}: its queue stood (the application did not limit it);
     * {@code measured}: the rate its cruise measured; {@code lastQueue}: the lowest RTT of its last
     * phase above the minimum, or -1 if unknown (no sample, or the application limited the sender);
     * {@code allowance}: the standing-queue allowance; {@code bandwidth}: the bandwidth in use.
     * Returns true when the queue is another flow's.
     */
    boolean cycleEnded(boolean standing, long measured, long cruise, long lastQueue, long allowance, long bandwidth) {
        if (lastQueue < 0) {
            return false; // it says nothing either way
        }
        long datagrams = DRAINED_DATAGRAMS * datagram * Pacer.NANOS_PER_SECOND / Math.max(1, bandwidth);
        if (lastQueue <= Math.max(allowance, datagrams)) {
            suspect = false; // drained: whatever held the queue let it go
            return false;
        }
        if (!standing || cruise < MIN_CRUISE_NANOS) {
            return false;
        }
        if (suspect) {
            return true; // the flow found before is still there
        }
        lowInRow = bestRate != 0 && measured < bestRate * LOW_PERCENT / 100 ? lowInRow + 1 : 0;
        suspect = lowInRow >= LOW_IN_A_ROW;
        return suspect;
    }

    /** A standing queue that measured {@code measured} set the ceiling. */
    void onCut(long measured) {
        bestRate = Math.max(bestRate, measured);
    }

    /** The rates measured no longer hold (competing mode, startup): what a verdict left stays. */
    void clear() {
        bestRate = 0;
        lowInRow = 0;
    }
}
