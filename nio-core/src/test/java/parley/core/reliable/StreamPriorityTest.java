package parley.core.reliable;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stream 1, the bulk stream (PROTOCOL.md 9.9), on synthetic time with no sockets: chat on stream
 * 0 is sent first and delivered apart from bulk, so neither a hole in stream 1 nor a receiver
 * whose file intake is full (stream 1's window closed) holds a chat message back.
 */
class StreamPriorityTest {
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    static final int CHAT = 100;
    static final int BULK = 3000;

    /** Keeps every packet a session sends, for the test to deliver, drop or read. */
    static final class Wire implements PacketOutput {
        final ByteBuffer buffer = ByteBuffer.allocate(1200);
        final List<long[]> numbers = new ArrayList<>();
        final List<byte[]> packets = new ArrayList<>();

        @Override
        public ByteBuffer packetBuffer() {
            buffer.clear().limit(1200 - PeerPacket.OVERHEAD);
            return buffer;
        }

        @Override
        public boolean transmit(ByteBuffer frames, long pn, boolean carriesData) {
            byte[] copy = new byte[frames.position()];
            frames.flip();
            frames.get(copy);
            numbers.add(new long[] {pn});
            packets.add(copy);
            return true;
        }

        /** Hands packets [from, size) to {@code to}, except those whose index {@code drop} names; returns the new size. */
        int deliver(int from, ReliableSession to, long now, java.util.function.IntPredicate drop) {
            int n = packets.size();
            for (int i = from; i < n; i++) {
                if (!drop.test(i)) {
                    to.onPacket(numbers.get(i)[0], ByteBuffer.wrap(packets.get(i)), now);
                }
            }
            return n;
        }
    }

    /** The type and offset of each STREAM or BULK frame of a packet, in order: {type, offset, length}. */
    static List<long[]> dataFrames(byte[] packet) {
        List<long[]> out = new ArrayList<>();
        ByteBuffer f = ByteBuffer.wrap(packet);
        while (f.hasRemaining()) {
            int type = f.get() & 0xFF;
            switch (type) {
                case Frames.STREAM, Frames.BULK -> {
                    long offset = f.getLong();
                    int length = f.getShort() & 0xFFFF;
                    out.add(new long[] {type, offset, length});
                    Frames.skip(f, length);
                }
                case Frames.ACK -> {
                    Frames.skip(f, Frames.ACK_FIXED_FIELDS);
                    int extra = f.get() & 0xFF;
                    Frames.skip(f, Frames.ACK_RANGE_FIELD_LENGTH + extra * Frames.ACK_EXTRA_RANGE_LENGTH);
                }
                case Frames.BULK_WINDOW -> Frames.skip(f, Frames.BULK_WINDOW_BODY);
                case Frames.REJECT -> Frames.skip(f, Frames.REJECT_SIZE - 1);
                case Frames.CLOSE -> Frames.skip(f, 1);
                case Frames.PADDING -> f.position(f.limit());
                case Frames.SUITES -> Frames.skip(f, Frames.SUITES_MASK_LENGTH);
                default -> { }
            }
        }
        return out;
    }

    static ByteBuffer message(int size, int tag) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(0, tag);
        return b;
    }

    static long chatCount(Recorder r) {
        return r.messages.stream().filter(m -> m.length == CHAT).count();
    }

    static long bulkCount(Recorder r) {
        return r.messages.stream().filter(m -> m.length == BULK).count();
    }

    @Test
    void aChatMessageIsDeliveredWhileStreamOneHasAnUnrepairedHole() {
        ReliableConfig config = new ReliableConfig();
        long now = 0;
        Wire aWire = new Wire();
        Wire bWire = new Wire();
        Recorder aRec = new Recorder();
        Recorder bRec = new Recorder();
        ReliableSession a = new ReliableSession(config, aWire, aRec, now);
        ReliableSession b = new ReliableSession(config, bWire, bRec, now);
        BulkGate gate = new BulkGate(a);
        // One file message spread over three packets; the first of them never arrives.
        assertThat(gate.sendBulk(message(BULK, 1))).isNotEqualTo(ReliableSession.REFUSED);
        a.flush(now);
        assertThat(aWire.packets).hasSizeGreaterThanOrEqualTo(3);
        int sent = aWire.deliver(0, b, now += MS, i -> i == 0);
        assertThat(bulkCount(bRec)).isZero();

        assertThat(a.send(message(CHAT, 7))).isNotEqualTo(ReliableSession.REFUSED);
        a.flush(now);
        sent = aWire.deliver(sent, b, now += MS, i -> false);
        assertThat(chatCount(bRec)).as("the chat message does not wait for the hole in stream 1").isEqualTo(1);
        assertThat(bulkCount(bRec)).isZero();

        // Repaired once the lost range is resent: the bulk message arrives whole.
        int bSent = 0;
        for (int i = 0; i < 200 && bulkCount(bRec) == 0; i++) {
            now += 10 * MS;
            a.onTimer(now);
            b.onTimer(now);
            sent = aWire.deliver(sent, b, now, k -> false);
            bSent = bWire.deliver(bSent, a, now, k -> false);
        }
        assertThat(bulkCount(bRec)).isEqualTo(1);
        assertThat(b.isDead()).isFalse();
    }

    @Test
    void chatFlowsWhileTheReceiversFileIntakeIsFullAndStreamOnesWindowIsClosed() {
        ReliableConfig config = new ReliableConfig();
        config.maxMessage = 4096;
        config.receiveWindow = 16 * 1024;
        config.sendBuffer = 64 * 1024; // room beyond stream 1's window: what waits for it
        SyntheticLink link = new SyntheticLink(config, 5 * MS);
        ReliableSession a = link.a.session;
        link.b.recorder.acceptingBulk = false;
        BulkGate gate = new BulkGate(a);
        Runnable pump = () -> {
            while (gate.sendBulk(message(BULK, 2)) != ReliableSession.REFUSED) {
                // until the gate or the send buffer refuses
            }
        };
        link.a.recorder.onWritable = pump;
        link.a.recorder.onRttSampleHook = pump;
        pump.run();
        a.flush(link.now);
        link.run(link.now + 2_000 * MS);
        pump.run(); // no ack comes to pump the gate once the window is full: the file waits here
        a.flush(link.now);
        link.run(link.now + 1_000 * MS);
        // Stream 1's window (16 KiB) is full, bytes wait for it, and nothing of it was delivered.
        assertThat(bulkCount(link.b.recorder)).isZero();
        assertThat(a.unsentBulkBytes()).isPositive();
        for (int i = 0; i < 20; i++) {
            pump.run();
            assertThat(a.send(message(CHAT, i))).isNotEqualTo(ReliableSession.REFUSED);
            a.flush(link.now);
            link.run(link.now + 50 * MS);
        }
        assertThat(chatCount(link.b.recorder)).as("chat is delivered while stream 1 is stalled").isEqualTo(20);
        assertThat(link.a.recorder.delivered).hasSize(20);

        // The intake frees up: stream 1 resumes, in order, and nothing was lost.
        link.b.recorder.acceptingBulk = true;
        link.b.session.resumeDelivery(link.now);
        link.run(link.now + 2_000 * MS);
        assertThat(bulkCount(link.b.recorder)).isGreaterThan(config.receiveWindow / BULK);
        assertThat(a.isDead()).isFalse();
        assertThat(link.b.session.isDead()).isFalse();
    }

    @Test
    void streamOneIsNeverSentWhileStreamZeroHasDataReadyAndWindow() {
        ReliableConfig config = new ReliableConfig();
        long now = 0;
        Wire aWire = new Wire();
        ReliableSession a = new ReliableSession(config, aWire, new Recorder(), now);
        // Bulk queued first, then chat: the chat still goes first.
        for (int i = 0; i < 4; i++) {
            assertThat(a.sendBulk(message(BULK, i))).isNotEqualTo(ReliableSession.REFUSED);
        }
        long chatBytes = 0;
        for (int i = 0; i < 30; i++) {
            assertThat(a.send(message(CHAT, i))).isNotEqualTo(ReliableSession.REFUSED);
            chatBytes += 4 + CHAT;
        }
        a.flush(now);
        assertNoBulkBeforeChatIsOut(aWire.packets, chatBytes);
        assertThat(aWire.packets.stream().flatMap(p -> dataFrames(p).stream()).anyMatch(d -> d[0] == Frames.BULK)).isTrue();
    }

    @Test
    void lostChatIsResentBeforeAnyBulk() {
        ReliableConfig config = new ReliableConfig();
        long now = 0;
        Wire aWire = new Wire();
        Wire bWire = new Wire();
        ReliableSession a = new ReliableSession(config, aWire, new Recorder(), now);
        ReliableSession b = new ReliableSession(config, bWire, new Recorder(), now);
        for (int i = 0; i < 60; i++) {
            a.send(message(CHAT, i));
        }
        a.flush(now);
        assertThat(aWire.packets).hasSizeGreaterThanOrEqualTo(1 + LossDetector.K_PACKET_THRESHOLD);
        int firstRound = aWire.packets.size();
        // The first chat packet is lost; later ones arrive and are acknowledged (it is then
        // K_PACKET_THRESHOLD packets older than the largest acknowledged: lost).
        aWire.deliver(0, b, now += MS, i -> i == 0);
        for (int i = 0; i < 4; i++) {
            a.sendBulk(message(BULK, i));
        }
        now += 30 * MS; // past the ack delay
        b.onTimer(now);
        bWire.deliver(0, a, now, i -> false); // the ack: the first packet is declared lost
        a.flush(now);
        List<byte[]> after = aWire.packets.subList(firstRound, aWire.packets.size());
        List<long[]> frames = after.stream().flatMap(p -> dataFrames(p).stream()).toList();
        assertThat(frames).isNotEmpty();
        assertThat(frames.get(0)[0]).as("the lost chat range goes first").isEqualTo(Frames.STREAM);
        assertThat(frames.get(0)[1]).isZero();
        int firstBulk = -1;
        int lastStream = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i)[0] == Frames.BULK && firstBulk < 0) {
                firstBulk = i;
            }
            if (frames.get(i)[0] == Frames.STREAM) {
                lastStream = i;
            }
        }
        assertThat(firstBulk).isGreaterThan(lastStream);
    }

    /** Until every chat byte has been sent once, no BULK frame appears. */
    static void assertNoBulkBeforeChatIsOut(List<byte[]> packets, long chatBytes) {
        long chatSent = 0;
        for (byte[] p : packets) {
            for (long[] d : dataFrames(p)) {
                if (d[0] == Frames.STREAM) {
                    chatSent = Math.max(chatSent, d[1] + d[2]);
                } else {
                    assertThat(chatSent).as("a BULK frame went out before all chat bytes").isEqualTo(chatBytes);
                }
            }
        }
    }
}
