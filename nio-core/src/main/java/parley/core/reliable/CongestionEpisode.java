package parley.core.reliable;

/**
 * Competing mode's congestion episodes, as TCP's recovery counts them: a cut answers every loss
 * of a packet sent before it, and the full-queue signal of a round made only of such packets.
 * Counting each round with a loss as its own episode, one overflow whose losses were found over
 * two rounds cut the window twice (0.7 x 0.7), and a flow beside CUBIC flows, which cut once per
 * overflow, lost its share. Pure logic on packet numbers.
 */
final class CongestionEpisode {
    /** The last packet sent before the last cut; -1 before any. */
    private long cutAfter = -1;
    private int lostSinceCut;
    /**
     * Rounds after a full-queue cut in which a loss still counts as the top of the same climb, if
     * the queue has not drained before: the last tenth of a 50 ms queue fills in a few round
     * trips; a loss later than this is a new overflow, as for TCP.
     */
    static final int CLIMB_ROUNDS = 10;

    /** The last cut was the full-queue signal's, and the climb it fired on is not over. */
    private boolean climbCut;
    private int climbRounds;

    /** Packet {@code packetNumber} was declared lost. */
    void onLost(long packetNumber) {
        if (packetNumber > cutAfter) {
            lostSinceCut++;
        }
    }

    /**
     * A round ended with packet {@code packetNumber}; {@code queueFilled} if the full-queue signal
     * fired in it. True if it starts a new episode: a loss since the last cut, or a full queue seen
     * by packets sent after it ({@code lastSent}: the newest packet sent). {@code queueArmed}: the full-queue signal is armed (no climb it
     * fired on is going on). A loss at the top of a climb the signal already cut for is the same
     * episode: the overflow that the cut at 90% of the way stood for. Cutting again for it cut
     * twice per climb against the CUBIC flow's once (4-5 of 19 Mbit/s, lab and synthetic link).
     */
    boolean roundEnded(long packetNumber, boolean queueFilled, boolean queueArmed, long lastSent) {
        boolean fresh = lostSinceCut > 0 && !climbCut || queueFilled && packetNumber > cutAfter;
        if (climbCut && ++climbRounds > CLIMB_ROUNDS) {
            climbCut = false;
        } else if (queueArmed && climbCut) {
            // The queue drained: the climb is over. What was sent until now went out during it, and
            // its losses, found from now on, are still the overflow the cut answered.
            climbCut = false;
            cutAfter = Math.max(cutAfter, lastSent);
        }
        return fresh;
    }

    /** True if the round that just ended lost a packet sent after the last cut (a loss, not a full queue). */
    boolean lost() {
        return lostSinceCut > 0;
    }

    /** The window was cut; {@code lastSent} is the newest packet in flight. */
    void onCut(long lastSent) {
        climbCut = lostSinceCut == 0;
        climbRounds = 0;
        cutAfter = lastSent;
    }

    /** A round ended: its losses are judged. */
    void nextRound() {
        lostSinceCut = 0;
    }
}
