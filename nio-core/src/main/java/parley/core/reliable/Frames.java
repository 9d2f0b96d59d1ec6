package parley.core.reliable;

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
 * </pre>
 */
final class Frames {
    static final int STREAM = 0x01;
    static final int ACK = 0x02;
    static final int PING = 0x03;
    static final int CLOSE = 0x04;
    static final int REJECT = 0x05;

    static final int STREAM_OVERHEAD = 1 + 8 + 2;
    static final int REJECT_SIZE = 1 + 8 + 1;
    static final int ACK_MAX = 1 + 4 + 4 + 8 + 8 + 1 + 2 + ReceivedPackets.MAX_ACK_RANGES * 4;

    static final int CLOSE_APPLICATION = 1;

    private Frames() {
    }
}
