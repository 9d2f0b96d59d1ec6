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
}
