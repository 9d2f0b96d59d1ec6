package parley.core.reliable;

import parley.core.crypto.PacketCipher;
import parley.core.wire.Header;

/**
 * Layout of a peer datagram. The Parley header and the destination session id travel in the
 * clear and are authenticated as associated data; everything after them is sealed.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Version = 1  | Class (2 / 3) | 0x40 or 0x41  |   Flags = 0   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Packet Number (u32)                       |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Body Length = 8 + sealed frames + 16                 |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 Destination Session Id (i64)                  |
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |              Sealed frames (ChaCha20-Poly1305) ...            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Tag (16 bytes)                            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class PeerPacket {
    /** DATA class: the packet carries stream bytes (chat messages or their fragments). */
    public static final int PEER_DATA = 0x40;
    /** CONTROL class: acks, pings and close only. */
    public static final int PEER_CONTROL = 0x41;

    public static final int SESSION_ID_OFFSET = Header.LENGTH;
    public static final int AAD_LENGTH = Header.LENGTH + 8;
    public static final int OVERHEAD = AAD_LENGTH + PacketCipher.TAG_LENGTH;

    private PeerPacket() {
    }
}
