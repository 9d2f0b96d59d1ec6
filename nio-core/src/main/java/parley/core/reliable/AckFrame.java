package parley.core.reliable;

import java.nio.ByteBuffer;

/**
 * Reads one validated ACK frame (see {@link Frames}), after its type byte: the fixed fields at
 * once, then the ranges one at a time, newest first. Reused for every ack, so reading allocates
 * nothing. A range walk goes down from the largest: the first range is
 * {@code [largest - firstLength + 1, largest]}; each extra range's top is the previous range's
 * bottom, minus one, minus its gap.
 */
final class AckFrame {
    /** Microseconds on the wire, nanoseconds here. */
    private static final long NANOS_PER_MICRO = 1000;

    long largest;
    long ackDelayNanos;
    long delivered;
    long windowLimit;
    int extraRanges;
    int firstRangeLength;
    private ByteBuffer frame;
    private int rangesRead;

    /** Reads the fields up to the first range; the buffer is then at the first extra range. */
    AckFrame read(ByteBuffer f) {
        frame = f;
        largest = f.getInt() & 0xFFFF_FFFFL;
        ackDelayNanos = (f.getInt() & 0xFFFF_FFFFL) * NANOS_PER_MICRO;
        delivered = f.getLong();
        windowLimit = f.getLong();
        extraRanges = f.get() & 0xFF;
        firstRangeLength = f.getShort() & 0xFFFF;
        rangesRead = 0;
        return this;
    }

    /** The next extra range's gap; call {@link #nextLength} right after. */
    int nextGap() {
        rangesRead++;
        return frame.getShort() & 0xFFFF;
    }

    int nextLength() {
        return frame.getShort() & 0xFFFF;
    }

    /** Moves past the extra ranges not read, so the next frame can be read. */
    void skipRest() {
        Frames.skip(frame, (extraRanges - rangesRead) * Frames.ACK_EXTRA_RANGE_LENGTH);
        rangesRead = extraRanges;
    }
}
