package parley.core.reliable;

/**
 * In competing mode, tells when the shared drop-tail queue has just filled up, whether or not one
 * of our own packets was the one dropped. A paced flow seldom is: the queue overflows under the
 * loss-based flows' bursts, and the tail drops land on them, so a flow that cuts only on its own
 * losses cut once in 8 s against two CUBIC flows at 100 Mbit/s and took 61% of the link
 * (Jain 0.74-0.80). The queue is full when the RTT reaches {@link #FULL_PERCENT}% of the way from
 * the minimum to the highest RTT seen (the queue's capacity, measured over the last one or two
 * recheck periods, so one stall of the host does not raise it for good). A climb to that line
 * counts once, as one loss event does: the RTT must fall to {@link #REARM_PERCENT}% of the way (as
 * deep as a cut of the queue's holder drains it) before the next climb counts, so a queue that
 * stays full (a CUBIC flow at its plateau, jittering about the line) costs one cut, not one a
 * round. The controller lets a climb fire only once its loss window has grown back to where the
 * last cut found it ({@link CubicWindow#regained}): a sooner climb is the other flow probing past
 * its curve, which its own overflow answers; counting every climb, the signal cut about once a
 * second against one CUBIC flow at 20 Mbit/s, where that flow cut once in 4-5 s. Pure logic.
 */
final class FullQueueSignal {
    /** Where between the minimum and the highest RTT the queue counts as full. */
    static final int FULL_PERCENT = 90;
    /**
     * The loss window after a full-queue round, in percent: CUBIC's 0.7, the cut of the flow
     * whose loss it stands for. With NewReno's half at every full queue, one CUBIC flow at
     * 100 Mbit/s took 72-76 of 93 Mbit/s (Jain 0.71-0.76).
     */
    static final int BETA_PERCENT = 70;
    /**
     * Where the RTT must fall (between the minimum and the highest) before the next climb counts:
     * the drain a CUBIC cut of the queue's holder makes. Re-armed as soon as the RTT left the full
     * line, the signal fired on the jitter of a full queue (unpaced TCP bursts): 23 cuts in 10 s
     * against one synthetic CUBIC flow's 6 at 20 Mbit/s, and 2.6 of 19 Mbit/s.
     */
    static final int REARM_PERCENT = 75;

    private long periodMax;
    private long previousMax;
    private long roundMax;
    private boolean armed = true;

    void onRtt(long rtt) {
        roundMax = Math.max(roundMax, rtt);
        periodMax = Math.max(periodMax, rtt);
    }

    /** Competing mode (re)starts: the queue's capacity is measured afresh. */
    void reset() {
        periodMax = 0;
        previousMax = 0;
        roundMax = 0;
        armed = true;
    }

    /** A recheck period ended: the highest RTT of the one before it is forgotten. */
    void newPeriod() {
        previousMax = periodMax;
        periodMax = 0;
    }

    /**
     * At the end of a round: true if the RTT climbed to the full line in it (once per climb) and
     * {@code mayFire}; a climb seen while it may not fire stays pending, armed.
     */
    boolean roundEnded(long minRtt, boolean mayFire) {
        long max = Math.max(periodMax, previousMax);
        boolean known = roundMax > 0 && minRtt != Long.MAX_VALUE && max - minRtt > CompetitorDetector.threshold(minRtt);
        boolean full = known && roundMax >= minRtt + (max - minRtt) * FULL_PERCENT / 100;
        boolean fire = full && armed && mayFire;
        if (fire) {
            armed = false;
        }
        // Re-armed after the check, and only by a whole round below the line: a round that held
        // both the end of a climb and the drain after it (acks of both, interleaved) fired twice
        // for one climb.
        if (known && roundMax < minRtt + (max - minRtt) * REARM_PERCENT / 100) {
            armed = true; // the queue drained as a cut drains it: the next climb is a new episode
        }
        roundMax = 0;
        return fire;
    }

    /** False from a firing until the queue drains as a cut drains it: the climb it fired on goes on. */
    boolean armed() {
        return armed;
    }
}
