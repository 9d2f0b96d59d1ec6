package parley.core.reliable;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.core.reliable.CongestionControllerTest.MS;

/**
 * The controller sharing the lab's tbf bottleneck (50 ms drop-tail queue) with TCP CUBIC flows
 * ({@link TcpCompetitor}) on synthetic time, as the lab's shared phase runs: all flows start
 * together, 3 s of warm-up, Jain's index over the goodputs of the next 10 s. This model agrees with
 * the kernel lab, which the model without a competitor could not: the code of round 3 (NewReno
 * competing mode, the full-queue signal re-armed at once) got 3.1 of 19 Mbit/s here against one
 * CUBIC flow (Jain 0.68; two flows 0.90, +40 ms 0.87), and 4.1-4.8 in the lab against real CUBIC
 * (Jain 0.76-0.81); with CUBIC growth and one cut per episode but the loss at the top of a climb
 * still cutting again, 4.9 here (0.80) and 4.1-5.1 in the lab (0.76-0.83). CC_TRACE=1 prints the
 * controller's state every 100 ms and each figure.
 */
class SharingWithCubicTest {
    static final long RATE_20 = 2_500_000;

    /** Jain's index and the shares of Parley and the TCP flows, after {@code seconds} of sharing. */
    static double[] share(long rate, long oneWay, int tcpFlows, int seconds) {
        return share(rate, oneWay, tcpFlows, seconds, 0);
    }

    /** As above, the TCP flows running alone for {@code headStart} nanoseconds before Parley starts. */
    static double[] share(long rate, long oneWay, int tcpFlows, int seconds, long headStart) {
        SyntheticLink link = CongestionControllerTest.labLink(rate, oneWay);
        TcpCompetitor[] tcp = new TcpCompetitor[tcpFlows];
        for (int i = 0; i < tcpFlows; i++) {
            tcp[i] = link.competitor();
        }
        link.run(link.now + headStart);
        CongestionControllerTest.bulk(link, 3000 * MS); // warm-up
        long p0 = link.b.recorder.messages.size() * 1000L;
        long[] t0 = new long[tcpFlows];
        for (int i = 0; i < tcpFlows; i++) {
            t0[i] = tcp[i].delivered;
        }
        CongestionController cc = link.a.session.congestion();
        for (int i = 0; i < seconds * 10; i++) {
            CongestionControllerTest.bulk(link, 100 * MS);
            if (System.getenv("CC_TRACE") != null) {
                System.out.printf("t=%d %s%s win %d infl %d bw %.1f pace %.1f minRtt %.1f cuts %d | tcp cuts %d, drops %d%n",
                        i, cc.state(), cc.competing() ? " C" : "", cc.window(), cc.bytesInFlight(), cc.bandwidth() * 8 / 1e6,
                        cc.pacingRate() * 8 / 1e6, cc.minRtt() / 1e6, cc.reductions(), tcp[0].cuts, link.a.queueDrops);
            }
        }
        double[] x = new double[tcpFlows + 1];
        x[0] = link.b.recorder.messages.size() * 1000L - p0;
        for (int i = 0; i < tcpFlows; i++) {
            x[i + 1] = tcp[i].delivered - t0[i];
        }
        double sum = 0;
        double squares = 0;
        for (double v : x) {
            sum += v;
            squares += v * v;
        }
        double[] result = new double[x.length + 1];
        result[0] = sum * sum / (x.length * squares);
        for (int i = 0; i < x.length; i++) {
            result[i + 1] = x[i] * 8 / 1e6 / seconds;
        }
        return result;
    }

    @Test
    void againstOneCubicFlowAtTwentyMegabits() {
        double[] r = share(RATE_20, 125_000, 1, 10);
        trace("20 Mbit/s, 1 CUBIC: Jain %.3f, Parley %.1f, TCP %.1f Mbit/s%n", r[0], r[1], r[2]);
        assertThat(r[0]).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void againstTwoCubicFlowsAtTwentyMegabits() {
        double[] r = share(RATE_20, 125_000, 2, 10);
        trace("20 Mbit/s, 2 CUBIC: Jain %.3f, Parley %.1f, TCP %.1f + %.1f Mbit/s%n", r[0], r[1], r[2], r[3]);
        assertThat(r[0]).isGreaterThanOrEqualTo(0.9);
    }

    /**
     * With 40 ms of RTT the target (0.9) is not met on this model either: 0.89 here (Parley 6.2 of
     * 19 Mbit/s); what the test holds is that neither flow starves, as NewReno's competing mode did
     * against BBR in the lab (4 of 100 Mbit/s).
     */
    @Test
    void againstOneCubicFlowWithFortyMillisecondsOfRttNeitherStarves() {
        double[] r = share(RATE_20, 20 * MS, 1, 10);
        trace("20 Mbit/s +40 ms, 1 CUBIC: Jain %.3f, Parley %.1f, TCP %.1f Mbit/s%n", r[0], r[1], r[2]);
        assertThat(r[0]).isGreaterThanOrEqualTo(0.8);
    }

    /**
     * The lab's failing shape at 100 Mbit/s: the CUBIC flow fills the queue for 3 s before Parley
     * starts, so Parley's minimum RTT holds that queue (21 ms here). On this model the competitor
     * detector still sees the flow, as the CUBIC sawtooth takes the RTT past its threshold (Jain
     * 0.913, Parley 33 of 96 Mbit/s); in the lab it sometimes did not, and a standing-queue
     * ceiling held Parley at its floor (PERFORMANCE.md, round 7).
     */
    @Test
    void againstOneCubicFlowThatHeldTheQueueBeforeParleyStarted() {
        double[] r = share(12_500_000, MS / 20, 1, 10, 3000 * MS);
        trace("100 Mbit/s, 1 CUBIC first: Jain %.3f, Parley %.1f, TCP %.1f Mbit/s%n", r[0], r[1], r[2]);
        assertThat(r[0]).isGreaterThanOrEqualTo(0.9);
    }

    /**
     * The lab's shape at 100 Mbit/s + 40 ms: the CUBIC flow starts first (by a JVM's start-up, or
     * long enough to fill the queue), so Parley's startup measures a minimum RTT that holds that
     * flow's queue (73 ms here). Startup's congested verdict asked for RTTs half that minimum above
     * it, 110 ms, past what the 50 ms queue can hold, so startup paced at up to 288 Mbit/s until
     * its estimate stopped growing, and the CUBIC flow was cut 10 times in 1.5 s and left with 20
     * of 96 Mbit/s (Jain 0.781 and 0.756 over 10 s). With the floor alone in startup (10 ms), Jain
     * 0.914 and 1.000.
     */
    @Test
    void againstOneCubicFlowThatStartedFirstOnAFortyMillisecondPath() {
        for (long head : new long[] {1000 * MS, 3000 * MS}) {
            double[] r = share(12_500_000, 20 * MS, 1, 10, head);
            trace("100 Mbit/s +40 ms, 1 CUBIC %d ms first: Jain %.3f, Parley %.1f, TCP %.1f Mbit/s%n", head / MS, r[0], r[1], r[2]);
            assertThat(r[0]).as("CUBIC %d ms first", head / MS).isGreaterThanOrEqualTo(0.9);
        }
    }

    private static void trace(String format, Object... args) {
        if (System.getenv("CC_TRACE") != null) {
            System.out.printf(format, args);
        }
    }
}
