package parley.core.reliable;

/**
 * Tells when another flow holds the bottleneck queue. A loss-based flow (TCP CUBIC) fills
 * whatever queue there is and keeps it full; a flow that paces at the bottleneck rate drains its
 * own queue at least once per gain cycle. So an epoch (whole gain cycles, at least
 * {@link #EPOCH_NANOS}) in which the lowest RTT never came within {@link #threshold} of the path's
 * minimum means somebody else's queue.
 * While competing, a recheck is due every {@link #RECHECK_NANOS}: the controller shrinks its own
 * window to the floor (PROBE_RTT), and if the RTT then falls back near the minimum, the other
 * flow has gone; the first recheck comes sooner ({@link #FIRST_RECHECK_NANOS}) while only
 * startup has measured the minimum. Pure logic on the times passed in.
 */
final class CompetitorDetector {
    /** Queueing delay that never drains for a whole epoch means a loss-based competitor. */
    static final long QUEUE_FLOOR_NANOS = 10_000_000;
    /** The shortest epoch; an epoch also ends only with a gain cycle. */
    static final long EPOCH_NANOS = 200_000_000;
    /** In competing mode, how often to check that the competitor is still there. */
    static final long RECHECK_NANOS = 5_000_000_000L;
    /**
     * The first recheck after a verdict judged against a minimum RTT that no PROBE_RTT has
     * measured yet: only startup has, and a receiving process still starting up (its code not
     * yet compiled) answered the lab's first packets 5-8 ms late on a 0.06 ms path. Against such
     * a minimum startup's own overshoot, with an estimate that the same late acks inflated to 1.5-3
     * times the link, read as another flow's queue: Parley alone entered competing mode and kept
     * the tbf full until the recheck 5 s later (3 of 21 rounds at 20 Mbit/s, round 11).
     */
    static final long FIRST_RECHECK_NANOS = 1_000_000_000L;

    private boolean competing;
    private long epochStart = Long.MIN_VALUE;
    private long epochMinRtt = Long.MAX_VALUE;
    private long nextRecheck;
    /** A PROBE_RTT has measured the minimum RTT the verdicts are judged against. */
    private boolean minProbed;

    /** Queueing delay that counts as someone else's queue: 10 ms, or half the minimum RTT if more. */
    static long threshold(long minRtt) {
        return Math.max(QUEUE_FLOOR_NANOS, minRtt / 2);
    }

    boolean competing() {
        return competing;
    }

    void onRtt(long rtt) {
        epochMinRtt = Math.min(epochMinRtt, rtt);
    }

    /** PROBE_BW begins: the first epoch starts with the first whole gain cycle. */
    void startEpochs() {
        epochStart = Long.MIN_VALUE;
    }

    private void restartEpoch(long now) {
        epochStart = now;
        epochMinRtt = Long.MAX_VALUE;
    }

    /**
     * In PROBE_BW, a gain cycle just ended: returns true when that ended an epoch that says a
     * competitor holds the queue. An epoch is whole gain cycles, at least {@link #EPOCH_NANOS}:
     * each holds a drain phase, where our own queue empties. (Until round 5 an epoch was 200 ms
     * by the clock; at a 40 ms minimum RTT a cycle lasts 320 ms, so an epoch could end without a
     * drain in it and read our own probe's queue as somebody else's.)
     */
    boolean cycleEndedSaysCompeting(long now, long minRtt) {
        if (competing) {
            return false;
        }
        if (epochStart == Long.MIN_VALUE) {
            restartEpoch(now);
            return false;
        }
        if (now - epochStart < EPOCH_NANOS) {
            return false;
        }
        boolean standing = epochMinRtt != Long.MAX_VALUE && epochMinRtt > minRtt + threshold(minRtt);
        if (standing) {
            compete(now, minProbed ? RECHECK_NANOS : FIRST_RECHECK_NANOS);
        } else {
            restartEpoch(now);
        }
        return standing;
    }

    /** A PROBE_RTT ended: the minimum RTT has been measured with our own queue gone. */
    void onMinProbed() {
        minProbed = true;
    }

    /**
     * Another flow's queue was found otherwise ({@link StandingQueue#foreign}): competing from
     * {@code now}. That queue is in the minimum RTT too, so a recheck cannot tell it has gone
     * any sooner: the first comes after {@link #RECHECK_NANOS}, whoever measured the minimum.
     */
    void declare(long now) {
        compete(now, RECHECK_NANOS);
    }

    /** Competing from {@code now}, the first recheck {@code recheckAfter} later. */
    private void compete(long now, long recheckAfter) {
        competing = true;
        nextRecheck = now + recheckAfter;
        restartEpoch(now);
    }

    /** While competing: true when the periodic recheck is due. */
    boolean recheckDue(long now) {
        return competing && now >= nextRecheck;
    }

    /** A recheck's PROBE_RTT ended with {@code probeMinRtt} as its lowest RTT. */
    void onRecheck(long now, long probeMinRtt, long minRtt) {
        if (probeMinRtt <= minRtt + threshold(minRtt)) {
            competing = false; // with our window at its floor the queue drained: nobody else holds it
        }
        nextRecheck = now + RECHECK_NANOS;
    }
}
