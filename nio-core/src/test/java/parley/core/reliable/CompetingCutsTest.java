package parley.core.reliable;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Competing mode cuts once per congestion episode, as TCP does in recovery: losses of packets
 * sent before the last cut, which the cut already answered, do not cut again. Driven on
 * synthetic time with {@link CongestionControllerTest#drive}.
 */
class CompetingCutsTest {
    static final long MS = 1_000_000;

    @Test
    void oneOverflowThatLosesABurstAcrossTwoRoundsCutsOnce() {
        long steady = cutsWithBurst(0);
        // 35 ms of packets lost (RTT 40 ms): their losses are found over two rounds. Before, each
        // of those rounds cut (0.7 x 0.7 of the window for one overflow).
        assertThat(cutsWithBurst(35 * MS)).isEqualTo(steady + 1);
    }

    @Test
    void twoOverflowsASecondApartCutTwice() {
        long steady = cutsWithBurst(0);
        assertThat(cutsWithBursts(20 * MS, 2)).isEqualTo(steady + 2);
    }

    /**
     * The queue climbs to full (the full-queue signal cuts) and then overflows at the top of the
     * same climb (our packets are lost): one episode, as for the CUBIC flow whose loss the signal
     * stands for. Before, the loss cut again: two cuts per climb against the other flow's one,
     * which in the lab and on the synthetic link left 4-5 of 19 Mbit/s to Parley. The climbs come
     * at 9 and 10 s, when our window has long grown back to where the cut on entering competing
     * mode found it.
     */
    @Test
    void aClimbThatTheFullQueueSignalCutAndThatThenOverflowsCutsOnce() {
        // The signal fires on the second climb only (the first begins while it is still disarmed
        // by the standing queue it cut for on entering competing mode), so the first overflow
        // cuts as a loss and the second is the climb's own. Before: 4 cuts against 2.
        long signalOnly = climbs(false, 9000 * MS, 11000 * MS).reductions();
        assertThat(signalOnly).isEqualTo(2); // entering competing mode, and the second climb
        assertThat(climbs(true, 9000 * MS, 11000 * MS).reductions()).isEqualTo(signalOnly + 1);
    }

    /**
     * Climbs that come before our window has grown back to where the last cut found it are the
     * other flow's probing, not a loss of ours at the top of our own curve: the signal does not
     * cut for them, but a loss of ours in them does, as for any CUBIC flow. Before, every climb
     * cut, about once a second against one CUBIC flow at 20 Mbit/s (lab, PERFORMANCE.md round 11),
     * where the CUBIC flow cut once in 4-5 s, and Parley kept a third of the link.
     */
    @Test
    void climbsBeforeOurWindowRegrewCutOnlyOnOurLosses() {
        assertThat(climbs(false, 3000 * MS, 5000 * MS).reductions()).isEqualTo(1); // entering competing mode
        CongestionController cc = climbs(true, 3000 * MS, 5000 * MS);
        assertThat(cc.reductions()).isEqualTo(3);
        assertThat(cc.lossCuts()).isEqualTo(2); // the bench's trace tells them from the signal's
    }

    /**
     * A standing queue (RTT 40 ms) from 1 s; from {@code from} to {@code until}, every second
     * the queue climbs to 60 ms for 300 ms and, if {@code overflow}, loses every packet sent in
     * its last 50 ms.
     */
    private static CongestionController climbs(boolean overflow, long from, long until) {
        CongestionController cc = new CongestionController(120_000, 9_600, 1200);
        CongestionControllerTest.drive(cc, new Random(1), until,
                sentAt -> sentAt < 1000 * MS ? 10 * MS
                        : sentAt >= from && sentAt % (1000 * MS) < 300 * MS ? 60 * MS : 40 * MS,
                sentAt -> overflow && sentAt >= from && sentAt % (1000 * MS) >= 250 * MS
                        && sentAt % (1000 * MS) < 300 * MS ? 1 : 0);
        assertThat(cc.competing()).isTrue();
        return cc;
    }

    private static long cutsWithBurst(long burst) {
        return cutsWithBursts(burst, 1);
    }

    /**
     * A second alone on a 10 ms path, then a loss-based flow's standing queue (RTT 40 ms); from
     * 3 s, {@code bursts} overflows a second apart, each losing every packet sent for {@code burst}.
     */
    private static long cutsWithBursts(long burst, int bursts) {
        CongestionController cc = new CongestionController(120_000, 9_600, 1200);
        CongestionControllerTest.drive(cc, new Random(1), (3000 + 1000L * bursts) * MS,
                sentAt -> sentAt < 1000 * MS ? 10 * MS : 40 * MS,
                sentAt -> sentAt >= 3000 * MS && (sentAt - 3000 * MS) % (1000 * MS) < burst ? 1 : 0);
        assertThat(cc.competing()).isTrue();
        return cc.reductions();
    }
}
