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
     * which in the lab and on the synthetic link left 4-5 of 19 Mbit/s to Parley.
     */
    @Test
    void aClimbThatTheFullQueueSignalCutAndThatThenOverflowsCutsOnce() {
        // Two climbs; the signal fires on the second only (the first begins while it is still
        // disarmed by the standing queue it cut for on entering competing mode), so the first
        // overflow cuts as a loss and the second is the climb's own. Before: 4 cuts against 2.
        assertThat(cutsOnClimbs(true)).isEqualTo(cutsOnClimbs(false) + 1);
    }

    /**
     * A standing queue (RTT 40 ms) from 1 s; from 3 s, every second the queue climbs to 60 ms for
     * 300 ms and, if {@code overflow}, loses every packet sent in its last 50 ms.
     */
    private static long cutsOnClimbs(boolean overflow) {
        return climbs(overflow).reductions();
    }

    /** The bench's trace tells the cuts on our losses from the full-queue signal's. */
    @Test
    void theCutsOnOurLossesAreCountedApart() {
        assertThat(climbs(false).lossCuts()).isZero();
        CongestionController cc = climbs(true);
        assertThat(cc.lossCuts()).isEqualTo(1); // the first overflow (see above); the signal made the rest
        assertThat(cc.reductions()).isGreaterThan(cc.lossCuts());
    }

    private static CongestionController climbs(boolean overflow) {
        CongestionController cc = new CongestionController(120_000, 9_600, 1200);
        CongestionControllerTest.drive(cc, new Random(1), 5000 * MS,
                sentAt -> sentAt < 1000 * MS ? 10 * MS
                        : sentAt >= 3000 * MS && sentAt % (1000 * MS) < 300 * MS ? 60 * MS : 40 * MS,
                sentAt -> overflow && sentAt >= 3000 * MS && sentAt % (1000 * MS) >= 250 * MS
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
