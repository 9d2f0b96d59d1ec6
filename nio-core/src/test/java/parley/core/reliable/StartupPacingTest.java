package parley.core.reliable;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Startup's pacing before the first bandwidth sample, on synthetic time. In the lab, on a host
 * with no idle CPU, a session's first RTT sample came from a peer JVM that had not run for a
 * while (minimum RTT 169-332 ms at first on a 0.1 ms or 40 ms path); startup paced at window /
 * smoothed RTT, and the smoothed RTT, which forgets a sample by 1/8 per sample, held the rate at
 * 0.1 Mbit/s or less with nothing in flight for 7-8 s of a 13 s phase (traced twice in 16
 * phases). The path's minimum RTT, which the next good sample sets, paces it instead.
 */
class StartupPacingTest {
    static final long MS = 1_000_000;

    @Test
    void aFirstRttSampleFromAStalledPeerDoesNotHoldStartupsRateDown() {
        CongestionController cc = new CongestionController(12_000, 9_600, 1200);
        long now = 0;
        cc.onSent(1200, 0, now);
        now += 3000 * MS; // the peer's JVM did not run for 3 s
        cc.onRttSample(3000 * MS, 3000 * MS, now);
        cc.onAcked(1200, 0, 0, now);
        // The next packets see the path as it is: 1 ms.
        long smoothed = 3000 * MS;
        for (long pn = 1; pn <= 4; pn++) {
            cc.onSent(1200, pn, now);
            now += MS;
            smoothed = (7 * smoothed + MS) / 8;
            cc.onRttSample(MS, smoothed, now);
            cc.onAcked(1200, now - MS, pn, now);
        }
        // Window / minimum RTT at startup's gain is about 50 MB/s; at the smoothed RTT (1.8 s) it is 19 kB/s.
        assertThat(cc.pacingRate()).isGreaterThanOrEqualTo(1_000_000);
    }
}
