package parley.core.reliable;

import java.nio.ByteBuffer;

/**
 * Frame types inside a sealed peer packet, their layouts, and the codec that writes and checks
 * them. All integers big-endian. Every size below is built from the named field lengths, so the
 * layout is written down once: the writers, {@link #valid} and {@link #ACK_MAX} all follow it.
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
 * PADDING        (0x08): zero bytes to the packet's end    the last frame; pads a path-MTU probe
 * BULK           (0x09): i64 offset, u16 length, bytes    as STREAM, for stream 1; ack-eliciting
 * BULK_WINDOW    (0x0A): i64 delivered offset, i64 window limit    stream 1's flow control, with ACKs
 * SUITES         (0x0C): u8 mask (bit 0: the sender accepts AES-256-GCM)   alone in its packet; ack-eliciting
 * </pre>
 *
 * <p>0x0B is reserved (a REJECT for stream 1; not used: PROTOCOL.md 9.9).
 *
 * <p>The ACK frame is read by {@link AckFrame} and SUITES by {@link SuitesFrame}, whose field
 * reads follow the same lengths.
 */
final class Frames {
    static final int STREAM = 0x01;
    static final int ACK = 0x02;
    static final int PING = 0x03;
    static final int CLOSE = 0x04;
    static final int REJECT = 0x05;
    static final int PATH_CHALLENGE = 0x06;
    static final int PATH_RESPONSE = 0x07;
    /** Fills the rest of the packet (PROTOCOL.md 9.8): what makes a path-MTU probe its size. */
    static final int PADDING = 0x08;
    /** Stream 1's data (PROTOCOL.md 9.9): the layout of STREAM, in stream 1's own offsets. */
    static final int BULK = 0x09;
    /** Stream 1's delivered offset and window limit, what an ACK carries for stream 0 (PROTOCOL.md 9.9). */
    static final int BULK_WINDOW = 0x0A;
    /** The AEADs the sender accepts (PROTOCOL.md 9.3): {@link SuitesFrame}. */
    static final int SUITES = 0x0C;

    // ---- field lengths -------------------------------------------------------------------------

    /** The frame type byte that starts every frame. */
    static final int TYPE_LENGTH = 1;
    /** An i64 offset into the ordered stream (STREAM offset, ACK delivered and window, REJECT end). */
    static final int STREAM_OFFSET_LENGTH = 8;
    /** STREAM: u16 count of data bytes that follow. */
    static final int STREAM_DATA_LENGTH_LENGTH = 2;
    /** ACK: u32 largest packet number acknowledged. */
    static final int ACK_LARGEST_LENGTH = 4;
    /** ACK: u32 delay, in microseconds, between receiving the largest and sending this ack. */
    static final int ACK_DELAY_LENGTH = 4;
    /** ACK: u8 count of extra ranges after the first. */
    static final int ACK_RANGE_COUNT_LENGTH = 1;
    /** ACK: u16 length of a range, and u16 gap of missing packets above an extra range. */
    static final int ACK_RANGE_FIELD_LENGTH = 2;
    /** ACK: one extra range, its gap and its length. */
    static final int ACK_EXTRA_RANGE_LENGTH = 2 * ACK_RANGE_FIELD_LENGTH;
    /** CLOSE: u8 reason. */
    static final int CLOSE_REASON_LENGTH = 1;
    /** REJECT: u8 application reason. */
    static final int REJECT_REASON_LENGTH = 1;
    /** SUITES: u8 mask of the AEADs the sender accepts. */
    static final int SUITES_MASK_LENGTH = 1;
    /** Bytes of data in a PATH_CHALLENGE or PATH_RESPONSE frame. */
    static final int PATH_DATA_LENGTH = 8;

    // ---- frame sizes ---------------------------------------------------------------------------

