package parley.core.reliable;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model-based controller on synthetic time: alone at a drop-tail bottleneck it fills the link
 * with a short queue, random loss does not slow it, a queue overflow cuts its estimate, a
 * loss-based competitor's standing queue switches it to the loss window and back, and the session
 * waits for the pacer on its timer rather than sending the window at once.
 */
class CongestionControllerTest {
    static final long MS = 1_000_000;
    /** 20 Mbit/s, the lab's smaller bottleneck. */
    static final long LINK_RATE = 2_500_000;

    @Test
    void aloneAtATbfBottleneckItFillsTheLinkAndKeepsTheQueueShort() {
        SyntheticLink link = labLink(LINK_RATE, 5 * MS);
        bulk(link, 3000 * MS);
        long before = link.b.recorder.messages.size();
        int delaysBefore = link.a.queueDelays.size();
        bulk(link, 1000 * MS);
        long delivered = (link.b.recorder.messages.size() - before) * 1000L;
        CongestionController cc = link.a.session.congestion();
        assertThat(cc.state()).isIn(CongestionController.State.PROBE_BW, CongestionController.State.PROBE_RTT);
        assertThat(cc.competing()).isFalse();
        assertThat(cc.bandwidth()).isBetween(LINK_RATE * 85 / 100, LINK_RATE * 115 / 100);
        // Message bytes over a second of a link that also carries headers: 90% of its rate.
        assertThat(delivered).isGreaterThanOrEqualTo(LINK_RATE * 90 / 100);
        // The lab's target: queueing well within the idle RTT plus a packet's serialization.
        long p99 = percentile(link.a.queueDelays.subList(delaysBefore, link.a.queueDelays.size()), 99);
        assertThat(p99).isLessThanOrEqualTo(10 * MS);
    }

    @Test
    void theSameAtOneHundredMegabitsAndTheLoopsTimerFloor() {
        long rate = 12_500_000;
        SyntheticLink link = labLink(rate, MS / 4);
        bulk(link, 2000 * MS);
        long before = link.b.recorder.messages.size();
        bulk(link, 1000 * MS);
        long delivered = (link.b.recorder.messages.size() - before) * 1000L;
        assertThat(delivered).isGreaterThanOrEqualTo(rate * 90 / 100);
        assertThat(link.a.session.congestion().competing()).isFalse();
    }

    /**
     * The lab's receiving JVM on a loaded host: descheduled 10 ms out of every 40, its acks then
     * leave in a bunch. A window of twice the product at the path's 0.25 ms RTT (its 2 ms floor)
     * empties within a stall and the link idles; TCP's acks come from the kernel, which does not
     * stall. The window must also hold what arrives in a bunch of acks (BBR's ack aggregation).
     */
    @Test
    void aReceiverThatStallsNowAndThenStillGetsTheLinkFilled() {
        long rate = 12_500_000;
        SyntheticLink link = labLink(rate, MS / 8).receiverStalls(40 * MS, 10 * MS);
        bulk(link, 2000 * MS);
        long before = link.b.recorder.messages.size();
        int delaysBefore = link.a.queueDelays.size();
        bulk(link, 1000 * MS);
        long delivered = (link.b.recorder.messages.size() - before) * 1000L;
        assertThat(delivered).isGreaterThanOrEqualTo(rate * 90 / 100);
        assertThat(link.a.session.congestion().competing()).isFalse();
        // The queue the extra window may build stays well inside the tbf's 50 ms.
        long p99 = percentile(link.a.queueDelays.subList(delaysBefore, link.a.queueDelays.size()), 99);
        assertThat(p99).isLessThanOrEqualTo(20 * MS);
    }

    /**
     * The lab with 40 ms of added RTT, where startup overshoots: 2.9 MB in flight into a 0.5 MB
     * pipe and a 0.6 MB queue, and thousands of drops in one burst. That burst left more gaps than
     * the receive stream's 256 held ranges, and the data it could not hold was acknowledged and
     * never resent: the flow stalled for good with nothing in flight (see {@link HeldRangesTest}).
     * Now it recovers and holds the link from the third second on.
     */
    @Test
    void withFortyMillisecondsOfRttTheFlowRecoversFromStartupsOvershootAndFillsTheLink() {
        long rate = 12_500_000;
        SyntheticLink link = labLink(rate, 20 * MS);
        bulk(link, 2000 * MS);
        CongestionController cc = link.a.session.congestion();
        assertThat(cc.bandwidth()).isGreaterThanOrEqualTo(rate * 85 / 100);
        long before = link.b.recorder.messages.size();
        bulk(link, 1000 * MS);
        long delivered = (link.b.recorder.messages.size() - before) * 1000L;
        assertThat(delivered).isGreaterThanOrEqualTo(rate * 90 / 100);
    }

