package parley.core.reliable;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link GainCycle} on times passed in: a 2 ms probe and drain, 8 ms cruise phases. */
class GainCycleTest {
    static final long MS = 1_000_000;
    static final long PROBE = 2 * MS;
    static final long PHASE = 8 * MS;

    private final GainCycle cycle = new GainCycle();
    private long now = 1_000 * MS;

    /** Moves time on by {@code d} and the cycle with it; returns the phase it is in then. */
    private int after(long d) {
        now += d;
        cycle.advance(now, PROBE, PHASE);
        return cycle.index();
    }

    /** Runs the cycle from cruising to the end of its last phase; returns when it ended. */
    private void toCycleEnd() {
        while (!cycle.advance(now, PROBE, PHASE)) {
            now += MS;
        }
    }

    @Test
    void aSkippedProbeDrainsForOneProbeLengthUnlessToldToDrainUntilEmpty() {
        cycle.start(now);
        toCycleEnd();
        cycle.skipProbe(false);
        assertThat(cycle.index()).isEqualTo(GainCycle.DRAIN);
        assertThat(after(PROBE)).isEqualTo(GainCycle.CRUISE);
    }

    /** After our own probe's cut the drain at 0.75 goes on until an RTT sample shows the queue gone. */
    @Test
    void aDrainUntilEmptyLastsUntilTheQueueIsGone() {
        cycle.start(now);
        toCycleEnd();
        cycle.skipProbe(true);
        assertThat(after(3 * PROBE)).as("queue still there").isEqualTo(GainCycle.DRAIN);
        assertThat(cycle.gain()).isEqualTo(750);
        cycle.onQueueEmpty();
        assertThat(after(MS)).isEqualTo(GainCycle.CRUISE);
    }

    /** A queue that never shows gone (a stalled receiver's RTT samples) ends the drain after 4 cruise phases. */
    @Test
    void aDrainUntilEmptyEndsAfterFourCruisePhasesAtMost() {
        cycle.start(now);
        cycle.drainNow(now, true);
        assertThat(after(GainCycle.MAX_DRAIN_PHASES * PHASE - MS)).isEqualTo(GainCycle.DRAIN);
        assertThat(after(MS)).isEqualTo(GainCycle.CRUISE);
    }

    /** An RTT sample at the minimum before the cut (in the probe or the cruise) does not end the drain after it. */
    @Test
    void anEmptyQueueSeenBeforeTheCutDoesNotCount() {
        cycle.start(now);
        cycle.onQueueEmpty();
        cycle.drainNow(now, true);
        assertThat(after(2 * PROBE)).isEqualTo(GainCycle.DRAIN);
    }
}