    /** STREAM after its type byte, before its data. */
    static final int STREAM_HEADER_BODY = STREAM_OFFSET_LENGTH + STREAM_DATA_LENGTH_LENGTH;
    /** A STREAM frame's bytes besides its data. */
    static final int STREAM_OVERHEAD = TYPE_LENGTH + STREAM_HEADER_BODY;
    /** ACK after its type byte, up to the range count: largest, delay, delivered and window. */
    static final int ACK_FIXED_FIELDS = ACK_LARGEST_LENGTH + ACK_DELAY_LENGTH + 2 * STREAM_OFFSET_LENGTH;
    /** ACK after its type byte, up to its extra ranges. */
    static final int ACK_MIN_BODY = ACK_FIXED_FIELDS + ACK_RANGE_COUNT_LENGTH + ACK_RANGE_FIELD_LENGTH;
    /** The largest ACK frame: all {@link ReceivedPackets#MAX_ACK_RANGES} extra ranges. */
    static final int ACK_MAX = TYPE_LENGTH + ACK_MIN_BODY + ReceivedPackets.MAX_ACK_RANGES * ACK_EXTRA_RANGE_LENGTH;
    static final int CLOSE_SIZE = TYPE_LENGTH + CLOSE_REASON_LENGTH;
    static final int REJECT_SIZE = TYPE_LENGTH + STREAM_OFFSET_LENGTH + REJECT_REASON_LENGTH;
    static final int PATH_FRAME_SIZE = TYPE_LENGTH + PATH_DATA_LENGTH;
    /** BULK_WINDOW after its type byte: delivered offset and window limit. */
    static final int BULK_WINDOW_BODY = 2 * STREAM_OFFSET_LENGTH;
    static final int BULK_WINDOW_SIZE = TYPE_LENGTH + BULK_WINDOW_BODY;
    static final int SUITES_SIZE = TYPE_LENGTH + SUITES_MASK_LENGTH;

    static final int CLOSE_APPLICATION = 1;

    private Frames() {
    }

    // ---- writers -------------------------------------------------------------------------------

    /** A STREAM frame's type, offset and length; the caller copies the {@code length} data bytes after it. */
    static void writeStreamHeader(ByteBuffer out, long offset, int length) {
        writeDataHeader(out, STREAM, offset, length);
    }

    /** A STREAM or BULK frame's type, offset and length; the caller copies the data after it. */
    static void writeDataHeader(ByteBuffer out, int type, long offset, int length) {
        out.put((byte) type).putLong(offset).putShort((short) length);
    }

    static void writeBulkWindow(ByteBuffer out, long delivered, long windowLimit) {
        out.put((byte) BULK_WINDOW).putLong(delivered).putLong(windowLimit);
    }

    /** An ACK frame up to its range count; {@link ReceivedPackets#writeRanges} writes the rest. */
    static void writeAckFields(ByteBuffer out, long largest, long delayMicros, long delivered, long windowLimit) {
        out.put((byte) ACK).putInt((int) largest).putInt((int) Math.min(delayMicros, Integer.MAX_VALUE))
                .putLong(delivered).putLong(windowLimit);
    }

    static void writePing(ByteBuffer out) {
        out.put((byte) PING);
    }

    static void writeClose(ByteBuffer out, int reason) {
        out.put((byte) CLOSE).put((byte) reason);
    }

    static void writeReject(ByteBuffer out, long messageEnd, int reason) {
        out.put((byte) REJECT).putLong(messageEnd).put((byte) reason);
    }

    /** A PATH_CHALLENGE or PATH_RESPONSE frame. */
    static void writePathFrame(ByteBuffer out, int type, long data) {
        out.put((byte) type).putLong(data);
    }

    /**
     * A PADDING frame that fills {@code out} up to {@code end} (a position): its type, then zero
     * bytes. The buffer is reused, so the zeros are written, not assumed.
     */
    static void writePadding(ByteBuffer out, int end) {
        out.put((byte) PADDING);
        int from = out.arrayOffset() + out.position();
        java.util.Arrays.fill(out.array(), from, out.arrayOffset() + end, (byte) 0);
        out.position(end);
    }

    // ---- validation ----------------------------------------------------------------------------

