package parley.core.wire;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked cursor over a message body. Every read checks the remaining length first and
 * throws {@link WireException} with {@link ErrorCode#MALFORMED_BODY}, so a truncated or lying body
 * never reads past its frame and never sizes an allocation from an unchecked length.
 *
 * <p>Strings are a u16 byte length followed by strict UTF-8; byte strings are a u16 length
 * followed by the bytes.
 */
public final class BodyReader {
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private ByteBuffer buffer;
    private int position;
    private int limit;

    public BodyReader wrap(ByteBuffer buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buffer.limit()) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "body outside its buffer");
        }
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + length;
        return this;
    }

    public int remaining() {
        return limit - position;
    }

    public int position() {
        return position;
    }

    /**
     * Moves back to {@code at}, a position this reader returned before: lets a caller check a
     * field (a user name, say) before handing the body to the code that reads it in full.
     */
    public BodyReader rewind(int at) {
        if (at < 0 || at > position) {
            throw new IllegalArgumentException("can only rewind to an earlier position: " + at + " > " + position);
        }
        position = at;
        return this;
    }

    private int take(int n, String field) {
        if (n < 0 || limit - position < n) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "truncated body reading " + field);
        }
        int at = position;
        position += n;
        return at;
    }

    public int u8() {
        return buffer.get(take(1, "u8")) & 0xFF;
    }

    public int u16() {
        return buffer.getShort(take(2, "u16")) & 0xFFFF;
    }

    public int i32() {
        return buffer.getInt(take(4, "i32"));
    }

    public long u32() {
        return buffer.getInt(take(4, "u32")) & 0xFFFF_FFFFL;
    }

    public long i64() {
        return buffer.getLong(take(8, "i64"));
    }

    /** Reads a string of at most {@code maxBytes} encoded bytes. */
    public String string(int maxBytes) {
        int len = u16();
        if (len > maxBytes) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "string of " + len + " bytes exceeds " + maxBytes);
        }
        int at = take(len, "string");
        ByteBuffer view = buffer.duplicate();
        view.limit(at + len).position(at);
        try {
            CharBuffer chars = utf8.reset().decode(view);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "string is not valid UTF-8");
        }
    }

    /**
     * Reads a string of at most {@code maxBytes} encoded bytes into {@code into}, which is cleared
     * first, and returns it. Checked exactly as {@link #string(int)}; an ASCII string, the usual
     * case, is copied without allocating, so a reused builder makes the read allocation-free.
     */
    public StringBuilder string(int maxBytes, StringBuilder into) {
        int len = u16();
        if (len > maxBytes) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "string of " + len + " bytes exceeds " + maxBytes);
        }
        int at = take(len, "string");
        into.setLength(0);
        for (int i = at; i < at + len; i++) {
            byte b = buffer.get(i);
            if (b < 0) {
                // Not ASCII: decode strictly, as string(int) does (rare, and it may allocate).
                into.setLength(0);
                ByteBuffer view = buffer.duplicate();
                view.limit(at + len).position(at);
                try {
                    return into.append(utf8.reset().decode(view));
                } catch (CharacterCodingException e) {
                    throw new WireException(ErrorCode.MALFORMED_BODY, "string is not valid UTF-8");
                }
            }
            into.append((char) b);
        }
        return into;
    }

    /** Reads a byte string of at most {@code maxBytes} bytes into a new array. */
    public byte[] bytes(int maxBytes) {
        int len = u16();
        if (len > maxBytes) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "byte string of " + len + " bytes exceeds " + maxBytes);
        }
        byte[] out = new byte[len];
        buffer.get(take(len, "bytes"), out);
        return out;
    }

    /** Reads exactly {@code out.length} raw bytes (a fixed-width field such as a key). */
    public void fixed(byte[] out) {
        buffer.get(take(out.length, "fixed bytes"), out);
    }

    /** Fails unless the whole body was consumed: trailing bytes are a malformed message. */
    public void end() {
        if (position != limit) {
            throw new WireException(ErrorCode.MALFORMED_BODY, (limit - position) + " trailing bytes");
        }
    }
}
