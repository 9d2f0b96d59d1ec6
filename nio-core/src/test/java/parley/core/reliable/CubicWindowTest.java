package parley.core.reliable;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The competing mode's window grows as TCP CUBIC's (RFC 9438) on synthetic time: after a cut it
 * regains its former maximum in CUBIC's time K, whatever the RTT, as the CUBIC flows it shares a
 * queue with do; and where CUBIC's curve is slower than Reno's (short RTTs), at Reno's rate.
 */
class CubicWindowTest {
    static final long MS = 1_000_000;
    static final int MSS = 1200;

    /**
     * A window-limited flow at {@code rtt}: each round trip, what the window allows is sent and
     * acknowledged one RTT later, packet by packet. Returns the time it reached {@code target}, or -1.
     */
    static long roundTripsUntil(CubicWindow w, long start, long rtt, long duration, long target) {
        for (long now = start + rtt; now <= start + duration; now += rtt) {
            long flight = w.window();
            for (long acked = 0; acked < flight; acked += MSS) {
                w.onAcked(MSS, now - rtt, now, rtt);
            }
            if (w.window() >= target) {
                return now - start;
            }
        }
        return -1;
    }

    @Test
    void afterACutAtFortyMillisecondsItRegainsItsFormerWindowInCubicsTimeNotOnePacketPerRoundTrip() {
        CubicWindow w = new CubicWindow(8 * MSS, MSS);
        long before = 800L * MSS; // 100 Mbit/s x (40 ms + 50 ms of queue): the window at the loss
        w.restart(before, 0);
        w.reduce(0, CubicWindow.BETA_PERCENT);
        assertThat(w.window()).isEqualTo(before * 70 / 100);
        // CUBIC's K = cbrt(800 x 0.3 / 0.4) = 8.4 s. One packet per 40 ms from 560 would take 9.6 s,
        // from NewReno's 400 (its half), 16 s.
        long regained = roundTripsUntil(w, 0, 40 * MS, 12_000 * MS, before);
        assertThat(regained).isBetween(8_000 * MS, 9_000 * MS);
    }

    @Test
    void atAShortRoundTripItGrowsAtLeastAsFastAsRenoWouldWithTheSameCut() {
        CubicWindow w = new CubicWindow(8 * MSS, MSS);
        long before = 100L * MSS;
        w.restart(before, 0);
        w.reduce(0, CubicWindow.BETA_PERCENT);
        // At 1 ms, CUBIC's curve needs K = 4.2 s to regain 100 packets; Reno-friendly growth
        // (0.53 packets per round trip, then 1 above the old window) gets there in 60 round trips.
        long regained = roundTripsUntil(w, 0, 1 * MS, 1_000 * MS, before);
        assertThat(regained).isPositive().isLessThanOrEqualTo(80 * MS);
    }

    @Test
    void packetsSentBeforeTheCutDoNotGrowIt() {
        CubicWindow w = new CubicWindow(8 * MSS, MSS);
        w.restart(100L * MSS, 0);
        w.reduce(100 * MS, CubicWindow.BETA_PERCENT);
        long cut = w.window();
        for (int i = 0; i < 100; i++) {
            w.onAcked(MSS, 90 * MS, 120 * MS, 10 * MS);
        }
        assertThat(w.window()).isEqualTo(cut);
    }

    @Test
    void inSlowStartEveryAcknowledgedByteGrowsIt() {
        CubicWindow w = new CubicWindow(8 * MSS, MSS);
        w.restart(10L * MSS, 0);
        assertThat(w.inSlowStart()).isTrue();
        w.onAcked(MSS, 1 * MS, 2 * MS, 1 * MS);
        assertThat(w.window()).isEqualTo(11L * MSS);
    }
}
