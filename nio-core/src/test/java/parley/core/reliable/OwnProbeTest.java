package parley.core.reliable;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.core.reliable.StandingQueueTest.CYCLE;
import static parley.core.reliable.StandingQueueTest.ESTIMATE;
import static parley.core.reliable.StandingQueueTest.LINK;
import static parley.core.reliable.StandingQueueTest.MIN_RTT;
import static parley.core.reliable.StandingQueueTest.MS;

/**
 * {@link StandingQueue}'s probe past a settled rate, on a path shorter than the loop's step: once
 * the ceiling has waited {@link RateProbe#WAIT_NANOS} at the rate measured and grown
 * past it, the first sign of its queue ends the probe, and the drain that follows lasts until the
 * queue is gone ({@link StandingQueue#ownProbe}). Waiting for the queue to stand through a whole
 * cruise, as any other ceiling does, kept the lab's 20 Mbit/s tbf over a datagram for 90-125 ms
 * every 2.5 s: the probe's p99. The path and the link are {@link StandingQueueTest}'s.
 */
class OwnProbeTest {
    /** Over the allowance (0.5 ms) but under a deep phase (1 ms): a queue the probe began. */
    static final long SHALLOW = MIN_RTT + MS * 6 / 10;

    private final StandingQueue q = new StandingQueue(1200);
    private long now = 1_000 * MS;

    /** Five standing queues at the link's rate (settled), then cycles until the ceiling has waited there and grown past it. */
    @BeforeEach
    void probingPastASettledRate() {
        for (int i = 0; i < 5; i++) {
            cycle(MIN_RTT, MIN_RTT);
            assertThat(cycle(MIN_RTT + 3 * MS, MIN_RTT + 3 * MS)).isTrue();
        }
        long start = now;
        while (q.ceiling() <= LINK) {
            assertThat(cycle(MIN_RTT, MIN_RTT)).isFalse();
        }
        assertThat(now - start).isGreaterThan(RateProbe.WAIT_NANOS);
    }

    @Test
    void aCruisePhaseQueuedPastTheAllowanceEndsTheProbeAtThePhasesEnd() {
        long standings = q.standings();
        q.cruiseStarted(now);
        assertThat(phase(MIN_RTT + MS / 5)).isFalse(); // within the allowance
        assertThat(phase(SHALLOW)).isTrue();
        assertThat(q.ownProbe()).isTrue();
        assertThat(q.ceiling()).isEqualTo(LINK * StandingQueue.KEEP_PERCENT / 100);
        assertThat(q.standings()).as("nothing measured: the queue did not stand through a cruise").isEqualTo(standings);
        assertThat(q.cycleEnded(now + CYCLE, MIN_RTT, ESTIMATE)).as("the cruise it ended is not judged again").isFalse();
    }

    @Test
    void aProbeCycleWhoseLastPhaseHadNotDrainedEndsTheProbeAtTheCyclesEnd() {
        assertThat(cycle(MIN_RTT, SHALLOW)).isTrue();
        assertThat(q.ownProbe()).isTrue();
        assertThat(q.ceiling()).isEqualTo(LINK * StandingQueue.KEEP_PERCENT / 100);
    }

    @Test
    void afterTheProbeTheCeilingComesBackAndWaitsAgainBeforeTheNextOne() {
        cycle(MIN_RTT, SHALLOW);
        long back = Long.MIN_VALUE;
        for (int i = 0; i < 10; i++) {
            assertThat(cycle(MIN_RTT, MIN_RTT)).isFalse();
            assertThat(q.ownProbe()).isFalse();
            if (back == Long.MIN_VALUE && q.ceiling() == LINK) {
                back = now;
            }
        }
        assertThat(back).as("back at the rate measured within a few cycles").isNotEqualTo(Long.MIN_VALUE);
        assertThat(q.ceiling()).as("and waiting there").isEqualTo(LINK);
    }

    /** One cycle whose cruise delivered the link's rate, with lowest RTTs {@code cruiseMin} over it and {@code lastMin} in its last phase. */
    private boolean cycle(long cruiseMin, long lastMin) {
        now += CYCLE;
        return StandingQueueTest.driveCycle(q, now - CYCLE, CYCLE, LINK, cruiseMin, lastMin);
    }

    /** One 8 ms cruise phase at the link's rate whose lowest RTT was {@code min}; returns phaseEnded's verdict. */
    private boolean phase(long min) {
        now += 8 * MS;
        q.onAcked(LINK * 8 * MS / 1_000_000_000L);
        q.onCruiseRtt(min, false);
        return q.phaseEnded(now, MIN_RTT, ESTIMATE);
    }
}
