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
        now += PROBE;
        cycle.advance(now, PROBE, PHASE);
        assertThat(cycle.index()).isEqualTo(GainCycle.CRUISE);
    }

    /** After our own probe's cut the drain at 0.75 goes on until an RTT sample shows the queue gone. */
    @Test
    void aDrainUntilEmptyLastsUntilTheQueueIsGone() {
        cycle.start(now);
        toCycleEnd();
        cycle.skipProbe(true);
        now += 3 * PROBE;
        cycle.advance(now, PROBE, PHASE);
        assertThat(cycle.index()).as("queue still there").isEqualTo(GainCycle.DRAIN);
        assertThat(cycle.gain()).isEqualTo(750);
        cycle.onQueueEmpty();
        now += MS;
        cycle.advance(now, PROBE, PHASE);
        assertThat(cycle.index()).isEqualTo(GainCycle.CRUISE);
    }

    /** A queue that never shows gone (a stalled receiver's RTT samples) ends the drain after 4 cruise phases. */
    @Test
    void aDrainUntilEmptyEndsAfterFourCruisePhasesAtMost() {
        cycle.start(now);
        cycle.drainNow(now, true);
        now += GainCycle.MAX_DRAIN_PHASES * PHASE - MS;
        cycle.advance(now, PROBE, PHASE);
        assertThat(cycle.index()).isEqualTo(GainCycle.DRAIN);
        now += MS;
        cycle.advance(now, PROBE, PHASE);
        assertThat(cycle.index()).isEqualTo(GainCycle.CRUISE);
    }

    /** An RTT sample at the minimum before the cut (in the probe or the cruise) does not end the drain after it. */
    @Test
    void anEmptyQueueSeenBeforeTheCutDoesNotCount() {
        cycle.start(now);
        cycle.onQueueEmpty();
        cycle.drainNow(now, true);
        now += 2 * PROBE;
        cycle.advance(now, PROBE, PHASE);
        assertThat(cycle.index()).isEqualTo(GainCycle.DRAIN);
    }
}
