package parley.peer.core;

import java.nio.ByteBuffer;

/**
 * The RECEIPT chat payload (PROTOCOL.md 9.3.1, kind 0x03): {@code u8 0x03 | i64 message id}, 9
 * bytes, sent over a peer session by the recipient of a message that came through the mailbox,
 * once it is stored. Any other length is malformed.
 */
final class ReceiptPayload {
    static final int KIND = 0x03;
    static final int LENGTH = 1 + 8;

    private ReceiptPayload() {
    }

    /** True if the payload (position to limit) claims to be a RECEIPT, whatever its length. */
    static boolean isReceipt(ByteBuffer payload) {
        return payload.hasRemaining() && payload.get(payload.position()) == KIND;
    }

    static boolean wellFormed(ByteBuffer payload) {
        return payload.remaining() == LENGTH;
    }

    static long id(ByteBuffer payload) {
        return payload.getLong(payload.position() + 1);
    }

    /** Writes the payload into {@code out} (cleared first, flipped after): the loop's reused buffer. */
    static ByteBuffer encode(ByteBuffer out, long deliveredId) {
        out.clear();
        out.put((byte) KIND).putLong(deliveredId);
        return out.flip();
    }
}
