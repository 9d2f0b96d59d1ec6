package parley.core.wire;

import java.nio.ByteBuffer;

/**
 * Body of the ERROR message.
 *
 * <pre>
 *  +--------+--------+--------+--------+----...----+
 *  |  Code (u16)     | Reason len (u16)| Reason    |
 *  +--------+--------+--------+--------+----...----+
 * </pre>
 * The reason is UTF-8 of at most {@link #MAX_REASON_BYTES} bytes, for people, never parsed.
 */
public final class ErrorBody {
    public static final int MAX_REASON_BYTES = 512;

    private ErrorBody() {
    }

    /**
     * Encodes a whole ERROR frame at {@code offset} and returns its total length. The correlation
     * id echoes the failed request's, or 0 when the error is about the connection itself.
     */
    public static int encode(ByteBuffer buf, int offset, Header header, BodyWriter writer,
                             int correlationId, int code, String reason) {
        String r = reason.length() > MAX_REASON_BYTES / 4 ? reason.substring(0, MAX_REASON_BYTES / 4) : reason;
        writer.wrap(buf, offset + Header.LENGTH).u16(code).string(r);
        int bodyLength = writer.length();
        header.wrap(buf, offset).set(MessageClass.CONTROL, CoreOpcodes.ERROR, Flags.RESPONSE, correlationId, bodyLength);
        return Header.LENGTH + bodyLength;
    }
}
