package parley.core.reliable;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GainCycle} on times passed in: a cruise phase lasts {@code phase}, the probe and its
 * drain {@code probe}, and after a cut the drain lasts until the queue is gone.
 */
class GainCycleTest {
    static final long MS = 1_000_000;
    static final long PROBE = 2 * MS;
    static final long PHASE = 8 * MS;

    private final GainCycle cycle = new GainCycle();
    private long now = 1_000 * MS;

    /** Advances the clock by {@code step} until the phase changes; returns how long that took. */
    private long untilThePhaseChanges(long step) {
        int index = cycle.index();
        long start = now;
        while (cycle.index() == index) {
            now += step;
            cycle.advance(now, PROBE, PHASE);
        }
        return now - start;
    }

    @Test
    void aCycleIsAProbeADrainAndSixCruisePhases() {
        cycle.start(now);
        long cycleLength = 0;
        boolean ended = false;
        while (!ended) {
            now += MS / 2;
            cycleLength += MS / 2;
            ended = cycle.advance(now, PROBE, PHASE);
        }
        assertThat(cycleLength).isEqualTo(6 * PHASE); // started cruising
        assertThat(cycle.index()).isEqualTo(GainCycle.PROBE_UP);
        assertThat(untilThePhaseChanges(MS / 2)).isEqualTo(PROBE);
        assertThat(cycle.index()).isEqualTo(GainCycle.DRAIN);
        assertThat(untilThePhaseChanges(MS / 2)).as("an ordinary drain").isEqualTo(PROBE);
        assertThat(cycle.cruising()).isTrue();
    }

    /** After a cut the drain goes on past its usual length until an RTT sample shows the queue gone. */
    @Test
    void aDrainAfterACutLastsUntilTheQueueIsGone() {
        cycle.start(now);
        now += 3 * PHASE;
        cycle.advance(now, PROBE, PHASE);
        cycle.drainNow(now, true); // a deep phase: the queue stood too deep to wait
        long start = now;
        for (int i = 0; i < 10; i++) {
            now += MS;
            cycle.advance(now, PROBE, PHASE);
        }
        assertThat(cycle.index()).as("still draining 10 ms on").isEqualTo(GainCycle.DRAIN);
        cycle.onQueueEmpty();
        now += MS / 2;
        cycle.advance(now, PROBE, PHASE);
        assertThat(cycle.cruising()).isTrue();
        assertThat(now - start).isEqualTo(10 * MS + MS / 2);
    }

    /** A queue that never drains (another flow's) ends the drain after {@link GainCycle#MAX_DRAIN_PHASES} phases. */
    @Test
    void aDrainThatNeverEmptiesTheQueueEndsAfterFourPhases() {
        cycle.start(now);
        while (!cycle.advance(now += MS, PROBE, PHASE)) {
            // to the cycle's end
        }
        cycle.skipProbe(true); // the cycle's own queue stood: a cut, and the drain instead of the probe
        assertThat(cycle.index()).isEqualTo(GainCycle.DRAIN);
        assertThat(untilThePhaseChanges(MS)).isEqualTo(GainCycle.MAX_DRAIN_PHASES * PHASE);
    }

    /** A queue that may be another flow's (it stood through the cycle before too) gets an ordinary drain. */
    @Test
    void aCutForAQueueThatMayNotBeOursDrainsAsUsual() {
        cycle.start(now);
        while (!cycle.advance(now += MS, PROBE, PHASE)) {
            // to the cycle's end
        }
        cycle.skipProbe(false);
        assertThat(cycle.index()).isEqualTo(GainCycle.DRAIN);
        assertThat(untilThePhaseChanges(MS / 2)).isEqualTo(PROBE);
    }

    /** A sample that shows the queue gone before the drain's usual length does not cut it short; the next drain is ordinary. */
    @Test
    void anEmptyQueueEndsADrainNoSoonerThanUsualAndOnlyOnce() {
        cycle.start(now);
        while (!cycle.advance(now += MS, PROBE, PHASE)) {
            // to the cycle's end
        }
        cycle.skipProbe(true);
        cycle.onQueueEmpty();
        assertThat(untilThePhaseChanges(MS / 2)).isEqualTo(PROBE);
        while (!cycle.advance(now += MS, PROBE, PHASE)) {
            // to the next cycle's end
        }
        assertThat(untilThePhaseChanges(MS / 2)).as("the probe").isEqualTo(PROBE);
        assertThat(untilThePhaseChanges(MS / 2)).as("an ordinary drain").isEqualTo(PROBE);
    }
}