    @Test
    void goodputAtFivePercentRandomLossStaysAtLeastSeventyPercentOfLossless() {
        long lossless = deliveredInASecond(randomLossLink(0));
        SyntheticLink lossy = randomLossLink(0.05);
        long delivered = deliveredInASecond(lossy);
        assertThat(delivered).isGreaterThanOrEqualTo(lossless * 70 / 100);
        assertThat(lossy.a.session.counters().retransmitted()).isPositive();
        assertThat(lossy.a.session.congestion().competing()).isFalse();
    }

    @Test
    void aStandingQueueHeldBySomeoneElseSwitchesToTheLossWindowAndItsDrainSwitchesBack() {
        SyntheticLink link = labLink(LINK_RATE, 5 * MS);
        bulk(link, 2000 * MS);
        CongestionController cc = link.a.session.congestion();
        assertThat(cc.competing()).isFalse();
        // A loss-based flow fills the queue: 30 ms more each way that our own draining never removes.
        link.oneWayNanos += 15 * MS;
        bulk(link, 1000 * MS);
        assertThat(cc.competing()).isTrue();
        // It leaves; the next recheck (a PROBE_RTT) sees the RTT near the minimum again.
        link.oneWayNanos -= 15 * MS;
        bulk(link, CompetitorDetector.RECHECK_NANOS + 1000 * MS);
        assertThat(cc.competing()).isFalse();
    }

    @Test
    void aRoundThatLosesMoreThanTheToleranceEndsStartupAndCutsTheEstimate() {
        CongestionController cc = new CongestionController(120_000, 9_600, 1200);
        long[] nowAndPn = threeStartupRounds(cc);
        overflowingRound(cc, nowAndPn, false);
        assertThat(cc.reductions()).isEqualTo(1);
        assertThat(cc.state()).isNotEqualTo(CongestionController.State.STARTUP);
        assertThat(cc.bytesInFlight()).isZero();
    }

    /**
     * A path-MTU black hole declared while the same round is in flight: the model starts over
     * (STARTUP, no estimate, no ceiling, the initial window), and the losses of what was in flight
     * when it was declared are no congestion verdict's.
     */
    @Test
    void aBlackHoleStartsTheModelOverAndItsLossesAreNoVerdict() {
        CongestionController cc = new CongestionController(120_000, 9_600, 1200);
        long[] nowAndPn = threeStartupRounds(cc);
        overflowingRound(cc, nowAndPn, true);
        assertThat(cc.reductions()).isZero();
        assertThat(cc.state()).isEqualTo(CongestionController.State.STARTUP);
        assertThat(cc.bandwidthCeiling()).isEqualTo(StandingQueue.NONE);
        assertThat(cc.bytesInFlight()).isZero();
    }

    /** Lossless rounds, each twice the last: still starting up. Returns {now, next packet number}. */
    private static long[] threeStartupRounds(CongestionController cc) {
        long now = 0;
        long pn = 0;
        for (int round = 0; round < 3; round++) {
            long first = pn;
            for (int i = 0; i < 25 << round; i++) {
                cc.onSent(1200, pn++, now);
            }
            now += 10 * MS;
            for (long p = first; p < pn; p++) {
                cc.onRttSample(10 * MS, 10 * MS, now);
                cc.onAcked(1200, now - 10 * MS, p, now);
            }
        }
        assertThat(cc.bandwidth()).isPositive();
        assertThat(cc.state()).isEqualTo(CongestionController.State.STARTUP);
        return new long[] {now, pn};
    }

    /** A queue overflows: 45 of a round's 150 are lost, the rest wait 20 ms in it; a black hole is declared first if asked. */
    private static void overflowingRound(CongestionController cc, long[] nowAndPn, boolean blackHole) {
        long now = nowAndPn[0];
        long pn = nowAndPn[1];
        long first = pn;
        for (int i = 0; i < 150; i++) {
            cc.onSent(1200, pn++, now);
        }
        now += 30 * MS;
        if (blackHole) {
            cc.onBlackHole();
            assertThat(cc.state()).isEqualTo(CongestionController.State.STARTUP);
            assertThat(cc.bandwidth()).isZero();
            assertThat(cc.window()).isEqualTo(120_000);
        }
        for (long p = first; p < pn; p++) {
            if (p - first < 45) {
                cc.onLost(1200, p, now);
            } else {
                cc.onRttSample(30 * MS, 20 * MS, now);
                cc.onAcked(1200, now - 30 * MS, p, now);
            }
        }
    }

