package parley.core.reliable;

import parley.core.wire.Header;
import parley.core.wire.MessageClass;

import java.nio.ByteBuffer;

/**
 * The 28 bytes a peer puts in front of a sealed peer datagram it sends through a relay
 * (PROTOCOL.md 7.8, RELAY): a 12-byte Parley header (version 1, class DATA, opcode 0x42, flags 0,
 * correlation 0, body length 16 + n) and the 16-byte relay token of this side. The relay strips
 * them and forwards the inner datagram unchanged; what comes back from the relay is an ordinary
 * peer datagram. Defined here because nio-core knows nothing of the registry; the server's
 * flyweight of the same message is checked against these numbers by a spec-sync test.
 */
public final class RelayPrefix {
    /** Opcode RELAY (class DATA), peer to relay over UDP. */
    public static final int RELAY = 0x42;
    /** Length of the relay token. */
    public static final int TOKEN_LENGTH = 16;
    /** Offset of the token: right after the header. */
    public static final int TOKEN_OFFSET = Header.LENGTH;
    /** Header and token: where the inner datagram starts. */
    public static final int LENGTH = TOKEN_OFFSET + TOKEN_LENGTH;

    private RelayPrefix() {
    }

    /**
     * Writes the prefix at {@code dst}'s absolute offset {@code at} for an inner datagram of
     * {@code innerLength} bytes; {@code token} is 16 bytes. Does not move the buffer's position.
     */
    public static void write(ByteBuffer dst, int at, byte[] token, int innerLength) {
        if (token.length != TOKEN_LENGTH) {
            throw new IllegalArgumentException("a relay token is " + TOKEN_LENGTH + " bytes");
        }
        dst.put(at + Header.VERSION_OFFSET, (byte) Header.CURRENT_VERSION);
        dst.put(at + Header.CLASS_OFFSET, (byte) MessageClass.DATA);
        dst.put(at + Header.OPCODE_OFFSET, (byte) RELAY);
        dst.put(at + Header.FLAGS_OFFSET, (byte) 0);
        dst.putInt(at + Header.CORRELATION_OFFSET, 0);
        dst.putInt(at + Header.BODY_LENGTH_OFFSET, TOKEN_LENGTH + innerLength);
        for (int i = 0; i < TOKEN_LENGTH; i++) {
            dst.put(at + TOKEN_OFFSET + i, token[i]);
        }
    }
}
