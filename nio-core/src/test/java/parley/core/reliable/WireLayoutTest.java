package parley.core.reliable;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frame codec and the packet flyweight write the bytes PROTOCOL.md section 9 shows, byte for
 * byte; the named lengths add up to the sizes the spec states.
 */
class WireLayoutTest {
    private static String hex(ByteBuffer b) {
        byte[] a = new byte[b.position()];
        b.duplicate().flip().get(a);
        return HexFormat.of().formatHex(a);
    }

    @Test
    void namedLengthsAddUpToTheSpecSizes() {
        assertThat(Frames.STREAM_OVERHEAD).isEqualTo(11);
        assertThat(Frames.REJECT_SIZE).isEqualTo(10);
        assertThat(Frames.ACK_MIN_BODY).isEqualTo(27);
        assertThat(Frames.ACK_MAX).isEqualTo(1 + 4 + 4 + 8 + 8 + 1 + 2 + 32 * 4);
        assertThat(PeerPacket.AAD_LENGTH).isEqualTo(20);
        assertThat(PeerPacket.OVERHEAD).isEqualTo(36);
    }

    @Test
    void framesAreWrittenAsTheSpecLaysThemOut() {
        ByteBuffer b = ByteBuffer.allocate(128);
        Frames.writeStreamHeader(b, 0x0102030405060708L, 0x0A0B);
        Frames.writeAckFields(b, 0x11223344L, 5, 6, 7);
        Frames.writePing(b);
        Frames.writeClose(b, Frames.CLOSE_APPLICATION);
        Frames.writeReject(b, 9, 200);
        Frames.writePathFrame(b, Frames.PATH_CHALLENGE, -1);
        assertThat(hex(b)).isEqualTo("01" + "0102030405060708" + "0a0b"
                + "02" + "11223344" + "00000005" + "0000000000000006" + "0000000000000007"
                + "03" + "0401" + "05" + "0000000000000009" + "c8" + "06" + "ffffffffffffffff");
    }

    @Test
    void anAckIsReadBackFieldByField() {
        ByteBuffer b = ByteBuffer.allocate(Frames.ACK_MAX);
        Frames.writeAckFields(b, 0xFFFF_FFFEL, 3, 100, 200);
        b.put((byte) 1).putShort((short) 4).putShort((short) 2).putShort((short) 5);
        b.flip();
        assertThat(Frames.valid(b.duplicate())).isTrue();
        b.get();
        AckFrame ack = new AckFrame().read(b);
        assertThat(ack.largest).isEqualTo(0xFFFF_FFFEL);
        assertThat(ack.ackDelayNanos).isEqualTo(3000);
        assertThat(ack.delivered).isEqualTo(100);
        assertThat(ack.windowLimit).isEqualTo(200);
        assertThat(ack.extraRanges).isEqualTo(1);
        assertThat(ack.firstRangeLength).isEqualTo(4);
        ack.skipRest();
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void aTruncatedAckIsInvalid() {
        ByteBuffer b = ByteBuffer.allocate(Frames.ACK_MAX);
        Frames.writeAckFields(b, 1, 0, 0, 0);
        b.put((byte) 2).putShort((short) 1).putShort((short) 1); // claims two extra ranges, holds one
        b.flip();
        assertThat(Frames.valid(b)).isFalse();
    }

    @Test
    void thePacketPrefixIsHeaderThenDestinationSessionId() {
        ByteBuffer b = ByteBuffer.allocate(PeerPacket.AAD_LENGTH);
        PeerPacket p = new PeerPacket().wrap(b, 0).writePrefix(true, 0x01020304L, 0x1122334455667788L, 30);
        b.position(PeerPacket.AAD_LENGTH);
        assertThat(hex(b)).isEqualTo("01" + "02" + "40" + "00" + "01020304" + "00000026" + "1122334455667788");
        assertThat(p.packetNumber()).isEqualTo(0x01020304L);
        assertThat(p.sessionId()).isEqualTo(0x1122334455667788L);
        assertThat(p.carriesData()).isTrue();
        assertThat(PeerPacket.claimsPeerPacket(b, 0, b.capacity())).isTrue();
        assertThat(p.wellFormed(12 + 8 + 30)).as("header, session id, sealed frames and tag").isTrue();
        assertThat(p.wellFormed(12 + 8 + 30 - 1)).as("body length disagrees").isFalse();
        new PeerPacket().wrap(b, 0).writePrefix(false, 1, 2, 16);
        assertThat(b.get(1)).isEqualTo((byte) 3); // CONTROL class
        assertThat(b.get(2) & 0xFF).isEqualTo(PeerPacket.PEER_CONTROL);
    }
}
