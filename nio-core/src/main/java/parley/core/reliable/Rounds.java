package parley.core.reliable;

/**
 * The controller's round trips, counted as BBR counts them: a round ends once the fate (ack or
 * loss) of the packet that was the newest sent when the round began is known, so a round is one
 * flight, whatever the RTT. Counts each round's acks and losses for the loss verdict, except the
 * losses of packets sent before {@link #forgetInFlight} (those a path-MTU black hole swallowed).
 * Pure logic on packet numbers.
 */
final class Rounds {
    private long lastSent = -1;
    private long roundEnd = -1;
    private long count;
    private int acked;
    private int lost;
    /** Losses of packets numbered below this are not counted. */
    private long countLossesFrom;

    void onSent(long packetNumber) {
        lastSent = packetNumber;
    }

    void onAcked() {
        acked++;
    }

    void onLost(long packetNumber) {
        if (packetNumber >= countLossesFrom) {
            lost++;
        }
    }

    /** True if the fate of {@code packetNumber} being known ends the round. */
    boolean endedBy(long packetNumber) {
        return packetNumber >= roundEnd;
    }

    /** The round ended: the next one ends with the fate of the newest packet sent so far. */
    void next() {
        count++;
        roundEnd = lastSent;
        acked = 0;
        lost = 0;
    }

    /** What is in flight now is lost to something other than congestion: its losses are not counted. */
    void forgetInFlight() {
        countLossesFrom = lastSent + 1;
        lost = 0;
    }

    /** Rounds ended so far. */
    long count() {
        return count;
    }

    /** The newest packet number sent, -1 before any. */
    long lastSent() {
        return lastSent;
    }

    int acked() {
        return acked;
    }

    int lost() {
        return lost;
    }
}
