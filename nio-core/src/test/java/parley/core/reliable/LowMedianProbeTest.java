package parley.core.reliable;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.core.reliable.StandingQueueTest.CYCLE;
import static parley.core.reliable.StandingQueueTest.ESTIMATE;
import static parley.core.reliable.StandingQueueTest.LINK;
import static parley.core.reliable.StandingQueueTest.MIN_RTT;
import static parley.core.reliable.StandingQueueTest.MS;

/**
 * A {@link StandingQueue} whose measures settled low (a traced lab run: a median of 88 Mbit/s on
 * a link of 97) must not keep the flow there: its probe past that rate ends on the probe's own
 * queue, and the least the probe showed the link to carry (what it delivered, and the highest
 * ceiling a cycle carried without a queue) counts as a measure when it is well over that median.
 * Before it did, each probe went back under the low median and measured nothing, and Parley
 * alone filled 87% of what TCP did. The path and the link are {@link StandingQueueTest}'s; the
 * link is modelled as one queue that a ceiling over the link fills and one under it drains,
 * cycle by cycle.
 */
class LowMedianProbeTest {
    private static final long SECOND = 1_000 * MS;
    /** The rate the measures settled at: 88% of the link. */
    private static final long LOW = LINK * 88 / 100;

    private final StandingQueue q = new StandingQueue(1200);
    private long now = 1_000 * MS;
    /** The bottleneck's queueing delay at the start of the next cycle. */
    private long queue;
    private long deliveredBytes;
    private long deliveredSince;
    /**
     * What the first cycle past the link (the one that ends a probe) reads of its delivery, in
     * percent of it: acks bunched at its end.
     */
    private int bunching = 100;

    @Test
    void aMedianMeasuredLowDoesNotOutliveTheProbesPastIt() {
        settleAt(LOW, LOW, LOW, LOW, LOW);
        assertThat(q.ceiling()).isEqualTo(LOW * StandingQueue.KEEP_PERCENT / 100);
        int probesEnded = 0;
        long end = now + 30 * SECOND;
        while (now < end) {
            if (now >= end - 10 * SECOND && deliveredSince == 0) {
                deliveredSince = now;
                deliveredBytes = 0;
            }
            cycleOnTheLink();
            probesEnded += q.ownProbe() ? 1 : 0;
        }
        assertThat(probesEnded).as("probes past the low median, which found the link").isPositive();
        long lastTenSeconds = deliveredBytes * SECOND / (now - deliveredSince);
        assertThat(lastTenSeconds).as("delivered over the last 10 s, against a link of %d", LINK)
                .isGreaterThanOrEqualTo(LINK * 95 / 100);
        assertThat(q.ceiling()).as("the ceiling is no longer held at the low median")
                .isGreaterThanOrEqualTo(LINK * StandingQueue.KEEP_PERCENT / 100 * 98 / 100);
    }

    /**
     * A probe that ended on another flow's queue delivered only our share of it: that lowers
     * nothing, since a probe only ever shows the link to be at least as fast as it carried.
     */
    @Test
    void aProbeThatDeliveredLessThanTheRateMeasuredLowersNothing() {
        // settled at the link, oldest first: a measure replacing the first would move the median
        settleAt(LINK * 105 / 100, LINK * 102 / 100, LINK, LINK * 97 / 100, LINK * 95 / 100);
        long start = now;
        while (q.ceiling() <= LINK) {
            assertThat(cycle(LINK, MIN_RTT, MIN_RTT)).isFalse();
        }
        assertThat(now - start).isGreaterThan(RateProbe.WAIT_NANOS);
        assertThat(cycle(LINK / 2, MIN_RTT, MIN_RTT + 3 * MS)).isTrue();
        assertThat(q.ownProbe()).isTrue();
        assertThat(q.ceiling()).as("our share of another flow's queue is no measure of the link")
                .isEqualTo(LINK * StandingQueue.KEEP_PERCENT / 100);
    }

    /**
     * A median a little under the link is no stale one: a probe that carried less than
     * {@link RateProbe#STALE_MEDIAN_PERCENT}% more adds nothing, and the controller waits where
     * it did before the rule.
     */
    @Test
    void aProbeThatCarriedALittleMoreThanTheRateMeasuredAddsNothing() {
        // oldest first, median 97% of the link: a measure replacing the first would move it
        settleAt(LINK * 93 / 100, LINK * 95 / 100, LINK * 97 / 100, LINK * 99 / 100, LINK * 102 / 100);
        long median = LINK * 97 / 100;
        while (!q.ownProbe()) {
            cycleOnTheLink();
        }
        assertThat(q.ceiling()).isEqualTo(median * StandingQueue.KEEP_PERCENT / 100);
    }

    /**
     * Acks bunched at the end of the probe's cruise read over the link (here by 20%, every
     * time): the measure is no more than the highest ceiling a cycle carried without a queue,
     * and measures that disagree hold no wait ({@link RecentRates#settled}), so the ceiling never
     * comes back to wait past the link.
     */
    @Test
    void aProbesMeasureIsNoMoreThanTheCeilingsItCarried() {
        settleAt(LOW, LOW, LOW, LOW, LOW);
        bunching = 120;
        long end = now + 90 * SECOND;
        int probesEnded = 0;
        while (now < end) {
            cycleOnTheLink();
            if (q.ownProbe()) {
                probesEnded++;
                assertThat(q.ceiling()).as("back under the link after probe %d", probesEnded)
                        .isLessThanOrEqualTo(LINK * StandingQueue.KEEP_PERCENT / 100);
            }
        }
        assertThat(probesEnded).isPositive();
    }

    /** Standing queues measuring each of {@code rates}, a drained cycle before each. */
    private void settleAt(long... rates) {
        for (long rate : rates) {
            assertThat(cycle(rate, MIN_RTT, MIN_RTT)).isFalse();
            assertThat(cycle(rate, MIN_RTT + 3 * MS, MIN_RTT + 3 * MS)).isTrue();
        }
    }

    /**
     * One cycle paced at the ceiling on a link of {@link StandingQueueTest#LINK}: the queue grows
     * by the ceiling's excess over the link, or drains by its shortfall; the cruise's lowest RTT
     * is the lower of its queues at the cycle's ends, the last phase's that at its end. A cut
     * drains what is left ({@link GainCycle#skipProbe}).
     */
    private void cycleOnTheLink() {
        long rate = q.limit(ESTIMATE);
        long start = queue;
        long grown = start + (rate - LINK) * CYCLE / LINK;
        long endQueue = Math.max(0, grown);
        long delivered = start > 0 || grown > 0 ? LINK : rate;
        long read = start == 0 && grown > 0 ? delivered * bunching / 100 : delivered;
        deliveredBytes += delivered * CYCLE / SECOND;
        boolean cut = cycle(read, MIN_RTT + Math.min(start, endQueue), MIN_RTT + endQueue);
        queue = cut ? 0 : endQueue;
    }

    /** One cycle whose cruise acknowledged {@code rate}; returns cycleEnded's verdict. */
    private boolean cycle(long rate, long cruiseMin, long lastMin) {
        now += CYCLE;
        return StandingQueueTest.driveCycle(q, now - CYCLE, CYCLE, rate, cruiseMin, lastMin);
    }
}