    @Test
    void randomLossAtOrBelowTheToleranceNeverCountsAsCongestion() {
        CongestionController cc = new CongestionController(120_000, 9_600, 1200);
        Random random = new Random(5);
        long pn = 0;
        long now = 0;
        for (int round = 0; round < 50; round++) {
            long first = pn;
            for (int i = 0; i < 100; i++) {
                cc.onSent(1200, pn++, now);
            }
            now += 10 * MS;
            for (long p = first; p < pn; p++) {
                if (random.nextDouble() < 0.05) {
                    cc.onLost(1200, p, now);
                } else {
                    cc.onRttSample(10 * MS, 10 * MS, now);
                    cc.onAcked(1200, now - 10 * MS, p, now);
                }
            }
        }
        assertThat(cc.reductions()).isZero();
        assertThat(cc.competing()).isFalse();
    }

    @Test
    void manySmallRoundsWithRandomLossAreJudgedTogetherAndNeverCountAsCongestion() {
        CongestionController cc = new CongestionController(12_000, 9_600, 1200);
        Random random = new Random(11);
        long pn = 0;
        long now = 0;
        for (int round = 0; round < 20_000; round++) { // 8-packet rounds, as a paced flow on loopback has
            long first = pn;
            for (int i = 0; i < 8; i++) {
                cc.onSent(1200, pn++, now);
            }
            now += 50_000;
            for (long p = first; p < pn; p++) {
                if (random.nextDouble() < 0.05) {
                    cc.onLost(1200, p, now);
                } else {
                    cc.onAcked(1200, now - 50_000, p, now);
                }
            }
        }
        assertThat(cc.reductions()).isZero(); // judged alone, 3 of 8 lost happens in ~0.6% of rounds
    }

    @Test
    void twentyPercentRandomLossWithNoQueueDoesNotCollapseTheRate() {
        // A flow sending 24 MB/s on a 10 ms path whose RTT never rises above its minimum (no queue
        // anywhere) loses a fifth of its packets at random, as LossyChannelTest's link does.
        CongestionController cc = new CongestionController(120_000, 9_600, 1200);
        drive(cc, new Random(20), 3000 * MS, sentAt -> 10 * MS, sentAt -> 0.20);
        // 80% of 24 MB/s is delivered: the estimate must stay near 19.2 MB/s, not be cut again and again.
        assertThat(cc.reductions()).isZero();
        assertThat(cc.bandwidth()).isGreaterThanOrEqualTo(15_000_000);
    }

    @Test
    void theSameLossWhileTheRttClimbsIsAQueueOverflowingAndCutsTheEstimate() {
        CongestionController cc = new CongestionController(120_000, 9_600, 1200);
        // A second lossless, then a queue builds (the RTT climbs from 10 to 70 ms) and overflows.
        long start = 1000 * MS;
        drive(cc, new Random(20), 2500 * MS,
                sentAt -> 10 * MS + Math.min(60 * MS, Math.max(0, sentAt - start) / 10),
                sentAt -> sentAt < start ? 0 : 0.20);
        assertThat(cc.reductions()).isPositive();
    }

    @Test
    void twentyPercentRandomLossOnAnUncongestedLinkKeepsMostOfTheLosslessRate() {
        long lossless = deliveredInASecond(randomLossLink(0));
        SyntheticLink lossy = randomLossLink(0.20);
        long delivered = deliveredInASecond(lossy);
        // Before loss needed a queue to count, the estimate was cut 15 times in this second and 26%
        // of the lossless rate arrived; now 54% (startup's own overflow of the 100-packet queue
        // still cuts it, rightly, twice).
        assertThat(delivered).isGreaterThanOrEqualTo(lossless * 40 / 100);
    }

    @Test
    void aFewLossesInASmallRoundAreNotCongestion() {
        CongestionController cc = new CongestionController(12_000, 9_600, 1200);
        for (int pn = 0; pn < 10; pn++) {
            cc.onSent(1200, pn, 0);
        }
        cc.onLost(1200, 0, 1);
        cc.onLost(1200, 1, 1);
        for (int pn = 2; pn < 10; pn++) {
            cc.onAcked(1200, 0, pn, 1);
        }
        assertThat(cc.reductions()).isZero(); // 2 of 10 is over 10%, but two drops are too few to tell
    }

