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

    /** Packet {@code packetNumber} was declared lost. */
    void onLost(long packetNumber) {
        if (packetNumber > cutAfter) {
            lostSinceCut++;
        }
    }

    /**
     * A round ended with packet {@code packetNumber}; {@code queueFilled} if the full-queue signal
     * fired in it. True if it starts a new episode: a loss since the last cut, or a full queue seen
     * by packets sent after it.
     */
    boolean roundEnded(long packetNumber, boolean queueFilled) {
        return lostSinceCut > 0 || queueFilled && packetNumber > cutAfter;
    }

    /** True if the round that just ended lost a packet sent after the last cut (a loss, not a full queue). */
    boolean lost() {
        return lostSinceCut > 0;
    }

    /** The window was cut; {@code lastSent} is the newest packet in flight. */
    void onCut(long lastSent) {
        cutAfter = lastSent;
    }

    /** A round ended: its losses are judged. */
    void nextRound() {
        lostSinceCut = 0;
    }
}
