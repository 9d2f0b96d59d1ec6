package parley.core.reliable;

import org.junit.jupiter.api.Test;
import parley.core.loop.ManualClock;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The datagram-size search of PROTOCOL.md 9.8 as pure logic on a {@link ManualClock}. */
class PmtuSearchTest {
    static final int BASE = 1200;
    static final long RTO = TimeUnit.MILLISECONDS.toNanos(50);
    final ManualClock clock = new ManualClock(1_000_000_000L);
    final PmtuSearch search = new PmtuSearch(BASE);

    /** Sends the due probe and returns its size (0: none due). */
    int sendProbe() {
        int size = search.probeDue(clock.nanoTime());
        if (size > 0) {
            search.onProbeSent(clock.nanoTime(), RTO);
        }
        return size;
    }

    /** Lets the outstanding probe time out. */
    void timeOut() {
        clock.set(search.deadline());
        search.onTimer(clock.nanoTime());
    }

    @Test
    void aPathWhoseMaximumIsTheBaseIsNeverProbed() {
        search.restart(BASE, clock.nanoTime());
        assertThat(search.state()).isEqualTo(PmtuSearch.State.DISABLED);
        assertThat(search.probeDue(clock.nanoTime())).isZero();
        assertThat(search.deadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(search.size()).isEqualTo(BASE);
    }

    @Test
    void acknowledgedProbesClimbTheLadderToTheMaximum() {
        search.restart(65_507, clock.nanoTime());
        assertThat(search.size()).as("a path starts at the base").isEqualTo(BASE);
        assertThat(sendProbe()).isEqualTo(1452);
        assertThat(search.probeDue(clock.nanoTime())).as("one probe outstanding at a time").isZero();
        search.onProbeAcked(1452, clock.nanoTime(), clock.nanoTime());
        assertThat(search.size()).isEqualTo(1452);
        assertThat(sendProbe()).isEqualTo(8952);
        search.onProbeAcked(8952, clock.nanoTime(), clock.nanoTime());
        assertThat(sendProbe()).isEqualTo(65_507);
        search.onProbeAcked(65_507, clock.nanoTime(), clock.nanoTime());
        assertThat(search.size()).isEqualTo(65_507);
        assertThat(search.state()).isEqualTo(PmtuSearch.State.COMPLETE);
        assertThat(search.probeDue(clock.nanoTime())).isZero();
        assertThat(search.deadline()).as("nothing more to search at the maximum").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void threeLostProbesOfASizeEndTheSearchBelowItAndTheRaiseTimerTriesAgain() {
        search.restart(65_507, clock.nanoTime());
        sendProbe();
        search.onProbeAcked(1452, clock.nanoTime(), clock.nanoTime());
        for (int i = 0; i < PmtuSearch.MAX_PROBES; i++) {
            assertThat(sendProbe()).isEqualTo(8952);
            assertThat(search.deadline() - clock.nanoTime()).as("at least the floor")
                    .isEqualTo(PmtuSearch.PROBE_TIMEOUT_FLOOR_NANOS);
            timeOut();
        }
        assertThat(search.state()).isEqualTo(PmtuSearch.State.COMPLETE);
        assertThat(search.size()).as("lost probes lower nothing").isEqualTo(1452);
        assertThat(search.probesLost()).isEqualTo(PmtuSearch.MAX_PROBES);
        assertThat(sendProbe()).isZero();
        clock.advance(PmtuSearch.RAISE_NANOS, TimeUnit.NANOSECONDS);
        search.onTimer(clock.nanoTime());
        assertThat(sendProbe()).as("searched again after the raise timer").isEqualTo(8952);
    }

    @Test
    void aLateAcknowledgementOfAProbeCountedLostStillRaises() {
        search.restart(8952, clock.nanoTime());
        assertThat(sendProbe()).isEqualTo(1452);
        timeOut();
        assertThat(sendProbe()).isEqualTo(1452);
        search.onProbeAcked(1452, clock.nanoTime(), clock.nanoTime()); // the first one's ack, late
        assertThat(search.size()).isEqualTo(1452);
        assertThat(sendProbe()).as("the maximum is next").isEqualTo(8952);
    }

    @Test
    void aNewPathStartsAgainAtTheBase() {
        search.restart(65_507, clock.nanoTime());
        sendProbe();
        search.onProbeAcked(1452, clock.nanoTime(), clock.nanoTime());
        search.restart(BASE, clock.nanoTime()); // the relay
        assertThat(search.size()).isEqualTo(BASE);
        assertThat(search.state()).isEqualTo(PmtuSearch.State.DISABLED);
        search.onProbeAcked(8952, clock.nanoTime(), clock.nanoTime());
        assertThat(search.size()).as("a probe of the old path raises nothing").isEqualTo(BASE);
        search.restart(9000 - 48, clock.nanoTime()); // a direct path again
        assertThat(search.size()).isEqualTo(BASE);
        assertThat(sendProbe()).isEqualTo(1452);
    }

    @Test
    void repeatedLossOfLargePacketsAfterARaiseFallsBackToTheBaseAndSearchesAgainLater() {
        search.restart(65_507, clock.nanoTime());
        climb(1452);
        sendProbe();
        long raisedAt = clock.nanoTime();
        search.onProbeAcked(8952, raisedAt, clock.nanoTime());
        // A burst lost just after a packet that got through (a full queue) is no black hole.
        for (int i = 0; i < 10; i++) {
            search.onLost(8952, raisedAt + 1_000_000, clock.nanoTime());
        }
        assertThat(search.size()).as("lost within the span of a success").isEqualTo(8952);
        long late = raisedAt + PmtuSearch.BLACK_HOLE_SPAN_NANOS;
        clock.set(late);
        search.onLost(8952, late, clock.nanoTime());
        search.onLost(8952, late, clock.nanoTime());
        search.onAcked(8952, late); // one got through: random loss, not a black hole
        long later = late + PmtuSearch.BLACK_HOLE_SPAN_NANOS;
        clock.set(later);
        search.onLost(BASE, later, clock.nanoTime()); // a small packet's loss says nothing about the size
        search.onLost(8952, later, clock.nanoTime());
        search.onLost(8952, later + 1_000_000, clock.nanoTime());
        search.onLost(8952, later + 2_000_000, clock.nanoTime());
        assertThat(search.size()).as("three in a row, but sent within moments: a burst").isEqualTo(8952);
        long end = later + PmtuSearch.BLACK_HOLE_SPAN_NANOS;
        clock.set(end);
        search.onLost(8952, end, clock.nanoTime());
        assertThat(search.size()).as("every one sent over the span lost, none acknowledged: a black hole").isEqualTo(BASE);
        assertThat(search.state()).isEqualTo(PmtuSearch.State.BLACK_HOLE);
        assertThat(search.blackHoles()).isEqualTo(1);
        assertThat(sendProbe()).isZero();
        search.onProbeAcked(65_507, later, clock.nanoTime());
        assertThat(search.size()).as("a late probe ack does not undo the fallback").isEqualTo(BASE);
        clock.set(search.deadline());
        search.onTimer(clock.nanoTime());
        assertThat(sendProbe()).as("searched again from the base").isEqualTo(1452);
    }

    /** A new path searched up to 65,507 bytes, and a data packet of that size acknowledged. */
    private void raisedToTheMaximum() {
        search.restart(65_507, clock.nanoTime());
        climb(1452, 8952, 65_507);
        search.onAcked(65_507, clock.nanoTime());
    }

    /** Sends a probe of each size in turn and acknowledges it at once. */
    private void climb(int... sizes) {
        for (int size : sizes) {
            assertThat(sendProbe()).isEqualTo(size);
            search.onProbeAcked(size, clock.nanoTime(), clock.nanoTime());
        }
    }

    @Test
    void aBurstLostAfterAnIdleSpellIsNoBlackHole() {
        raisedToTheMaximum();
        // Ten seconds with no large packet (the receiver stalled, or only chat went by); then the
        // first burst meets a full queue and a run of it is lost.
        long back = clock.nanoTime() + 10_000_000_000L;
        clock.set(back + 50_000_000);
        for (int i = 0; i < 20; i++) {
            search.onLost(65_507, back + i * 1_000_000L, clock.nanoTime());
        }
        assertThat(search.size()).as("lost together, sent within 20 ms").isEqualTo(65_507);
        assertThat(search.blackHoles()).isZero();
        search.onAcked(65_507, back + 30_000_000);
        assertThat(search.size()).isEqualTo(65_507);
    }

    @Test
    void probeTimeoutsThatReportTheSameUnansweredPacketOverTheSpanMakeABlackHole() {
        raisedToTheMaximum();
        // Idle, then one large message into a path that now drops every large datagram, its
        // probe-timeout resends included: nothing is acknowledged, so only the probe timeouts
        // report it, the same packet each time, at backed-off intervals.
        long sent = clock.nanoTime() + 5_000_000_000L;
        long[] timeouts = {200_000_000L, 600_000_000L, 1_400_000_000L};
        for (int i = 0; i < timeouts.length; i++) {
            clock.set(sent + timeouts[i]);
            search.onUnanswered(65_507, sent, clock.nanoTime());
            assertThat(search.size()).as("report %d", i + 1).isEqualTo(i < 2 ? 65_507 : BASE);
        }
        assertThat(search.blackHoles()).isEqualTo(1);
    }

    @Test
    void aMaximumBetweenLadderStepsIsProbedExactly() {
        search.restart(1472, clock.nanoTime()); // IPv4 over a 1,500-byte Ethernet MTU
        assertThat(sendProbe()).isEqualTo(1452);
        search.onProbeAcked(1452, clock.nanoTime(), clock.nanoTime());
        assertThat(sendProbe()).isEqualTo(1472);
        search.onProbeAcked(1472, clock.nanoTime(), clock.nanoTime());
        assertThat(search.state()).isEqualTo(PmtuSearch.State.COMPLETE);
        search.onProbeAcked(65_507, clock.nanoTime(), clock.nanoTime());
        assertThat(search.size()).as("never above the path's maximum").isEqualTo(1472);
    }
}