    @Test
    void dataHeldBackByThePacerWaitsForTheTimerNotForAnAck() {
        SyntheticLink link = labLink(LINK_RATE, 5 * MS);
        bulk(link, 1000 * MS);
        ReliableSession a = link.a.session;
        // Queue more than the pacer lets go now; flush sends a burst, then the pacer holds the rest.
        ByteBuffer message = ByteBuffer.allocate(1000);
        while (a.send(message.clear()) != ReliableSession.REFUSED) {
            // fill the send buffer
        }
        a.flush(link.now);
        CongestionController cc = a.congestion();
        if (cc.canSend(1200)) {
            assertThat(cc.pacingAllows(link.now)).isFalse();
            assertThat(a.nextDeadline()).isEqualTo(cc.nextSendTime());
            assertThat(cc.nextSendTime()).isGreaterThan(link.now);
        }
        int sent = link.a.sent.size();
        link.run(a.nextDeadline());
        assertThat(link.a.sent.size()).isGreaterThan(sent);
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** The kernel lab in miniature: a tbf with a 50 ms byte queue on a to b only. */
    static SyntheticLink labLink(long rate, long oneWay) {
        ReliableConfig config = new ReliableConfig();
        config.receiveWindow = 4 * 1024 * 1024;
        config.sendBuffer = 4 * 1024 * 1024;
        config.maxMessage = 64 * 1024;
        return new SyntheticLink(config, oneWay).tbf(rate, 50 * MS);
    }

    /** The older test's link: 10 MB/s, 100-datagram queue both ways, 10 ms RTT, random loss both ways. */
    private static SyntheticLink randomLossLink(double loss) {
        ReliableConfig config = new ReliableConfig();
        config.receiveWindow = 1024 * 1024;
        config.sendBuffer = 1024 * 1024;
        config.maxMessage = 64 * 1024;
        SyntheticLink link = new SyntheticLink(config, 5 * MS).bottleneck(10_000_000, 100);
        Random random = new Random(42);
        link.a.dropIf = pn -> random.nextDouble() < loss;
        link.b.dropIf = pn -> random.nextDouble() < loss;
        return link;
    }

    private static long deliveredInASecond(SyntheticLink link) {
        bulk(link, 1000 * MS);
        assertThat(link.a.session.isDead()).isFalse();
        return link.b.recorder.messages.size() * 1000L;
    }

    /** Keeps a's send buffer full of 1000-byte messages for {@code duration} of synthetic time. */
    static void bulk(SyntheticLink link, long duration) {
        ByteBuffer message = ByteBuffer.allocate(1000);
        long end = link.now + duration;
        while (link.now < end) {
            while (link.a.session.send(message.clear()) != ReliableSession.REFUSED) {
                // fill the send buffer
            }
            link.a.session.flush(link.now);
            link.run(link.now + MS);
        }
    }

    /**
     * Drives a controller directly: a packet of 1200 bytes every 50 us (24 MB/s) whatever the
     * controller says, each acked (or, with the given chance, lost) one RTT after it left, the RTT
     * and the loss chance being functions of the send time. RTT samples carry that RTT.
     */
    static void drive(CongestionController cc, Random random, long duration,
                      java.util.function.LongUnaryOperator rttAt, java.util.function.LongToDoubleFunction lossAt) {
        long step = 50_000;
        // {pn, sentAt, dueAt}, acked in the order they arrive (a packet with a shorter RTT overtakes)
        java.util.PriorityQueue<long[]> pending = new java.util.PriorityQueue<>(
                java.util.Comparator.<long[]>comparingLong(p -> p[2]).thenComparingLong(p -> p[0]));
        long pn = 0;
        for (long now = 0; now < duration; now += step) {
            while (!pending.isEmpty() && pending.peek()[2] <= now) {
                long[] p = pending.poll();
                if (random.nextDouble() < lossAt.applyAsDouble(p[1])) {
                    cc.onLost(1200, p[0], now);
                } else {
                    cc.onRttSample(now - p[1], now - p[1], now);
                    cc.onAcked(1200, p[1], p[0], now);
                }
            }
            cc.onSent(1200, pn, now);
            pending.add(new long[] {pn++, now, now + rttAt.applyAsLong(now)});
        }
    }

    static long percentile(java.util.List<Long> values, int percentile) {
        long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return v.length == 0 ? 0 : v[Math.min(v.length - 1, (int) ((long) v.length * percentile / 100))];
    }
}
