package parley.core.wire;

import java.nio.ByteBuffer;

/**
 * Flyweight over the fixed 12-byte Parley header, shared by TCP frames and UDP datagrams.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |    Version    |     Class     |    Opcode     |     Flags     |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 Correlation Id / Sequence Number              |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                          Body Length                          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * All fields are big-endian (network order). Accessors use absolute indexing, so wrapping a
 * buffer never moves its position and no object is created per message.
 */
public final class Header {
    public static final int VERSION_OFFSET = 0;
    public static final int CLASS_OFFSET = 1;
    public static final int OPCODE_OFFSET = 2;
    public static final int FLAGS_OFFSET = 3;
    public static final int CORRELATION_OFFSET = 4;
    public static final int BODY_LENGTH_OFFSET = 8;
    public static final int LENGTH = 12;

    public static final int CURRENT_VERSION = 1;

    private ByteBuffer buffer;
    private int offset;

    public Header wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    /** Offset of the first body byte in the wrapped buffer. */
    public int bodyOffset() {
        return offset + LENGTH;
    }

    public int version() {
        return buffer.get(offset + VERSION_OFFSET) & 0xFF;
    }

    public int messageClass() {
        return buffer.get(offset + CLASS_OFFSET) & 0xFF;
    }

    public int opcode() {
        return buffer.get(offset + OPCODE_OFFSET) & 0xFF;
    }

    public int flags() {
        return buffer.get(offset + FLAGS_OFFSET) & 0xFF;
    }

    public int correlationId() {
        return buffer.getInt(offset + CORRELATION_OFFSET);
    }

    /** Unsigned body length; a value over {@code Integer.MAX_VALUE} reads as a negative-free long. */
    public long bodyLength() {
        return buffer.getInt(offset + BODY_LENGTH_OFFSET) & 0xFFFF_FFFFL;
    }

    public Header version(int v) {
        buffer.put(offset + VERSION_OFFSET, (byte) v);
        return this;
    }

    public Header messageClass(int c) {
        buffer.put(offset + CLASS_OFFSET, (byte) c);
        return this;
    }

    public Header opcode(int op) {
        buffer.put(offset + OPCODE_OFFSET, (byte) op);
        return this;
    }

    public Header flags(int f) {
        buffer.put(offset + FLAGS_OFFSET, (byte) f);
        return this;
    }

    public Header correlationId(int id) {
        buffer.putInt(offset + CORRELATION_OFFSET, id);
        return this;
    }

    public Header bodyLength(int length) {
        buffer.putInt(offset + BODY_LENGTH_OFFSET, length);
        return this;
    }

    /** Writes a whole header with the current version. */
    public Header set(int messageClass, int opcode, int flags, int correlationId, int bodyLength) {
        return version(CURRENT_VERSION).messageClass(messageClass).opcode(opcode).flags(flags)
                .correlationId(correlationId).bodyLength(bodyLength);
    }
}