    /** Checks every frame's bounds before any is acted on, so a bad packet changes nothing. */
    static boolean valid(ByteBuffer f) {
        while (f.hasRemaining()) {
            int type = f.get() & 0xFF;
            switch (type) {
                case STREAM:
                case BULK: {
                    if (f.remaining() < STREAM_HEADER_BODY) {
                        return false;
                    }
                    long offset = f.getLong();
                    int length = f.getShort() & 0xFFFF;
                    if (offset < 0 || f.remaining() < length) {
                        return false;
                    }
                    skip(f, length);
                    break;
                }
                case ACK: {
                    if (f.remaining() < ACK_MIN_BODY) {
                        return false;
                    }
                    skip(f, ACK_FIXED_FIELDS);
                    int extra = f.get() & 0xFF;
                    int rest = ACK_RANGE_FIELD_LENGTH + extra * ACK_EXTRA_RANGE_LENGTH;
                    if (extra > ReceivedPackets.MAX_ACK_RANGES || f.remaining() < rest) {
                        return false;
                    }
                    skip(f, rest);
                    break;
                }
                case PING:
                    break;
                case CLOSE:
                    if (!skipIfRoom(f, CLOSE_SIZE - TYPE_LENGTH)) {
                        return false;
                    }
                    break;
                case REJECT:
                    if (!skipIfRoom(f, REJECT_SIZE - TYPE_LENGTH)) {
                        return false;
                    }
                    break;
                case PATH_CHALLENGE:
                case PATH_RESPONSE:
                    if (!skipIfRoom(f, PATH_DATA_LENGTH)) {
                        return false;
                    }
                    break;
                case BULK_WINDOW:
                    if (!skipIfRoom(f, BULK_WINDOW_BODY)) {
                        return false;
                    }
                    break;
                case SUITES:
                    if (!skipIfRoom(f, SUITES_MASK_LENGTH)) {
                        return false;
                    }
                    break;
                case PADDING:
                    f.position(f.limit()); // the rest of the packet, whatever its bytes: ignored
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    /**
     * Whether the receive streams can keep every STREAM frame (stream 0) and BULK frame (stream 1)
     * of a packet whose frames passed {@link #valid} (position to limit; the position is moved). A
     * frame that needs a new held range takes one of its stream's free entries; more than it has
     * means the packet must be dropped unacknowledged, so that the sender resends it once the gaps
     * below it have filled.
     */
    static boolean streamFits(ByteBuffer f, ReceiveStream stream, Receiver receiver) {
        int free = stream.freeRanges();
        ReceiveStream bulk = null;
        int bulkFree = 0;
        while (f.hasRemaining()) {
            int type = f.get() & 0xFF;
            switch (type) {
                case STREAM -> {
                    long offset = f.getLong();
                    int length = f.getShort() & 0xFFFF;
                    if (stream.needsRange(offset, offset + length) && --free < 0) {
                        return false;
                    }
                    skip(f, length);
                }
                case BULK -> {
                    long offset = f.getLong();
                    int length = f.getShort() & 0xFFFF;
                    if (bulk == null) {
                        bulk = receiver.bulk();
                        bulkFree = bulk.freeRanges();
                    }
                    if (bulk.needsRange(offset, offset + length) && --bulkFree < 0) {
                        return false;
                    }
                    skip(f, length);
                }
                case BULK_WINDOW -> skip(f, BULK_WINDOW_BODY);
                case SUITES -> skip(f, SUITES_MASK_LENGTH);
                case ACK -> {
                    skip(f, ACK_FIXED_FIELDS);
                    int extra = f.get() & 0xFF;
                    skip(f, ACK_RANGE_FIELD_LENGTH + extra * ACK_EXTRA_RANGE_LENGTH);
                }
                case CLOSE -> skip(f, CLOSE_SIZE - TYPE_LENGTH);
                case REJECT -> skip(f, REJECT_SIZE - TYPE_LENGTH);
                case PATH_CHALLENGE, PATH_RESPONSE -> skip(f, PATH_DATA_LENGTH);
                case PADDING -> f.position(f.limit());
                default -> { } // PING: no body
            }
        }
        return true;
    }

    private static boolean skipIfRoom(ByteBuffer f, int n) {
        if (f.remaining() < n) {
            return false;
        }
        skip(f, n);
        return true;
    }

    static void skip(ByteBuffer f, int n) {
        f.position(f.position() + n);
    }
}
