package parley.core.reliable;

import org.junit.jupiter.api.Test;
import parley.core.wire.MessageTooLargeException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reliable session's rules on synthetic time: no sockets, no sleeps, exact outcomes. */
class ReliableLogicTest {
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void smallMessagesAreCoalescedIntoFewPackets() {
        SyntheticLink link = new SyntheticLink(new ReliableConfig(), 5 * MS);
        for (int i = 0; i < 100; i++) {
            link.a.session.send(text("message number " + i));
        }
        link.a.session.flush(link.now);
        // 100 messages of ~20 bytes fit in 3 datagrams, not 100.
        assertThat(link.a.sent).hasSizeLessThanOrEqualTo(3);
        link.run(link.now + 100 * MS);
        assertThat(link.b.recorder.messages).hasSize(100);
        assertThat(link.a.recorder.delivered).hasSize(100);
    }

    @Test
    void aGapIsRepairedByPacketThresholdWithoutWaitingForATimer() {
        ReliableConfig config = new ReliableConfig();
        SyntheticLink link = new SyntheticLink(config, 5 * MS);
        link.a.dropIf = pn -> pn == 0;
        for (int i = 0; i < 6; i++) {
            link.a.session.send(ByteBuffer.allocate(1000));
        }
        link.a.session.flush(link.now);
        // Acks for packets 1.. arrive after one RTT and show packet 0 three behind: lost at once.
        link.run(link.now + 11 * MS);
        assertThat(link.a.session.counters().retransmitted()).isEqualTo(1);
        assertThat(link.a.session.counters().probesSent()).isZero();
        link.run(link.now + 20 * MS);
        assertThat(link.b.recorder.messages).hasSize(6);
    }

    @Test
    void aGapBelowThePacketThresholdIsRepairedByTheTimeThreshold() {
        SyntheticLink link = new SyntheticLink(new ReliableConfig(), 5 * MS);
        link.a.dropIf = pn -> pn == 0;
        link.a.session.send(ByteBuffer.allocate(1000));
        link.a.session.flush(link.now);
        link.a.session.send(ByteBuffer.allocate(1000));
        link.a.session.flush(link.now);
        long start = link.now;
        link.run(start + 100 * MS);
        assertThat(link.b.recorder.messages).hasSize(2);
        assertThat(link.a.session.counters().retransmitted()).isEqualTo(1);
        assertThat(link.a.session.counters().probesSent()).as("time threshold, not a probe").isZero();
    }

    @Test
    void aLostTailIsRecoveredByAProbeWithNoNewTraffic() {
        SyntheticLink link = new SyntheticLink(new ReliableConfig(), 5 * MS);
        link.a.session.send(text("first"));
        link.a.session.flush(link.now);
        link.run(link.now + 50 * MS);
        long tailPn = link.a.sent.size();
        link.a.dropIf = pn -> pn == tailPn;
        link.a.session.send(text("tail"));
        link.a.session.flush(link.now);
        link.run(link.now + 200 * MS);
        assertThat(str(link.b.recorder.messages.get(1))).isEqualTo("tail");
        assertThat(link.a.session.counters().probesSent()).isPositive();
        assertThat(link.a.recorder.delivered).hasSize(2);
    }

    @Test
    void probesBackOffExponentiallyAndTheSessionDiesAfterTheLimit() {
        ReliableConfig config = new ReliableConfig();
        config.maxProbes = 4;
        config.idleTimeoutNanos = TimeUnit.SECONDS.toNanos(60);
        SyntheticLink link = new SyntheticLink(config, 5 * MS);
        link.a.dropIf = pn -> true; // the peer is unreachable
        long id = link.a.session.send(text("nobody hears this"));
        link.a.session.flush(link.now);
        link.run(link.now + TimeUnit.SECONDS.toNanos(30));
        assertThat(link.a.session.isDead()).isTrue();
        assertThat(link.a.recorder.failed).containsOnlyKeys(id);
        assertThat(link.a.session.counters().probesSent()).isEqualTo(8); // two per probe timeout, 4 timeouts
    }

    @Test
    void theIdleTimeoutKillsASilentSessionAndKeepalivesPreventIt() {
        ReliableConfig config = new ReliableConfig();
        config.idleTimeoutNanos = TimeUnit.SECONDS.toNanos(2);
        config.keepaliveNanos = TimeUnit.MILLISECONDS.toNanos(500);
        SyntheticLink link = new SyntheticLink(config, 5 * MS);
        link.run(link.now + TimeUnit.SECONDS.toNanos(10));
        assertThat(link.a.session.isDead()).as("keepalives keep a quiet pair alive").isFalse();
        link.a.dropIf = pn -> true;
        link.b.dropIf = pn -> true;
        link.run(link.now + TimeUnit.SECONDS.toNanos(10));
        assertThat(link.a.session.isDead()).isTrue();
        assertThat(link.b.session.isDead()).isTrue();
    }

