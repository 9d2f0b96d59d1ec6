package parley.core.reliable;

import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.PriorityQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.core.reliable.CongestionControllerTest.MS;

/**
 * The competitor detector's epoch holds whole gain cycles. A flow that paces at the bottleneck
 * rate empties its own queue in the gain cycle's drain phase, so an epoch whose lowest RTT stayed
 * high means somebody else's queue only if a drain phase was in it. At a 40 ms minimum RTT a
 * cycle is 8 phases of 40 ms, 320 ms, and an epoch of 200 ms by the clock could end between two
 * drains: round 4's lab traces spent 4-8 s of 13 in competing mode with Parley alone at +40 ms.
 *
 * <p>The controller is driven on synthetic time through a 100 Mbit/s bottleneck with a 40 ms
 * path, and its own queue is made to hold 25 ms (above the detector's 20 ms threshold at that
 * RTT) except for what it sends in the drain phase (pacing gain 0.75), which comes back at the
 * path's RTT: the premise the detector is built on, at its limit.
 */
class CompetitorEpochTest {
    static final long RATE = 12_500_000;
    static final long PATH_RTT = 40 * MS;
    static final long OWN_QUEUE = 25 * MS;
    static final long STEP = MS / 10;

    @Test
    void atFortyMillisecondsAnEpochAlwaysHoldsADrainPhaseSoOurOwnQueueIsNeverTakenForACompetitor() {
        CongestionController cc = new CongestionController(12_000, 9_600, 1200);
        // {packet number, sent at, acked at}
        PriorityQueue<long[]> acks = new PriorityQueue<>(Comparator.<long[]>comparingLong(a -> a[2]).thenComparingLong(a -> a[0]));
        long linkFree = 0;
        long pn = 0;
        boolean everCompeting = false;
        long probeBwSince = -1;
        for (long now = 0; now < 15_000 * MS; now += STEP) {
            while (!acks.isEmpty() && acks.peek()[2] <= now) {
                long[] a = acks.poll();
                long rtt = now - a[1];
                cc.onRttSample(rtt, rtt, now);
                cc.onAcked(1200, a[1], a[0], now);
            }
            while (cc.canSend(1200) && cc.pacingAllows(now)) {
                boolean draining = cc.state() == CongestionController.State.PROBE_BW
                        && cc.pacingRate() * 1000 < cc.bandwidth() * 800;
                boolean ownQueueStands = cc.state() == CongestionController.State.PROBE_BW && !draining;
                linkFree = Math.max(now, linkFree) + 1200 * 1_000_000_000L / RATE;
                cc.onSent(1200, pn, now);
                acks.add(new long[] {pn++, now, linkFree + PATH_RTT + (ownQueueStands ? OWN_QUEUE : 0)});
            }
            if (cc.state() == CongestionController.State.PROBE_BW && probeBwSince < 0) {
                probeBwSince = now;
            }
            everCompeting |= cc.competing();
        }
        assertThat(probeBwSince).isNotNegative(); // the scenario did reach PROBE_BW, where epochs run
        assertThat(everCompeting).isFalse();
    }

    /**
     * A verdict judged against a minimum RTT that only startup measured is rechecked after 1 s,
     * not 5: in the lab a receiving process still starting up answered the first packets 5-8 ms
     * late on a 0.06 ms path, startup's own overshoot then read as another flow's queue, and
     * Parley alone kept the tbf full for 5 s. Once a PROBE_RTT has measured the minimum, the
     * recheck comes every 5 s again.
     */
    @Test
    void aVerdictAgainstAMinimumOnlyStartupMeasuredIsRecheckedWithinASecond() {
        CompetitorDetector d = new CompetitorDetector();
        long coldMin = 7 * MS;
        long now = 1_000 * MS;
        d.startEpochs();
        assertThat(d.cycleEndedSaysCompeting(now, coldMin)).isFalse(); // the first epoch begins
        d.onRtt(30 * MS);
        now += 256 * MS;
        assertThat(d.cycleEndedSaysCompeting(now, coldMin)).isTrue();
        assertThat(d.recheckDue(now + 999 * MS)).isFalse();
        assertThat(d.recheckDue(now + 1_000 * MS)).isTrue();
        now += 1_200 * MS; // the recheck's PROBE_RTT: the path is empty, the queue was ours
        d.onRecheck(now, MS / 10, MS / 10);
        d.onMinProbed();
        assertThat(d.competing()).isFalse();
        d.onRtt(30 * MS); // a real competitor later, judged against the probed minimum
        now += 256 * MS;
        assertThat(d.cycleEndedSaysCompeting(now, MS / 10)).isTrue();
        assertThat(d.recheckDue(now + 4_999 * MS)).isFalse();
        assertThat(d.recheckDue(now + 5_000 * MS)).isTrue();
    }
}
