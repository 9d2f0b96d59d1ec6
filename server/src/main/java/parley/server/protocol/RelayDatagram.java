package parley.server.protocol;

import parley.core.reliable.PeerPacket;
import parley.core.udp.UdpChannel;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;

import java.nio.ByteBuffer;

/**
 * Flyweight over a RELAY datagram (PROTOCOL.md 7.8), peer to relay over UDP: a Parley header of
 * class DATA and opcode {@link RegistryOpcodes#RELAY}, the sender's 16-byte relay token, then an
 * entire peer datagram (section 9.2) that the relay forwards unchanged to the other side. Static
 * accessors with absolute indexing: reading or writing one moves no position and allocates
 * nothing, so the relay's per-packet path stays garbage-free.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Version = 1  | Class DATA (2)| Opcode = 0x42 |   Flags = 0   |  0
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                       Correlation = 0                         |  4
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                   Body Length = 16 + n                        |  8
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                  Relay Token, high 8 bytes                    | 12 TOKEN_HI_OFFSET
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                  Relay Token, low 8 bytes                     | 20 TOKEN_LO_OFFSET
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |   Inner peer datagram (section 9.2), n = 36..1200 bytes:      | 28 INNER_OFFSET
 *  |   12-byte header (0x40 / 0x41), destination session id,       |
 *  |   sealed frames, tag. Forwarded byte for byte.                |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class RelayDatagram {
    public static final int TOKEN_HI_OFFSET = Header.LENGTH;
    public static final int TOKEN_LO_OFFSET = TOKEN_HI_OFFSET + Long.BYTES;
    public static final int TOKEN_LENGTH = RelayGrant.TOKEN_BYTES;
    /** Where the inner peer datagram starts. */
    public static final int INNER_OFFSET = TOKEN_HI_OFFSET + TOKEN_LENGTH;
    /** The smallest inner datagram: a peer datagram's header, session id and tag (PeerPacket.OVERHEAD). */
    public static final int MIN_INNER = PeerPacket.OVERHEAD;
    /** The largest inner datagram: a peer datagram's own limit (section 9.2). */
    public static final int MAX_INNER = UdpChannel.DEFAULT_MAX_PAYLOAD;
    /** The largest RELAY datagram: the relay's UDP port accepts this much. */
    public static final int MAX_LENGTH = INNER_OFFSET + MAX_INNER;
    public static final int MIN_LENGTH = INNER_OFFSET + MIN_INNER;

    private RelayDatagram() {
    }

    /**
     * True if the {@code length} bytes at {@code at} are a well-formed RELAY envelope: version 1,
     * class DATA, opcode RELAY, no flags, correlation 0, a body length that matches, and an inner
     * datagram within bounds. The inner datagram is checked separately.
     */
    public static boolean wellFormed(ByteBuffer d, int at, int length) {
        return length >= MIN_LENGTH && length <= MAX_LENGTH
                && d.get(at + Header.VERSION_OFFSET) == Header.CURRENT_VERSION
                && d.get(at + Header.CLASS_OFFSET) == MessageClass.DATA
                && (d.get(at + Header.OPCODE_OFFSET) & 0xFF) == RegistryOpcodes.RELAY
                && d.get(at + Header.FLAGS_OFFSET) == 0
                && d.getInt(at + Header.CORRELATION_OFFSET) == 0
                && (d.getInt(at + Header.BODY_LENGTH_OFFSET) & 0xFFFF_FFFFL) == length - Header.LENGTH;
    }

    public static long tokenHi(ByteBuffer d, int at) {
        return d.getLong(at + TOKEN_HI_OFFSET);
    }

    public static long tokenLo(ByteBuffer d, int at) {
        return d.getLong(at + TOKEN_LO_OFFSET);
    }

    /**
     * Writes the envelope for an inner datagram of {@code innerLength} bytes at {@code at}; the
     * caller puts the inner datagram at {@code at + INNER_OFFSET}. Returns the whole length.
     */
    public static int writeHeader(ByteBuffer d, int at, long tokenHi, long tokenLo, int innerLength) {
        d.put(at + Header.VERSION_OFFSET, (byte) Header.CURRENT_VERSION);
        d.put(at + Header.CLASS_OFFSET, (byte) MessageClass.DATA);
        d.put(at + Header.OPCODE_OFFSET, (byte) RegistryOpcodes.RELAY);
        d.put(at + Header.FLAGS_OFFSET, (byte) 0);
        d.putInt(at + Header.CORRELATION_OFFSET, 0);
        d.putInt(at + Header.BODY_LENGTH_OFFSET, TOKEN_LENGTH + innerLength);
        d.putLong(at + TOKEN_HI_OFFSET, tokenHi);
        d.putLong(at + TOKEN_LO_OFFSET, tokenLo);
        return INNER_OFFSET + innerLength;
    }
}
