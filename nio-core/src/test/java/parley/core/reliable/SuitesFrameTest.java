package parley.core.reliable;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SUITES frame (PROTOCOL.md 9.3) between two {@link ReliableSession}s on synthetic time: it
 * goes alone in its own packet right after the hello; a lost one is sent again (declared lost,
 * or unanswered at a probe timeout) at most three times per session, as against an old peer
 * that drops it; once one is acknowledged no more go; on receipt the latest mask wins and
 * unknown bits are ignored; a SUITES without its mask byte makes the packet malformed.
 */
class SuitesFrameTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private final StreamPriorityTest.Wire wireA = new StreamPriorityTest.Wire();
    private final StreamPriorityTest.Wire wireB = new StreamPriorityTest.Wire();
    private final Recorder recB = new Recorder();
    /** Packets of each wire already handed to the other side. */
    private int sentA;
    private int sentB;
    private final ReliableSession a = new ReliableSession(new ReliableConfig(), wireA, new Recorder(), 0);
    private final ReliableSession b = new ReliableSession(new ReliableConfig(), wireB, recB, 0);

    private static boolean isSuites(byte[] packet) {
        return packet.length > 0 && (packet[0] & 0xFF) == Frames.SUITES;
    }

    private long suitesPackets() {
        return wireA.packets.stream().filter(SuitesFrameTest::isSuites).count();
    }

    /**
     * Runs both sessions for {@code millis} of synthetic time, a step per timer deadline (at least
     * 1 ms), handing each side's packets to the other at once (a path with no delay) unless
     * {@code dropSuitesFromA} drops a's SUITES packets on the way (what an old peer, which drops
     * them as malformed, amounts to).
     */
    private long run(long now, long millis, boolean dropSuitesFromA) {
        long end = now + millis * MS;
        while (true) {
            // what is on the wire arrives at once, back and forth until both are quiet
            while (sentA < wireA.packets.size() || sentB < wireB.packets.size()) {
                sentA = wireA.deliver(sentA, b, now, i -> dropSuitesFromA && isSuites(wireA.packets.get(i)));
                b.flush(now);
                sentB = wireB.deliver(sentB, a, now, i -> false);
                a.flush(now);
            }
            if (now >= end) {
                return now;
            }
            now = Math.min(end, Math.max(now + MS, Math.min(a.nextDeadline(), b.nextDeadline())));
            a.onTimer(now);
            b.onTimer(now);
        }
    }

    @Test
    void theOfferGoesAloneRightAfterTheHelloAndOnceAcknowledgedNoMoreGo() {
        a.ping(0);
        assertThat(wireA.packets).hasSize(2);
        assertThat(wireA.packets.get(0)).containsExactly(Frames.PING);
        assertThat(wireA.packets.get(1)).as("SUITES alone, mask 0x01").containsExactly(Frames.SUITES, SuitesFrame.AES_256_GCM);
        b.ping(0);
        run(0, 60_000, false);
        assertThat(a.suitesAcked()).isTrue();
        assertThat(a.suitesSent()).isEqualTo(1);
        assertThat(suitesPackets()).isEqualTo(1);
        assertThat(b.peerAcceptsGcm()).isTrue();
        assertThat(a.peerAcceptsGcm()).isTrue();
        assertThat(a.isDead() || b.isDead()).isFalse();
    }

    @Test
    void aLostOfferIsSentAgainAtMostThreeTimesAndTheSessionLivesOn() {
        a.ping(0);
        b.ping(0);
        long now = run(0, 60_000, true);
        assertThat(suitesPackets()).as("sent again when lost or unanswered, three in all").isEqualTo(SuitesExchange.MAX_SENDS);
        assertThat(a.suitesSent()).isEqualTo(SuitesExchange.MAX_SENDS);
        assertThat(a.suitesAcked()).isFalse();
        assertThat(b.peerAcceptsGcm()).isFalse();
        assertThat(a.isDead() || b.isDead()).isFalse();
        assertThat(a.congestion().bytesInFlight()).as("lost offers leave the window").isZero();
        // and the session still carries messages
        a.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        a.flush(now);
        run(now, 1_000, true);
        assertThat(recB.messages).hasSize(1);
        assertThat(recB.messages.get(0)).containsExactly(1, 2, 3);
        assertThat(suitesPackets()).isEqualTo(SuitesExchange.MAX_SENDS);
    }

    @Test
    void theLatestMaskWinsAndUnknownBitsAreIgnored() {
        ByteBuffer f = ByteBuffer.allocate(2);
        assertThat(b.onPacket(0, suites(f, 0xFE), 1)).as("bits 1-7 only").isTrue();
        assertThat(b.peerAcceptsGcm()).isFalse();
        assertThat(b.onPacket(1, suites(f, 0xFF), 1)).isTrue();
        assertThat(b.peerAcceptsGcm()).isTrue();
        assertThat(b.onPacket(2, suites(f, 0x00), 1)).isTrue();
        assertThat(b.peerAcceptsGcm()).as("bit 0 clear again: ChaCha20-Poly1305 only").isFalse();
        assertThat(b.onPacket(3, suites(f, 0x01), 1)).isTrue();
        assertThat(b.peerAcceptsGcm()).isTrue();
        assertThat(b.counters().malformedPackets()).isZero();
        assertThat(b.counters().packetsReceived()).isEqualTo(4);
    }

    @Test
    void aSuitesFrameWithoutItsMaskMakesThePacketMalformed() {
        ByteBuffer f = ByteBuffer.allocate(1);
        f.put((byte) Frames.SUITES);
        assertThat(b.onPacket(0, f.flip(), 1)).isFalse();
        ByteBuffer g = ByteBuffer.allocate(2);
        g.put((byte) Frames.PING).put((byte) Frames.SUITES);
        assertThat(b.onPacket(1, g.flip(), 1)).as("truncated after a PING").isFalse();
        assertThat(b.counters().malformedPackets()).isEqualTo(2);
        assertThat(b.peerAcceptsGcm()).isFalse();
        assertThat(b.isDead()).isFalse();
        assertThat(b.counters().packetsReceived()).as("nothing in them acted on").isZero();
    }

    private static ByteBuffer suites(ByteBuffer f, int rawMask) {
        f.clear();
        f.put((byte) Frames.SUITES).put((byte) rawMask);
        return f.flip();
    }
}