    @Test
    void flowControlHoldsTheSenderAtTheReceiversWindow() {
        ReliableConfig config = new ReliableConfig();
        config.maxMessage = 16 * 1024;
        config.receiveWindow = 32 * 1024;
        SyntheticLink link = new SyntheticLink(config, 5 * MS);
        for (int i = 0; i < 20; i++) {
            link.a.session.send(ByteBuffer.allocate(8 * 1024));
        }
        link.a.session.flush(link.now);
        int sentBytesBound = link.a.sent.size() * (1200 - PeerPacket.OVERHEAD);
        assertThat(sentBytesBound).as("no more than one window before any ack").isLessThanOrEqualTo(32 * 1024 + 1200);
        link.run(link.now + TimeUnit.SECONDS.toNanos(5));
        assertThat(link.b.recorder.messages).hasSize(20);
    }

    @Test
    void sendBufferBackPressureRefusesThenSignalsWritable() {
        ReliableConfig config = new ReliableConfig();
        config.sendBuffer = 64 * 1024;
        config.maxMessage = 16 * 1024;
        config.receiveWindow = 64 * 1024;
        SyntheticLink link = new SyntheticLink(config, 5 * MS);
        int accepted = 0;
        while (link.a.session.send(ByteBuffer.allocate(8 * 1024)) != ReliableSession.REFUSED) {
            accepted++;
        }
        assertThat(accepted).isBetween(6, 8);
        boolean[] writable = {false};
        link.a.recorder.onWritable = () -> writable[0] = true;
        link.a.session.flush(link.now);
        link.run(link.now + TimeUnit.SECONDS.toNanos(1));
        assertThat(writable[0]).isTrue();
        assertThat(link.b.recorder.messages).hasSize(accepted);
    }

    @Test
    void tooLargeMessagesAreRefusedAtSendTime() {
        ReliableConfig config = new ReliableConfig();
        SyntheticLink link = new SyntheticLink(config, 5 * MS);
        assertThatThrownBy(() -> link.a.session.send(ByteBuffer.allocate(config.maxMessage + 1)))
                .isInstanceOf(MessageTooLargeException.class);
        assertThat(link.a.session.send(ByteBuffer.allocate(config.maxMessage))).isPositive();
    }

    @Test
    void aMessageLargerThanADatagramIsFragmentedAndReassembled() {
        SyntheticLink link = new SyntheticLink(new ReliableConfig(), 5 * MS);
        byte[] big = new byte[300_000];
        new java.util.Random(5).nextBytes(big);
        link.a.dropIf = pn -> pn % 7 == 3;
        link.a.session.send(ByteBuffer.wrap(big));
        link.a.session.flush(link.now);
        link.run(link.now + TimeUnit.SECONDS.toNanos(10));
        assertThat(link.b.recorder.messages).hasSize(1);
        assertThat(link.b.recorder.messages.get(0)).isEqualTo(big);
        assertThat(link.a.sent.size()).isGreaterThan(250);
    }

    @Test
    void duplicatedPacketsAreDroppedAndMessagesStillArriveOnce() {
        SyntheticLink link = new SyntheticLink(new ReliableConfig(), 5 * MS);
        link.a.session.send(text("once"));
        link.a.session.flush(link.now);
        SyntheticLink.Packet p = link.inFlight.peek();
        link.inFlight.add(new SyntheticLink.Packet(p.at + MS, p.to, p.pn, p.frames.clone(), link.order++));
        link.run(link.now + 100 * MS);
        assertThat(link.b.recorder.messages).hasSize(1);
        assertThat(link.b.session.counters().duplicatePackets()).isEqualTo(1);
    }

    @Test
    void rttIsMeasuredFromAcks() {
        SyntheticLink link = new SyntheticLink(new ReliableConfig(), 10 * MS);
        for (int i = 0; i < 20; i++) {
            link.a.session.send(text("x"));
            link.a.session.flush(link.now);
            link.run(link.now + 30 * MS);
        }
        long srtt = link.a.session.rtt().smoothed();
        // 20 ms on the wire both ways, plus at most the peer's 1 ms ack delay.
        assertThat(srtt).isBetween(20 * MS, 22 * MS);
    }
}
