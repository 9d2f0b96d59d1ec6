package parley.core.reliable;

/**
 * PROBE_BW's gain cycle (BBR): one phase at 1.25 to find more bandwidth, one at 0.75 to give back
 * the queue that probe made, six at 1 to cruise. Each phase lasts the controller's sample
 * interval (at least 8 ms), so that a delivery-rate sample can see a probe whole; but under a
 * {@link StandingQueue} ceiling, which finds more bandwidth by its own growth, the probe and its
 * drain last only one RTT of the bandwidth-delay product (the minimum RTT, at least 2 ms), as
 * BBR's do: on a 0.1 ms path a probe at 1.25 for 8 ms queues 2 ms, nearly all the queue the
 * probe flow's target allows at 100 Mbit/s (a short probe with no ceiling found no bandwidth: an
 * 8 ms sample averaged it with its drain, and a flow whose startup ended at 84% of a 20 Mbit/s
 * link stayed there). After a cycle whose queue stood ({@link StandingQueue}) the next one skips
 * the probe and starts with the drain: probing on top of a queue that did not drain only deepens
 * it. After the cut that ends our own probe past a settled rate ({@link StandingQueue#ownProbe})
 * the drain lasts until the queue is gone ({@link #onQueueEmpty}), as BBR's DRAIN state does,
 * within {@link #MAX_DRAIN_PHASES} cruise phases: at 0.75 a queue of Q ms drains in 4Q ms, while
 * a ceiling 3% under the link gave the lab's 10 KB back in about 140 ms at 20 Mbit/s (round 13).
 * Pure logic on the times passed in.
 */
final class GainCycle {
    /** Pacing gains in thousandths, one per phase. */
    static final int[] GAINS = {1250, 750, 1000, 1000, 1000, 1000, 1000, 1000};
    static final int PROBE_UP = 0;
    static final int DRAIN = 1;
    /** The first cruising phase: PROBE_BW starts here, since the drain before it just gave the queue back. */
    static final int CRUISE = 2;
    /** The longest drain until the queue is gone, in cruise phases (32 ms on a short path: an 8 ms queue). */
    static final int MAX_DRAIN_PHASES = 4;

    private int index;
    private long phaseStart;
    /** The drain phase under way lasts until the queue is gone. */
    private boolean drainToEmpty;
    /** An RTT sample in this drain showed the queue gone. */
    private boolean emptied;

    /** Starts cruising at {@code now} (entering PROBE_BW). */
    void start(long now) {
        index = CRUISE;
        phaseStart = now;
        drainToEmpty = false;
    }

    /**
     * The cycle that just began starts with its drain phase instead of its probe; {@code untilEmpty}:
     * the drain lasts until {@link #onQueueEmpty}.
     */
    void skipProbe(boolean untilEmpty) {
        if (index == PROBE_UP) {
            beginDrain(untilEmpty);
        }
    }

    /**
     * The cruise stops at {@code now}, and the drain phase begins (our queue stood too deep to wait
     * for the cycle's end); {@code untilEmpty}: it lasts until {@link #onQueueEmpty}.
     */
    void drainNow(long now, boolean untilEmpty) {
        beginDrain(untilEmpty);
        phaseStart = now;
    }

    private void beginDrain(boolean untilEmpty) {
        index = DRAIN;
        drainToEmpty = untilEmpty;
        emptied = false;
    }

    /** An RTT sample outside the cruise showed the queue gone (within the standing queue's allowance of the minimum). */
    void onQueueEmpty() {
        emptied = true;
    }

    /**
     * Moves to the next phase once this one has lasted {@code probe} (the probe and the drain) or
     * {@code phase} (cruising); returns true when that ended the last phase of a cycle.
     */
    boolean advance(long now, long probe, long phase) {
        long elapsed = now - phaseStart;
        if (elapsed < (index < CRUISE ? probe : phase)
                || index == DRAIN && drainToEmpty && !emptied && elapsed < MAX_DRAIN_PHASES * phase) {
            return false;
        }
        if (index == DRAIN) {
            drainToEmpty = false;
        }
        phaseStart = now;
        index++;
        if (index < GAINS.length) {
            return false;
        }
        index = PROBE_UP;
        return true;
    }

    int index() {
        return index;
    }

    /** The pacing gain of the current phase, in thousandths. */
    int gain() {
        return GAINS[index];
    }

    /** True in the cycle's last phase. */
    boolean lastPhase() {
        return index == GAINS.length - 1;
    }

    /** True in the cruising phases (after the probe and its drain). */
    boolean cruising() {
        return index >= CRUISE;
    }
}
