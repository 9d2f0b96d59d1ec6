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

    private final StandingQueue q = new StandingQueue(1200);
    private long now = 1_000 * MS;

    /** One cycle whose cruise delivered the link's rate and whose lowest RTT was {@code cruiseMin} (last phase too). */
    private boolean cycle(long cruiseMin) {
        return cycle(cruiseMin, LINK);
    }

    /** One cycle whose cruise delivered {@code rate} and whose lowest RTT was {@code cruiseMin} (last phase too). */
    private boolean cycle(long cruiseMin, long rate) {
        return cycle(cruiseMin, rate, CYCLE);
    }

    /** As above, over {@code length}. */
    private boolean cycle(long cruiseMin, long rate, long length) {
        now += length;
        return driveCycle(q, now - length, length, rate, cruiseMin, cruiseMin);
    }

    /**
     * Drives {@code q} through one cycle from {@code start}, of {@code length}, whose cruise
     * delivered {@code rate}, with lowest RTTs {@code cruiseMin} over it and {@code lastMin} in its
     * last phase; returns cycleEnded's verdict on this path against {@link #ESTIMATE}.
     */
    static boolean driveCycle(StandingQueue q, long start, long length, long rate, long cruiseMin, long lastMin) {
        q.cruiseStarted(start);
        q.onAcked(rate * length / 1_000_000_000L);
        q.onCruiseRtt(cruiseMin, false);
        q.onCruiseRtt(lastMin, true);
        return q.cycleEnded(start + length, MIN_RTT, ESTIMATE);
    }

    @Test
    void aStandingQueueSetsTheCeilingJustUnderTheRateItMeasured() {
        assertThat(cycle(MIN_RTT + 3 * MS)).isTrue();
        assertThat(q.ceiling()).isEqualTo(LINK * StandingQueue.KEEP_PERCENT / 100);
    }

    /**
     * Once the queue has drained the ceiling comes back to the rate measured, waits there
     * {@link RateProbe#WAIT_NANOS} on a path this short, and past it grows 2% a cycle:
     * doubling on past it at once (4%, 8%, 16%) put the lab's estimate 8% over the link within
     * three cycles and queued 6-10 ms each time. Only a run of {@link StandingQueue#STALE_CYCLES}
     * drained cycles past it (which a ceiling over the link does not get: its queue ends the run)
     * says the rate was measured low, and growth doubles.
     */
    @Test
    void pastTheRateMeasuredTheCeilingGrowsTwoPercentACycleUntilARunSaysTheRateWasLow() {
        standingQueuesAt(LINK, LINK, LINK, LINK, LINK); // settled
        while (q.ceiling() < LINK) {
            assertThat(cycle(MIN_RTT)).isFalse();
            assertThat(q.ceiling()).isLessThanOrEqualTo(LINK); // back up to the rate measured, no further in one step
        }
        long reached = now;
        while (now - reached < RateProbe.WAIT_NANOS) {
            cycle(MIN_RTT);
            assertThat(q.ceiling()).as("waiting at the rate measured").isEqualTo(LINK);
        }
        long previous = q.ceiling();
        int past = 0;
        while (past <= StandingQueue.STALE_CYCLES) {
            assertThat(cycle(MIN_RTT)).isFalse(); // drained: no standing queue
            long c = q.ceiling();
            past++;
            long twoPercent = previous + previous * StandingQueue.GROW_PERCENT / 100 + 1;
            assertThat(c).isGreaterThan(previous);
            if (past <= StandingQueue.STALE_CYCLES) {
                assertThat(c).as("past cycle %d", past).isLessThanOrEqualTo(twoPercent);
            } else {
                assertThat(c).as("past cycle %d", past).isGreaterThan(twoPercent);
            }
            previous = c;
        }
    }

    /** A standing queue measuring each of {@code rates}, with a drained cycle before each (each is judged as new). */
    private void standingQueuesAt(long... rates) {
        for (long rate : rates) {
            cycle(MIN_RTT, LINK);
            assertThat(cycle(MIN_RTT + 3 * MS, rate)).isTrue();
        }
    }

    /**
     * Measures that have not settled (a process still compiling its hot code measured 8.4, 10.3,
     * 16.0 and 15.1 Mbit/s of the lab's 19.4) are no rate to wait at: past the median it grows in
     * the next cycles, as before.
     */
    @Test
    void measuresThatHaveNotSettledAreNoRateToWaitAt() {
        standingQueuesAt(LINK * 43 / 100, LINK * 53 / 100, LINK * 82 / 100, LINK * 78 / 100, LINK * 97 / 100);
        long before = q.ceiling();
        for (int i = 0; i < 8; i++) { // 0.5 s; a settled rate would hold it 2 s
            cycle(MIN_RTT);
        }
        assertThat(q.ceiling()).isGreaterThan(before * 102 / 100);
        assertThat(q.ceiling()).isGreaterThan(LINK * 78 / 100 * 110 / 100); // past the median, not held there
    }

    /**
     * A queue that stands once the ceiling has waited at a settled rate and grown past it is our
     * own probe's: the drain after that cut may last until it is gone. Not any other cut.
     */
    @Test
    void aQueueAfterGrowingPastASettledRateIsOurOwnProbes() {
        standingQueuesAt(LINK, LINK, LINK, LINK, LINK);
        assertThat(q.ownProbe()).isFalse();
        while (q.ceiling() < LINK) {
            cycle(MIN_RTT);
        }
        long reached = now;
        for (int i = 0; i < 100 && q.ceiling() <= LINK; i++) {
            cycle(MIN_RTT);
        }
        assertThat(q.ceiling()).isGreaterThan(LINK);
        assertThat(now - reached).isGreaterThan(RateProbe.WAIT_NANOS);
        assertThat(cycle(MIN_RTT + 3 * MS)).isTrue();
        assertThat(q.ownProbe()).isTrue();
        cycle(MIN_RTT);
        assertThat(cycle(MIN_RTT + 3 * MS)).isTrue();
        assertThat(q.ownProbe()).as("a cut under the rate measured").isFalse();
    }

    /** Growth past measures that have not settled is no probe of ours to drain for. */
    @Test
    void growthPastUnsettledMeasuresIsNoProbeOfOurs() {
        standingQueuesAt(LINK * 43 / 100, LINK * 53 / 100, LINK * 82 / 100, LINK * 78 / 100, LINK * 97 / 100);
        for (int i = 0; i < 8; i++) {
            cycle(MIN_RTT);
        }
        assertThat(cycle(MIN_RTT + 3 * MS)).isTrue();
        assertThat(q.ownProbe()).isFalse();
    }

    /** On a path of the loop's step or longer there is no wait: past the rate measured it grows in the next cycle. */
    @Test
    void onALongerPathTheCeilingGrowsPastTheRateMeasuredWithoutWaiting() {
        long minRtt = CongestionController.RTT_FLOOR_NANOS;
        q.cruiseStarted(now);
        now += CYCLE;
        q.onAcked(LINK * CYCLE / 1_000_000_000L);
        q.onCruiseRtt(minRtt + 3 * MS, true);
        assertThat(q.cycleEnded(now, minRtt, ESTIMATE)).isTrue();
        for (int i = 0; i < 4; i++) {
            q.cruiseStarted(now);
            now += CYCLE;
            q.onCruiseRtt(minRtt, true);
            q.cycleEnded(now, minRtt, ESTIMATE);
        }
        assertThat(q.ceiling()).isGreaterThan(LINK);
    }

    /**
     * The rate measured is the median of the last five standing queues' measures: one that the
     * acks bunched 8% high neither moves it nor leaves the ceiling over the link (the lab at
     * 20 Mbit/s measured 17.5-21.0 Mbit/s of a 19.4 link from one standing queue to the next).
     */
    @Test
    void theRateMeasuredIsTheMedianOfTheLastStandingQueuesAndAHighMeasureStillDrains() {
        standingQueuesAt(LINK, LINK * 98 / 100, LINK * 102 / 100, LINK * 108 / 100);
        // the median of the four is the link's rate (the lower middle one); the last measure was 8% over it
        assertThat(q.ceiling()).isEqualTo(LINK * StandingQueue.KEEP_PERCENT / 100);
        while (q.ceiling() < LINK) {
            assertThat(cycle(MIN_RTT)).isFalse();
            assertThat(q.ceiling()).isLessThanOrEqualTo(LINK);
        }
        assertThat(q.ceiling()).isEqualTo(LINK);
    }

    /**
     * One low measure among measures at the link (a process that waited for a CPU in the lab)
     * cuts to the median, not to itself: under the lower of the two the ceiling fell to its floor.
     */
    @Test
    void oneLowMeasureAmongMeasuresAtTheLinkCutsToTheirMedian() {
        standingQueuesAt(LINK, LINK, LINK, LINK * 75 / 100);
        assertThat(q.ceiling()).isEqualTo(LINK * StandingQueue.KEEP_PERCENT / 100);
    }

    /** A cycle whose last phase did not drain, past the rate measured, ends the run: 2% a cycle again. */
    @Test
    void anUndrainedCycleEndsTheRunPastTheRateMeasured() {
        cycle(MIN_RTT + 3 * MS);
        for (int i = 0; i < 2 + StandingQueue.STALE_CYCLES; i++) {
            cycle(MIN_RTT);
        }
        q.cruiseStarted(now); // a cycle whose cruise drained but whose last phase did not
        now += CYCLE;
        q.onAcked(LINK * CYCLE / 1_000_000_000L);
        q.onCruiseRtt(MIN_RTT, false);
        q.onCruiseRtt(MIN_RTT + 2 * MS, true);
        assertThat(q.cycleEnded(now, MIN_RTT, ESTIMATE * 2)).isFalse();
        long previous = q.ceiling();
        cycle(MIN_RTT);
        assertThat(q.ceiling()).isLessThanOrEqualTo(previous + previous * StandingQueue.GROW_PERCENT / 100 + 1);
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

    // ---- another flow's queue, held since before we started ----------------------------------

    /** A cruise as long as one behind a minimum RTT that holds a CUBIC flow's queue (six 30 ms phases). */
    static final long LONG_CRUISE = 180 * MS;

    private boolean longCycle(long cruiseMin, long rate) {
        return cycle(cruiseMin, rate, LONG_CRUISE);
    }

    /**
     * A CUBIC flow that filled the queue before we started: our minimum RTT holds its queue, and
     * each standing queue measures our share, which falls as each cut to 97% of it hands the rest
     * over. Two standing queues in a row under 90% of what the first one measured say the queue
     * is another flow's.
     */
    @Test
    void aQueueThatStandsWhileOurShareFallsIsAnotherFlows() {
        long first = LINK * 40 / 100;
        longCycle(MIN_RTT + 3 * MS, first);
        longCycle(MIN_RTT + 3 * MS, first * 94 / 100);
        assertThat(q.foreign()).isFalse();
        longCycle(MIN_RTT + 3 * MS, first * 88 / 100);
        assertThat(q.foreign()).as("one low measure may be the host's stall").isFalse();
        assertThat(longCycle(MIN_RTT + 3 * MS, first * 83 / 100)).isFalse();
        assertThat(q.foreign()).isTrue();
        assertThat(q.ceiling()).isEqualTo(StandingQueue.NONE);
    }

    /** One standing queue measured low (the host stalled the processes), then the link's rate again: ours. */
    @Test
    void oneLowMeasureBetweenMeasuresAtTheLinkIsNotAnotherFlows() {
        for (int i = 0; i < 12; i++) {
            longCycle(MIN_RTT + 3 * MS, i % 3 == 1 ? LINK / 2 : LINK);
            assertThat(q.foreign()).as("cycle %d", i).isFalse();
        }
    }

    /**
     * Competing mode's recheck cannot tell such a flow has gone (the minimum RTT holds its queue),
     * so once it has ended competing mode the first standing queue is that flow's again, unless a
     * cycle drained in between.
     */
    @Test
    void afterAnotherFlowsQueueTheFirstStandingQueueIsItsAgainUnlessACycleDrained() {
        aQueueThatStandsWhileOurShareFallsIsAnotherFlows();
        q.clear(); // competing mode began, and its recheck ended it
        longCycle(MIN_RTT + 3 * MS, LINK * 30 / 100);
        assertThat(q.foreign()).isTrue();
        q.clear();
        longCycle(MIN_RTT, LINK); // drained: the queue was ours after all, or the other flow has gone
        assertThat(longCycle(MIN_RTT + 3 * MS, LINK * 30 / 100)).isTrue();
        assertThat(q.foreign()).isFalse();
    }

    /**
     * Our own queue behind a receiver that stalls: it may not drain for many cycles (the hold rule
     * even drops the ceiling, and the estimate builds it again), but each standing queue measures
     * the link's rate, and it is never taken for another flow's.
     */
    @Test
    void ourOwnQueueMeasuredAtTheLinksRateIsNeverAnotherFlowsHoweverLongItStands() {
        for (int i = 0; i < 30; i++) {
            longCycle(MIN_RTT + (2 + i % 3) * MS, LINK * (100 - i % 4) / 100);
            assertThat(q.foreign()).as("cycle %d", i).isFalse();
        }
    }

    // ---- a 40 ms path: deep phases -------------------------------------------------------------

    static final long LONG_RTT = 40 * MS;
    static final long RATE_20 = 2_500_000;

    /** One 40 ms cruise phase of a 20 Mbit/s link whose lowest RTT was {@code min}; returns phaseEnded's verdict. */
    private boolean longPhase(long min, boolean appLimited) {
        return phase(LONG_RTT, RATE_20, min, LONG_RTT, RATE_20 * 113 / 100, appLimited);
    }

    /**
     * One cruise phase of {@code length} on a path of {@code minRtt} that delivered {@code rate}
     * and whose lowest RTT was {@code min}; returns phaseEnded's verdict against {@code estimate}.
     */
    private boolean phase(long length, long rate, long min, long minRtt, long estimate, boolean appLimited) {
        now += length;
        q.onAcked(rate * length / 1_000_000_000L);
        if (appLimited) {
            q.onAppLimited();
        }
        q.onCruiseRtt(min, false);
        return q.phaseEnded(now, minRtt, estimate);
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

    // ---- a sub-millisecond path: deep phases -------------------------------------------------

    /** One 8 ms cruise phase at 100 Mbit/s on the 0.1 ms path whose lowest RTT was {@code min}. */
    private boolean shortPhase(long min) {
        return phase(8 * MS, LINK, min, MIN_RTT, ESTIMATE, false);
    }

    /**
     * On a path under 10 ms a phase whose queue stood past twice the allowance (1 ms), in a cruise
     * that had drained, sets the ceiling: half the competitor detector's threshold, 5 ms, let a
     * ceiling 4-6% over the lab's 20 Mbit/s link queue 4-5 ms (10-11 datagrams) before its
     * cycle's end set it.
     */
    @Test
    void onAShortPathAQueueOfAMillisecondThroughAPhaseSetsTheCeiling() {
        assertThat(StandingQueue.deepPhase(MIN_RTT)).isEqualTo(2 * StandingQueue.ALLOWANCE_FLOOR_NANOS);
        assertThat(StandingQueue.deepPhase(LONG_RTT)).isEqualTo(CompetitorDetector.threshold(LONG_RTT) / 2);
        q.cruiseStarted(now);
        assertThat(shortPhase(MIN_RTT + MS / 5)).isFalse(); // drained
        assertThat(shortPhase(MIN_RTT + MS * 8 / 10)).isFalse(); // within twice the allowance: jitter
        assertThat(shortPhase(MIN_RTT + MS * 12 / 10)).isTrue();
        assertThat(q.ceiling()).isEqualTo(LINK * StandingQueue.KEEP_PERCENT / 100);
    }
}
