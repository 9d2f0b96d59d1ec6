package parley.core.reliable;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile BULK and BULK_WINDOW frames (PROTOCOL.md 9.3, 9.9), on synthetic time: a truncated
 * frame makes the packet malformed (dropped, counted, nothing acted on), data beyond stream 1's
 * window ends the session with a clear reason, a BULK_WINDOW for a stream never used changes
 * nothing, and none of it throws.
 */
class BulkFramesHostileTest {
    private final Recorder recorder = new Recorder();
    private final StreamPriorityTest.Wire wire = new StreamPriorityTest.Wire();
    private final ReliableSession session = new ReliableSession(new ReliableConfig(), wire, recorder, 0);

    private static ByteBuffer frames(ByteBuffer b) {
        return b.flip();
    }

    @Test
    void aTruncatedBulkFrameMakesThePacketMalformed() {
        ByteBuffer f = ByteBuffer.allocate(64);
        Frames.writeDataHeader(f, Frames.BULK, 0, 20); // says 20 bytes, carries 4
        f.putInt(16);
        assertThat(session.onPacket(0, frames(f), 1)).isFalse();
        assertThat(session.counters().malformedPackets()).isEqualTo(1);
        assertThat(session.isDead()).isFalse();
        assertThat(recorder.messages).isEmpty();
    }

    @Test
    void aNegativeBulkOffsetOrAShortBulkWindowMakesThePacketMalformed() {
        ByteBuffer f = ByteBuffer.allocate(64);
        Frames.writeDataHeader(f, Frames.BULK, -5, 0);
        assertThat(session.onPacket(0, frames(f), 1)).isFalse();
        ByteBuffer w = ByteBuffer.allocate(64);
        w.put((byte) Frames.BULK_WINDOW).putLong(0).putInt(7); // 12 of its 16 bytes
        assertThat(session.onPacket(1, frames(w), 1)).isFalse();
        ByteBuffer reserved = ByteBuffer.allocate(9);
        reserved.put((byte) 0x0B).putLong(0);
        assertThat(session.onPacket(2, frames(reserved), 1)).isFalse();
        assertThat(session.counters().malformedPackets()).isEqualTo(3);
        assertThat(session.isDead()).isFalse();
    }

    @Test
    void bulkDataBeyondStreamOnesWindowEndsTheSessionWithAClearReason() {
        ByteBuffer f = ByteBuffer.allocate(64);
        Frames.writeDataHeader(f, Frames.BULK, new ReliableConfig().receiveWindow, 4);
        f.putInt(0);
        session.onPacket(0, frames(f), 1);
        assertThat(session.isDead()).isTrue();
        assertThat(session.deathReason()).isEqualTo("peer sent beyond the flow-control window of stream 1");
    }

    @Test
    void aBulkWindowForAStreamNeverUsedChangesNothing() {
        ByteBuffer w = ByteBuffer.allocate(64);
        Frames.writeBulkWindow(w, Long.MAX_VALUE, Long.MAX_VALUE);
        assertThat(session.onPacket(0, frames(w), 1)).isTrue();
        assertThat(session.isDead()).isFalse();
        assertThat(recorder.delivered).isEmpty();
        assertThat(session.pendingMessages()).isZero();
        ByteBuffer m = ByteBuffer.allocate(10);
        assertThat(session.sendBulk(m)).isGreaterThanOrEqualTo(SendStream.BULK_ID_BASE);
    }
}
