package parley.core.reliable;

/**
 * In competing mode, tells when the shared drop-tail queue has just overflowed, whether or not one
 * of our own packets was the one dropped. A paced flow seldom is: the queue overflows under the
 * loss-based flows' bursts, and the tail drops land on them, so a flow that cuts only on its own
 * losses cut once in 8 s against two CUBIC flows at 100 Mbit/s and took 61% of the link
 * (Jain 0.74-0.80). The queue is full when the RTT reaches {@link #FULL_PERCENT}% of the way from
 * the minimum to the highest RTT seen (the queue's capacity, measured over the last one or two
 * recheck periods, so one stall of the host does not raise it for good); it overflowed, and the
 * queue's holder cut for it, when after that a whole round stays under {@link #FALL_PERCENT}% of
 * the way (as deep as the holder's CUBIC cut drains it). The signal fires then, on the fall: our
 * cut comes with the loss-based flow's, once per overflow, as two CUBIC flows that share a queue
 * cut together. (Until round 6 it fired on the climb to the full line, before the overflow: the
 * cut drained the queue before the CUBIC flow lost anything, so the paced flow cut 8 times in
 * 11 s to its 1-3, and held 22-38 of 96 Mbit/s on the synthetic link, as the lab's 19-41.) A
 * queue that stays full, or jitters about the line, costs nothing until it falls. Pure logic.
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
     * Where the RTT must fall (between the minimum and the highest) after a full queue for the
     * fall to be the holder's cut: the drain a CUBIC cut makes. (When it fired on the climb and
     * re-armed as soon as the RTT left the full line, the signal fired on the jitter of a full
     * queue: 23 cuts in 10 s against one synthetic CUBIC flow's 6 at 20 Mbit/s, and 2.6 of 19.)
     */
    static final int FALL_PERCENT = 75;

    private long periodMax;
    private long previousMax;
    private long roundMax;
    /** The queue reached the full line since the last firing or cut: its fall is an overflow's. */
    private boolean topped;

    void onRtt(long rtt) {
        roundMax = Math.max(roundMax, rtt);
        periodMax = Math.max(periodMax, rtt);
    }

    /** Competing mode (re)starts: the queue's capacity is measured afresh. */
    void reset() {
        periodMax = 0;
        previousMax = 0;
        roundMax = 0;
        topped = false;
    }

    /** A recheck period ended: the highest RTT of the one before it is forgotten. */
    void newPeriod() {
        previousMax = periodMax;
        periodMax = 0;
    }

    /** The window was cut (a loss of ours): that answered the overflow of the climb under way. */
    void onCut() {
        topped = false;
    }

    /** At the end of a round: true if the queue fell after it had been full (once per overflow). */
    boolean roundEnded(long minRtt) {
        long max = Math.max(periodMax, previousMax);
        boolean known = roundMax > 0 && minRtt != Long.MAX_VALUE && max - minRtt > CompetitorDetector.threshold(minRtt);
        long depth = max - minRtt;
        boolean fire = false;
        if (known && roundMax >= minRtt + depth * FULL_PERCENT / 100) {
            topped = true;
        } else if (known && topped && roundMax < minRtt + depth * FALL_PERCENT / 100) {
            // a whole round under the line after the queue was full: it overflowed and its holder cut
            topped = false;
            fire = true;
        }
        roundMax = 0;
        return fire;
    }

    /** False from the climb to the full line until its fall or a cut: the climb goes on. */
    boolean armed() {
        return !topped;
    }
}
