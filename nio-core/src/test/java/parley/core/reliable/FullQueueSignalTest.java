package parley.core.reliable;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Competing mode against loss-based flows whose bursts take the tail drops: our own packets are
 * never lost, but each time the shared queue fills up (the RTT climbs to the highest seen) the
 * loss window is cut, as the other flows' windows are by their losses. Driven on synthetic time.
 */
class FullQueueSignalTest {
    static final long MS = 1_000_000;

    @Test
    void whenTheSharedQueueFillsUpTheLossWindowIsCutThoughNoPacketOfOursWasLost() {
        long steady = reductionsWhile(false);
        long overflowing = reductionsWhile(true);
        // A climb to the full line every 200 ms for 11 s; a climb counts only after a whole round
        // below the re-arm line and once our window has grown back to where the last cut found
        // it (a few seconds at this window). Before the signal, competing mode cut only on its
        // own losses: none.
        assertThat(overflowing).isGreaterThanOrEqualTo(steady + 2);
    }

    /**
     * Climbs come every 200 ms, far faster than our window grows back after a cut: they cut once
     * per regrowth, as a CUBIC flow that meets the overflow at the top of its curve, not once per
     * climb. Before, with 5 climbs a second, the signal cut on nearly every one (lab: about once
     * a second against one CUBIC flow at 20 Mbit/s, Parley with a third of the link).
     */
    @Test
    void climbsFasterThanOurWindowRegrowsCutOncePerRegrowth() {
        long cuts = reductionsWhile(true) - reductionsWhile(false);
        assertThat(cuts).isLessThanOrEqualTo(4); // of 55 climbs; without the rule, 52
    }

    /**
     * The other flow holds the queue full (RTT 60 ms); it cut once, at 3.2 s (a drain to 40 ms
     * for 200 ms), and from then on only our own cuts drain the queue, for 150 ms after each (3
     * rounds). The climbs after our own drains are ours to answer only at the top of our own
     * curve, once per regrowth. Counting every climb, each such drain re-armed the signal and the
     * next round cut again (lab: about once a second against one CUBIC flow at 20 Mbit/s, Parley
     * with a third of the link).
     */
    @Test
    void drainsOfOurOwnCutsDoNotCutAgainBeforeOurWindowRegrew() {
        assertThat(cutsWhenOnlyOurCutsDrain()).isLessThanOrEqualTo(6); // in 14 s: 4; counting every climb, 20
    }

    private static long cutsWhenOnlyOurCutsDrain() {
        CongestionController cc = new CongestionController(120_000, 9_600, 1200);
        long[] seen = {0, 0}; // {cuts seen, drained until}
        CongestionControllerTest.drive(cc, new Random(1), 14000 * MS, sentAt -> {
            if (sentAt < 1000 * MS) {
                return 10 * MS;
            }
            if (cc.reductions() != seen[0]) {
                seen[0] = cc.reductions();
                seen[1] = sentAt + 150 * MS;
            }
            if (sentAt < 3000 * MS) {
                return 45 * MS;
            }
            return sentAt < 3200 * MS ? 60 * MS : sentAt < 3400 * MS || sentAt < seen[1] ? 40 * MS : 60 * MS;
        }, sentAt -> 0);
        assertThat(cc.competing()).isTrue();
        return cc.reductions();
    }

    @Test
    void aQueueThatStaysFullCostsOneCutNotOneARound() {
        assertThat(reductionsWhile(false)).isLessThanOrEqualTo(2);
    }

    /**
     * A full queue that jitters about the full line (an unpaced flow's bursts at its plateau) is
     * one episode: only a drain as deep as a cut's makes the next climb count. Before, every
     * round back under the line re-armed it, and it fired every other round.
     */
    @Test
    void jitterAboutTheFullLineIsOneEpisodeUntilTheQueueDrainsAsACutDrainsIt() {
        FullQueueSignal signal = new FullQueueSignal();
        long min = 1 * MS;
        int fired = 0;
        for (int round = 0; round < 20; round++) {
            signal.onRtt(round % 2 == 0 ? 50 * MS : 44 * MS); // full, then just under the 90% line
            fired += signal.roundEnded(min, true) ? 1 : 0;
        }
        assertThat(fired).isEqualTo(1);
        for (int round = 0; round < 2; round++) { // the holder cut: the queue falls to 60% and climbs again
            signal.onRtt(round == 0 ? 30 * MS : 50 * MS);
            fired += signal.roundEnded(min, true) ? 1 : 0;
        }
        assertThat(fired).isEqualTo(2);
    }

    /**
     * While the controller may not let it fire (competing mode, our window not yet grown back to
     * where the last cut found it), a climb to the full line stays pending: the signal stays
     * armed, and fires in the first round that may, if the queue is still full then.
     */
    @Test
    void aClimbThatMayNotFireYetStaysPendingAndFiresOnceItMay() {
        FullQueueSignal signal = new FullQueueSignal();
        long min = 1 * MS;
        signal.onRtt(50 * MS);
        assertThat(signal.roundEnded(min, false)).isFalse();
        assertThat(signal.armed()).isTrue();
        signal.onRtt(49 * MS);
        assertThat(signal.roundEnded(min, true)).isTrue();
        assertThat(signal.armed()).isFalse();
        signal.onRtt(49 * MS);
        assertThat(signal.roundEnded(min, true)).isFalse(); // the same climb
    }

    /**
     * A second alone on a 10 ms path; then a loss-based flow holds a standing queue of 30 ms (RTT
     * 40 ms) for 14 seconds; from 3 s the queue also climbs to full every 200 ms for 40 ms
     * (RTT 60 ms) if {@code overflows}. No packet of ours is ever lost. Returns the cuts.
     */
    private static long reductionsWhile(boolean overflows) {
        CongestionController cc = new CongestionController(120_000, 9_600, 1200);
        CongestionControllerTest.drive(cc, new Random(1), 14000 * MS, sentAt -> {
            if (sentAt < 1000 * MS) {
                return 10 * MS;
            }
            boolean full = overflows && sentAt >= 3000 * MS && sentAt % (200 * MS) < 40 * MS;
            return full ? 60 * MS : 40 * MS;
        }, sentAt -> 0);
        assertThat(cc.competing()).isTrue();
        return cc.reductions();
    }
}
