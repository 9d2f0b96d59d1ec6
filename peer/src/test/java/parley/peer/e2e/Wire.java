package parley.peer.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds message bodies field by field, big-endian, as PROTOCOL.md section 1 writes them. */
final class Wire {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Wire u8(int v) {
        out.write(v);
        return this;
    }

    Wire u16(int v) {
        return raw(ByteBuffer.allocate(2).putShort((short) v).array());
    }

    Wire u32(long v) {
        return raw(ByteBuffer.allocate(4).putInt((int) v).array());
    }

    Wire i64(long v) {
        return raw(ByteBuffer.allocate(8).putLong(v).array());
    }

    /** {@code str}: u16 length and UTF-8. */
    Wire str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return u16(b.length).raw(b);
    }

    Wire fill(int n, int value) {
        for (int i = 0; i < n; i++) {
            out.write(value);
        }
        return this;
    }

    Wire raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** A whole message: the 12-byte header (section 2) and this body. */
    static byte[] frame(int cls, int opcode, int flags, int correlation, byte[] body) {
        return new Wire().u8(1).u8(cls).u8(opcode).u8(flags).u32(correlation).u32(body.length).raw(body).bytes();
    }
}
