package parley.core.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Cursor that writes a body in place. It writes within the buffer's limit and refuses to run past
 * it with {@link MessageTooLargeException}, so the caller learns the message does not fit instead
 * of corrupting a neighbour. ASCII strings are written without allocating.
 */
public final class BodyWriter {
    private ByteBuffer buffer;
    private int start;
    private int position;

    public BodyWriter wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.start = offset;
        this.position = offset;
        return this;
    }

    /** Bytes written since {@link #wrap}. */
    public int length() {
        return position - start;
    }

    public int position() {
        return position;
    }

    private int reserve(int n) {
        if (buffer.limit() - position < n) {
            throw new MessageTooLargeException(position - start + n, buffer.limit() - start);
        }
        int at = position;
        position += n;
        return at;
    }

    public BodyWriter u8(int v) {
        buffer.put(reserve(1), (byte) v);
        return this;
    }

    public BodyWriter u16(int v) {
        if ((v & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("u16 out of range: " + v);
        }
        buffer.putShort(reserve(2), (short) v);
        return this;
    }

    public BodyWriter i32(int v) {
        buffer.putInt(reserve(4), v);
        return this;
    }

    public BodyWriter i64(long v) {
        buffer.putLong(reserve(8), v);
        return this;
    }

    public BodyWriter string(CharSequence s) {
        int n = s.length();
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) {
            ascii = s.charAt(i) < 0x80;
        }
        if (ascii) {
            if (n > 0xFFFF) {
                throw new IllegalArgumentException("string longer than 65535 bytes");
            }
            u16(n);
            int at = reserve(n);
            for (int i = 0; i < n; i++) {
                buffer.put(at + i, (byte) s.charAt(i));
            }
            return this;
        }
        return bytes(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    public BodyWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public BodyWriter bytes(byte[] b, int off, int len) {
        u16(len);
        return fixed(b, off, len);
    }

    public BodyWriter fixed(byte[] b) {
        return fixed(b, 0, b.length);
    }

    public BodyWriter fixed(byte[] b, int off, int len) {
        buffer.put(reserve(len), b, off, len);
        return this;
    }
}
