package parley.core.reliable;

import parley.core.crypto.PacketCipher;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;

import java.nio.ByteBuffer;

/**
 * Flyweight over the clear part of a peer datagram (PROTOCOL.md 9.3): the Parley header, whose
 * correlation field is the packet number, and the destination session id. Both travel in the
 * clear and are authenticated as associated data; everything after them is sealed. The endpoint
 * reads datagrams through one instance and the sessions write theirs through another; accessors
 * use absolute indexing, so wrapping never moves a position and nothing is allocated per packet.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Version = 1  | Class (2 / 3) | 0x40 or 0x41  | Flags: AEAD   |  0
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Packet Number (u32)                       |  4 PACKET_NUMBER_OFFSET
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Body Length = 8 + sealed frames + 16                 |  8
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 Destination Session Id (i64)                  | 12 SESSION_ID_OFFSET
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     Sealed frames (ChaCha20-Poly1305 or AES-256-GCM) ...      | 20 SEALED_OFFSET = AAD_LENGTH
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Tag (16 bytes)                            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The flags byte names the AEAD that sealed the packet (PROTOCOL.md 9.2): {@link #FLAGS_CHACHA}
 * or {@link #FLAGS_GCM}. It is inside the associated data, so it cannot be changed in transit.
 */
public final class PeerPacket {
    /** DATA class: the packet carries stream bytes (chat messages or their fragments). */
    public static final int PEER_DATA = 0x40;
    /** CONTROL class: acks, pings and close only. */
    public static final int PEER_CONTROL = 0x41;

    /** The packet number is the header's correlation field, a u32. */
    public static final int PACKET_NUMBER_OFFSET = Header.CORRELATION_OFFSET;
    public static final int SESSION_ID_OFFSET = Header.LENGTH;
    public static final int SESSION_ID_LENGTH = 8;
    /** Header and session id: the authenticated, unencrypted prefix. */
    public static final int AAD_LENGTH = SESSION_ID_OFFSET + SESSION_ID_LENGTH;
    /** Where the sealed frames start. */
    public static final int SEALED_OFFSET = AAD_LENGTH;
    /** Flags byte: the frames are sealed with ChaCha20-Poly1305 (every session accepts it). */
    public static final int FLAGS_CHACHA = 0x00;
    /** Flags byte: the frames are sealed with AES-256-GCM (only to a side that offered it, 9.3). */
    public static final int FLAGS_GCM = 0x01;
    /** Bytes of a datagram besides its frames: the clear prefix and the AEAD tag. */
    public static final int OVERHEAD = AAD_LENGTH + PacketCipher.TAG_LENGTH;

    private final Header header = new Header();
    private ByteBuffer buffer;
    private int offset;

    public PeerPacket wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        header.wrap(buffer, offset);
        return this;
    }

    /**
     * True if the {@code length} bytes at {@code at} claim to be a peer packet (version and type):
     * anything else on the socket, such as the registry's probe answer, is not for a session.
     */
    public static boolean claimsPeerPacket(ByteBuffer d, int at, int length) {
        if (length < Header.LENGTH || d.get(at + Header.VERSION_OFFSET) != Header.CURRENT_VERSION) {
            return false;
        }
        int type = d.get(at + Header.OPCODE_OFFSET) & 0xFF;
        return type == PEER_DATA || type == PEER_CONTROL;
    }

    /**
     * True if the wrapped packet, {@code length} bytes long in all, is well formed in the clear:
     * long enough for its prefix and tag, a body length that matches, the class its type implies,
     * and flags that name an AEAD ({@link #FLAGS_CHACHA} or {@link #FLAGS_GCM}; whether the session
     * accepts the one named is its own check). Call after {@link #claimsPeerPacket}.
     */
    public boolean wellFormed(int length) {
        int expectedClass = header.opcode() == PEER_DATA ? MessageClass.DATA : MessageClass.CONTROL;
        int flags = header.flags();
        return length >= OVERHEAD && header.bodyLength() == length - Header.LENGTH
                && header.messageClass() == expectedClass && (flags == FLAGS_CHACHA || flags == FLAGS_GCM);
    }

    /** The flags byte: which AEAD sealed the packet. */
    public int flags() {
        return header.flags();
    }

    /** True for PEER_DATA: the packet carries stream bytes. */
    public boolean carriesData() {
        return header.opcode() == PEER_DATA;
    }

    /** The packet number, unsigned. */
    public long packetNumber() {
        return buffer.getInt(offset + PACKET_NUMBER_OFFSET) & 0xFFFF_FFFFL;
    }

    /** The destination session id: the receiver's own id for the session. */
    public long sessionId() {
        return buffer.getLong(offset + SESSION_ID_OFFSET);
    }

    /** {@link #writePrefix(boolean, int, long, long, int)} for a packet sealed with ChaCha20-Poly1305. */
    public PeerPacket writePrefix(boolean carriesData, long packetNumber, long sessionId, int sealedLength) {
        return writePrefix(carriesData, FLAGS_CHACHA, packetNumber, sessionId, sealedLength);
    }

    /**
     * Writes the clear prefix of a packet holding {@code sealedLength} bytes of sealed frames and
     * tag: the header (DATA or CONTROL by {@code carriesData}, {@code flags} naming the AEAD) and
     * the destination session id.
     */
    public PeerPacket writePrefix(boolean carriesData, int flags, long packetNumber, long sessionId, int sealedLength) {
        header.set(carriesData ? MessageClass.DATA : MessageClass.CONTROL, carriesData ? PEER_DATA : PEER_CONTROL,
                flags, (int) packetNumber, SESSION_ID_LENGTH + sealedLength);
        buffer.putLong(offset + SESSION_ID_OFFSET, sessionId);
        return this;
    }
}
