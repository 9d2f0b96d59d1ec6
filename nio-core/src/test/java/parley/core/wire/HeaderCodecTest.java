package parley.core.wire;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeaderCodecTest {
    private final Header header = new Header();

    @Property
    void headerRoundTripsAtAnyOffset(@ForAll @IntRange(min = 0, max = 3) int cls, @ForAll @IntRange(min = 0, max = 255) int opcode,
                                     @ForAll @IntRange(min = 0, max = 255) int flags, @ForAll int correlation,
                                     @ForAll @IntRange(min = 0) int bodyLength, @ForAll @IntRange(min = 0, max = 40) int offset) {
        ByteBuffer buf = ByteBuffer.allocate(64);
        header.wrap(buf, offset).set(cls, opcode, flags, correlation, bodyLength);
        Header read = new Header().wrap(buf.asReadOnlyBuffer(), offset);
        assertThat(read.version()).isEqualTo(Header.CURRENT_VERSION);
        assertThat(read.messageClass()).isEqualTo(cls);
        assertThat(read.opcode()).isEqualTo(opcode);
        assertThat(read.flags()).isEqualTo(flags);
        assertThat(read.correlationId()).isEqualTo(correlation);
        assertThat(read.bodyLength()).isEqualTo(bodyLength);
        assertThat(buf.position()).isZero();
    }

    @Property
    void headerIsBigEndianOnTheWire(@ForAll int correlation) {
        ByteBuffer buf = ByteBuffer.allocate(Header.LENGTH);
        header.wrap(buf, 0).set(MessageClass.COMMAND, 0x10, 0, correlation, 0x01020304);
        assertThat(buf.get(4)).isEqualTo((byte) (correlation >>> 24));
        assertThat(buf.get(8)).isEqualTo((byte) 1);
        assertThat(buf.get(11)).isEqualTo((byte) 4);
    }

    @Property
    void bodyFieldsRoundTrip(@ForAll int a, @ForAll long b, @ForAll @IntRange(min = 0, max = 65535) int c,
                             @ForAll @StringLength(max = 200) String s, @ForAll byte[] bytes) {
        if (bytes.length > 1000) {
            bytes = java.util.Arrays.copyOf(bytes, 1000);
        }
        ByteBuffer buf = ByteBuffer.allocate(4096);
        BodyWriter w = new BodyWriter().wrap(buf, 5);
        w.i32(a).i64(b).u16(c).string(s).bytes(bytes).u8(0xAB);
        BodyReader r = new BodyReader().wrap(buf, 5, w.length());
        assertThat(r.i32()).isEqualTo(a);
        assertThat(r.i64()).isEqualTo(b);
        assertThat(r.u16()).isEqualTo(c);
        String expected = new String(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(r.string(1000)).isEqualTo(expected);
        assertThat(r.bytes(1000)).isEqualTo(bytes);
        assertThat(r.u8()).isEqualTo(0xAB);
        r.end();
    }

    @Property
    void truncatedBodiesAreRefusedAtEveryCut(@ForAll @IntRange(min = 0, max = 20) int cut) {
        ByteBuffer buf = ByteBuffer.allocate(64);
        BodyWriter w = new BodyWriter().wrap(buf, 0).i64(7).string("hello").u16(9);
        int full = w.length();
        if (cut >= full) {
            return;
        }
        BodyReader r = new BodyReader().wrap(buf, 0, cut);
        assertThatThrownBy(() -> {
            r.i64();
            r.string(100);
            r.u16();
        }).isInstanceOf(WireException.class).extracting(e -> ((WireException) e).code()).isEqualTo(ErrorCode.MALFORMED_BODY);
    }

    @Property
    void lyingStringLengthNeverReadsPastTheBody(@ForAll @IntRange(min = 0, max = 65535) int claimed) {
        ByteBuffer buf = ByteBuffer.allocate(16);
        buf.putShort(0, (short) claimed);
        BodyReader r = new BodyReader().wrap(buf, 0, 4);
        if (claimed <= 2) {
            return;
        }
        assertThatThrownBy(() -> r.string(65535)).isInstanceOf(WireException.class);
    }

    @Property
    void invalidUtf8IsRefused(@ForAll @IntRange(min = 0x80, max = 0xBF) int continuation) {
        ByteBuffer buf = ByteBuffer.allocate(8);
        buf.putShort(0, (short) 1).put(2, (byte) continuation);
        assertThatThrownBy(() -> new BodyReader().wrap(buf, 0, 3).string(10)).isInstanceOf(WireException.class);
    }

    @Property
    void stringIntoABuilderReadsWhatStringReads(@ForAll @StringLength(max = 200) String s) {
        ByteBuffer buf = ByteBuffer.allocateDirect(1024);
        int n = new BodyWriter().wrap(buf, 3).string(s).u8(7).length();
        BodyReader r = new BodyReader().wrap(buf, 3, n);
        StringBuilder into = new StringBuilder("left over");
        assertThat(r.string(1000, into)).isSameAs(into);
        assertThat(into.toString()).isEqualTo(new BodyReader().wrap(buf, 3, n).string(1000));
        assertThat(r.u8()).isEqualTo(7);
        r.end();
    }

    @Property
    void stringIntoABuilderRefusesWhatStringRefuses(@ForAll @IntRange(min = 0x80, max = 0xBF) int continuation,
                                                    @ForAll @IntRange(min = 0, max = 65535) int claimed) {
        ByteBuffer bad = ByteBuffer.allocate(8);
        bad.putShort(0, (short) 2).put(2, (byte) 'a').put(3, (byte) continuation);
        assertThatThrownBy(() -> new BodyReader().wrap(bad, 0, 4).string(10, new StringBuilder()))
                .isInstanceOf(WireException.class).extracting(e -> ((WireException) e).code()).isEqualTo(ErrorCode.MALFORMED_BODY);
        ByteBuffer lying = ByteBuffer.allocate(16);
        lying.putShort(0, (short) claimed);
        if (claimed > 2) {
            assertThatThrownBy(() -> new BodyReader().wrap(lying, 0, 4).string(65535, new StringBuilder()))
                    .isInstanceOf(WireException.class);
        }
        assertThatThrownBy(() -> new BodyReader().wrap(lying.putShort(0, (short) 11), 0, 16).string(10, new StringBuilder()))
                .as("longer than the caller allows").isInstanceOf(WireException.class);
    }

    @Property
    void writerRefusesToRunPastItsLimit(@ForAll @IntRange(min = 0, max = 7) int room) {
        ByteBuffer buf = ByteBuffer.allocate(room);
        assertThatThrownBy(() -> new BodyWriter().wrap(buf, 0).i64(1)).isInstanceOf(MessageTooLargeException.class);
    }

    @Property
    void errorBodyRoundTrips(@ForAll int correlation, @ForAll @IntRange(min = 0, max = 65535) int code,
                             @ForAll @StringLength(max = 300) String reason) {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        int n = ErrorBody.encode(buf, 3, new Header(), new BodyWriter(), correlation, code, reason);
        Header h = new Header().wrap(buf, 3);
        assertThat(h.opcode()).isEqualTo(CoreOpcodes.ERROR);
        assertThat(h.messageClass()).isEqualTo(MessageClass.CONTROL);
        assertThat(h.correlationId()).isEqualTo(correlation);
        assertThat(Header.LENGTH + h.bodyLength()).isEqualTo(n);
        BodyReader r = new BodyReader().wrap(buf, 3 + Header.LENGTH, (int) h.bodyLength());
        assertThat(r.u16()).isEqualTo(code);
        assertThat(r.string(ErrorBody.MAX_REASON_BYTES)).isNotNull();
        r.end();
    }
}
