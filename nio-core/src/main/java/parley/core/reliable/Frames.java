package parley.core.reliable;

import java.nio.ByteBuffer;

/**
 * Frame types inside a sealed peer packet, and their layouts. All integers big-endian.
 *
 * <pre>
 * STREAM (0x01): i64 offset, u16 length, bytes            ack-eliciting
 * ACK    (0x02): u32 largest, u32 ack delay (microseconds),
 *                i64 delivered offset, i64 window limit,
 *                u8 extra ranges N, u16 first range length,
 *                N x (u16 gap, u16 range length)
 * PING   (0x03): nothing                                  ack-eliciting
 * CLOSE  (0x04): u8 reason
 * REJECT (0x05): i64 message end offset, u8 application reason   ack-eliciting
 * PATH_CHALLENGE (0x06): 8 random bytes                   sent to an address being validated
 * PATH_RESPONSE  (0x07): the 8 bytes of the challenge     sent back where the challenge came from
 * </pre>
 */
final class Frames {
    static final int STREAM = 0x01;
    static final int ACK = 0x02;
    static final int PING = 0x03;
    static final int CLOSE = 0x04;
    static final int REJECT = 0x05;
    static final int PATH_CHALLENGE = 0x06;
    static final int PATH_RESPONSE = 0x07;
    /** Bytes of data in a PATH_CHALLENGE or PATH_RESPONSE frame. */
    static final int PATH_DATA_LENGTH = 8;

    static final int STREAM_OVERHEAD = 1 + 8 + 2;
    static final int REJECT_SIZE = 1 + 8 + 1;
    static final int ACK_MAX = 1 + 4 + 4 + 8 + 8 + 1 + 2 + ReceivedPackets.MAX_ACK_RANGES * 4;

    static final int CLOSE_APPLICATION = 1;

    private Frames() {
    }

    /** Checks every frame's bounds before any is acted on, so a bad packet changes nothing. */
    static boolean valid(ByteBuffer f) {
        while (f.hasRemaining()) {
            int type = f.get() & 0xFF;
            switch (type) {
                case Frames.STREAM: {
                    if (f.remaining() < 10) {
                        return false;
                    }
                    long offset = f.getLong();
                    int length = f.getShort() & 0xFFFF;
                    if (offset < 0 || f.remaining() < length) {
                        return false;
                    }
                    f.position(f.position() + length);
                    break;
                }
                case Frames.ACK: {
                    if (f.remaining() < 4 + 4 + 8 + 8 + 1 + 2) {
                        return false;
                    }
                    f.position(f.position() + 24);
                    int extra = f.get() & 0xFF;
                    if (extra > ReceivedPackets.MAX_ACK_RANGES || f.remaining() < 2 + extra * 4) {
                        return false;
                    }
                    f.position(f.position() + 2 + extra * 4);
                    break;
                }
                case Frames.PING:
                    break;
                case Frames.CLOSE:
                    if (f.remaining() < 1) {
                        return false;
                    }
                    f.get();
                    break;
                case Frames.REJECT:
                    if (f.remaining() < REJECT_SIZE - 1) {
                        return false;
                    }
                    f.position(f.position() + REJECT_SIZE - 1);
                    break;
                case Frames.PATH_CHALLENGE:
                case Frames.PATH_RESPONSE:
                    if (f.remaining() < PATH_DATA_LENGTH) {
                        return false;
                    }
                    f.position(f.position() + PATH_DATA_LENGTH);
                    break;
                default:
                    return false;
            }
        }
        return true;
    }
}
