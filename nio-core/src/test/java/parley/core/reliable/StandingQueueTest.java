package parley.core.reliable;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StandingQueue}'s rules on values passed in: how a ceiling grows back once the queue has
 * drained, and when a queue that does not shrink under the ceiling is taken for another flow's.
 * A cycle here is 64 ms (eight 8 ms phases) on a 0.1 ms path at 100 Mbit/s (12.5 MB/s).
 */
class StandingQueueTest {
    static final long MS = 1_000_000;
    static final long MIN_RTT = MS / 10;
    static final long LINK = 12_500_000;
    static final long CYCLE = 64 * MS;
    /** The estimate the bunched acks inflate: 20% over the link. */
    static final long ESTIMATE = LINK * 120 / 100;

    private final StandingQueue q = new StandingQueue();
    private long now = 1_000 * MS;

    /** One cycle whose cruise delivered the link's rate and whose lowest RTT was {@code cruiseMin} (last phase too). */
    private boolean cycle(long cruiseMin) {
        q.cruiseStarted(now);
        now += CYCLE;
        q.onAcked(LINK * CYCLE / 1_000_000_000L);
        q.onCruiseRtt(cruiseMin, false);
        q.onCruiseRtt(cruiseMin, true);
        return q.cycleEnded(now, MIN_RTT, ESTIMATE);
    }

    @Test
    void aStandingQueueSetsTheCeilingJustUnderTheRateItMeasured() {
        assertThat(cycle(MIN_RTT + 3 * MS)).isTrue();
        assertThat(q.ceiling()).isEqualTo(LINK * StandingQueue.KEEP_PERCENT / 100);
    }

    /**
     * Once the queue has drained the ceiling comes back to the rate measured, and past it grows
     * 2% a cycle: doubling on past it (4%, 8%, 16%) put the lab's estimate 8% over the link
     * within three cycles and queued 6-10 ms each time.
     */
    @Test
    void pastTheRateMeasuredTheCeilingGrowsTwoPercentACycleNotDoubling() {
        cycle(MIN_RTT + 3 * MS);
        long previous = q.ceiling();
        for (int i = 0; i < 6; i++) {
            assertThat(cycle(MIN_RTT)).isFalse(); // drained: no standing queue
            long c = q.ceiling();
            assertThat(c).isGreaterThan(previous);
            if (previous >= LINK) {
                assertThat(c).isLessThanOrEqualTo(previous + previous * StandingQueue.GROW_PERCENT / 100 + 1);
            } else {
                assertThat(c).isLessThanOrEqualTo(LINK); // back up to the rate measured, no further in one step
            }
            previous = c;
        }
        assertThat(q.ceiling()).isLessThan(LINK * 111 / 100); // six cycles: at most 1.02^5 over the link
    }

    /** Below the rate measured (a ceiling cut 30% by a starved host) it still comes back fast. */
    @Test
    void belowTheRateMeasuredGrowthStillDoubles() {
        cycle(MIN_RTT + 3 * MS);
        long start = q.ceiling();
        cycle(MIN_RTT);
        long first = q.ceiling() - start;
        assertThat(first).isPositive();
        assertThat(q.ceiling()).isLessThanOrEqualTo(LINK);
    }

    /**
     * Under a ceiling 3% below the link our own queue of a few ms drains 2 ms a cycle: a second
     * standing queue whose lowest RTT did not fall holds the ceiling one more cycle; only a third
     * in a row takes the queue for somebody else's and drops the ceiling.
     */
    @Test
    void aQueueThatDoesNotFallIsHeldOneCycleBeforeItIsTakenForAnotherFlows() {
        assertThat(cycle(MIN_RTT + 5 * MS)).isTrue();
        long ceiling = q.ceiling();
        assertThat(cycle(MIN_RTT + 5 * MS)).as("held: the probe is skipped again").isTrue();
        assertThat(q.ceiling()).isEqualTo(ceiling);
        assertThat(cycle(MIN_RTT + 5 * MS)).isFalse();
        assertThat(q.ceiling()).isEqualTo(StandingQueue.NONE);
    }

    @Test
    void aQueueThatFellAfterTheHoldIsCutAgainAsOurOwn() {
        cycle(MIN_RTT + 5 * MS);
        cycle(MIN_RTT + 5 * MS); // held
        assertThat(cycle(MIN_RTT + 2 * MS)).isTrue(); // it fell: ours, cut again
        assertThat(q.ceiling()).isNotEqualTo(StandingQueue.NONE);
        assertThat(cycle(MIN_RTT + 2 * MS)).isTrue(); // held once more, not dropped at once
        assertThat(q.ceiling()).isNotEqualTo(StandingQueue.NONE);
    }

    // ---- a 40 ms path: deep phases -------------------------------------------------------------

    static final long LONG_RTT = 40 * MS;
    static final long RATE_20 = 2_500_000;

    /** One 40 ms cruise phase of a 20 Mbit/s link whose lowest RTT was {@code min}; returns phaseEnded's verdict. */
    private boolean longPhase(long min, boolean appLimited) {
        now += LONG_RTT;
        q.onAcked(RATE_20 * LONG_RTT / 1_000_000_000L);
        if (appLimited) {
            q.onAppLimited();
        }
        q.onCruiseRtt(min, false);
        return q.phaseEnded(now, LONG_RTT, RATE_20 * 113 / 100);
    }

    /**
     * The lab at 20 Mbit/s +40 ms: an estimate 13% over the link queued 4-5 ms a phase, from a
     * drained cruise to past the competitor detector's 20 ms threshold within one cycle. A phase
     * whose queue stood deeper than half that threshold, in a cruise that had drained, sets the
     * ceiling at once from the rate acknowledged since the cruise began.
     */
    @Test
    void aQueueGrownDeepWithinOneCruiseSetsTheCeilingAtThePhasesEnd() {
        q.cruiseStarted(now);
        assertThat(longPhase(LONG_RTT + MS, false)).isFalse(); // drained: nothing stands
        assertThat(longPhase(LONG_RTT + 6 * MS, false)).isFalse(); // under half the threshold (10 ms)
        assertThat(longPhase(LONG_RTT + 11 * MS, false)).isTrue();
        assertThat(q.ceiling()).isEqualTo(RATE_20 * StandingQueue.KEEP_PERCENT / 100);
        assertThat(q.standings()).isEqualTo(1);
    }

    /** A queue that already stood when the cruise began (a CUBIC flow's, say) is left to the cycle's end and the competitor detector. */
    @Test
    void aDeepPhaseInACruiseThatNeverDrainedIsLeftToTheCycle() {
        q.cruiseStarted(now);
        assertThat(longPhase(LONG_RTT + 11 * MS, false)).isFalse();
        assertThat(longPhase(LONG_RTT + 12 * MS, false)).isFalse();
        assertThat(q.ceiling()).isEqualTo(StandingQueue.NONE);
    }

    /** Nor does a phase in which the sender ran out of data say anything, nor a queue past the threshold. */
    @Test
    void anAppLimitedPhaseOrOnePastTheThresholdSetsNoCeiling() {
        q.cruiseStarted(now);
        longPhase(LONG_RTT, false);
        assertThat(longPhase(LONG_RTT + 12 * MS, true)).isFalse();
        assertThat(longPhase(LONG_RTT + 25 * MS, false)).isFalse(); // past 20 ms: the competitor detector's
        assertThat(q.ceiling()).isEqualTo(StandingQueue.NONE);
    }
}
