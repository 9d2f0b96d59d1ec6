package parley.core.reliable;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.core.reliable.CongestionControllerTest.MS;

/**
 * Parley alone at the lab's 20 Mbit/s with 40 ms of RTT, its receiver stalling 2 ms in every 10
 * (its acks leave bunched, and the highest delivery-rate samples read a few percent over the
 * link), as in the kernel lab where acks pass the NFQUEUE delay program. The estimate's overshoot
 * queues a few ms a phase; before round 8 the queue grew from under the standing-queue allowance
 * (a quarter of the minimum RTT, 10 ms) to past the competitor detector's threshold (20 ms)
 * between two cycles, and the flow spent 11 of 20 s in competing mode with a median queue of
 * 23.9 ms. Now the queue is caught at the end of the phase it passes half the threshold in
 * ({@link StandingQueue#phaseEnded}): no competing mode, a median queue of 2.4 ms, and 94% of
 * the link.
 */
class OwnQueueAtLongRttTest {
    @Test
    void aloneAtFortyMillisecondsTheFlowsOwnQueueNeverPassesForACompetitors() {
        SyntheticLink link = CongestionControllerTest.labLink(2_500_000, 20 * MS).receiverStalls(10 * MS, 2 * MS);
        CongestionController cc = link.a.session.congestion();
        CongestionControllerTest.bulk(link, 3000 * MS); // warm-up: startup's queue
        link.a.queueDelays.clear();
        long delivered = link.b.recorder.messages.size();
        boolean everCompeting = false;
        for (int i = 0; i < 170; i++) {
            CongestionControllerTest.bulk(link, 100 * MS);
            everCompeting |= cc.competing();
        }
        List<Long> delays = new ArrayList<>(link.a.queueDelays);
        Collections.sort(delays);
        long median = delays.get(delays.size() / 2);
        long bytesPerSecond = (link.b.recorder.messages.size() - delivered) * 1000L * 10 / 170;
        assertThat(everCompeting).isFalse();
        assertThat(median).as("median queue, ns").isLessThan(StandingQueue.allowance(40 * MS));
        assertThat(bytesPerSecond).as("message bytes per second").isGreaterThan(2_500_000L * 85 / 100);
    }
}
