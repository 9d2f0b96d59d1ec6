package parley.core.reliable;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Competing mode restarts in slow start, and slow start ends where the shared queue is full, as
 * HyStart ends Linux CUBIC's on the delay, without waiting for the overflow. Since the full-queue
 * signal cuts only on the fall after a full queue (round 6), nothing else ended it before our own
 * packets were lost: on the synthetic link a restart grew from 237 to 663 KB in half a second
 * into a queue that was already full. Driven on synthetic time with
 * {@link CongestionControllerTest#drive}, which sends 24 MB/s whatever the window: in slow start
 * every ack would grow the window by its bytes, 24 MB a second.
 */
class CompetingSlowStartTest {
    static final long MS = 1_000_000;

    /**
     * A second alone on a 10 ms path, then a loss-based flow's queue, full from the start (RTT
     * 40 ms, the highest seen since the switch), for two seconds. No packet is lost, and the queue
     * never falls, so nothing cuts.
     */
    @Test
    void aRestartIntoAQueueThatIsAlreadyFullDoesNotSlowStart() {
        CongestionController cc = new CongestionController(120_000, 9_600, 1200);
        CongestionControllerTest.drive(cc, new Random(1), 3000 * MS,
                sentAt -> sentAt < 1000 * MS ? 10 * MS : 40 * MS, sentAt -> 0);
        assertThat(cc.competing()).isTrue();
        assertThat(cc.reductions()).isZero();
        // on CUBIC's curve it grows a few KB a second from where it restarted; slow start: MBs
        assertThat(cc.window()).isLessThan(2_000_000);
    }
}
