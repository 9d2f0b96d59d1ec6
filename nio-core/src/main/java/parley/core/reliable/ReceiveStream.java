package parley.core.reliable;

import java.nio.ByteBuffer;

/**
 * The receiver's side of the stream: places bytes by offset, whatever order they come in, and
 * hands whole messages to the application strictly in order, each exactly once. Bytes below the
 * delivered point, and bytes already held, are duplicates and are ignored.
 *
 * <p>The ring is the flow-control window: the sender may not send past {@link #maxOffset}, so
 * nothing the peer sends legally can overrun it. The window is what the sender is promised; the
 * ring behind it starts small and doubles when data lands beyond it, up to the window, so an idle
 * session holds kilobytes and a busy one, once grown, allocates nothing more.
 */
final class ReceiveStream {
    /** Receives a whole message, position to limit, valid only during the call. */
    interface MessageSink {
        void onMessage(ByteBuffer message);

        /** False while the application cannot take more: delivery waits, and so does the window. */
        default boolean ready() {
            return true;
        }
    }

    /** Held ranges above the contiguous point are capped; a packet whose data would need more is not acknowledged (resent). */
    static final int MAX_RANGES = 256;

    /** First size of the ring; a power of two. */
    static final int INITIAL_RING = 2048;

    private final int window;
    private byte[] ring;
    private int mask;
    private final int maxMessage;
    private ByteBuffer ringView;
    private ByteBuffer assembly;
    private long delivered;
    private long contiguous;
    // Held, disjoint, sorted ranges [start, end) above contiguous.
    private final long[] heldStart = new long[MAX_RANGES];
    private final long[] heldEnd = new long[MAX_RANGES];
    private int held;
    private long duplicateBytes;

    ReceiveStream(int window, int maxMessage) {
        this.window = Integer.highestOneBit(window - 1) << 1;
        this.ring = new byte[Math.min(INITIAL_RING, this.window)];
        this.mask = ring.length - 1;
        this.maxMessage = maxMessage;
        this.ringView = ByteBuffer.wrap(ring);
    }

    /** The highest offset the sender may send up to: what is delivered plus the window. */
    long maxOffset() {
        return delivered + window;
    }

    /**
     * Doubles the ring until offsets up to {@code end} fit above the delivered point. Every byte
     * not yet delivered, held or not, keeps its stream offset.
     */
    private void growTo(long end) {
        int size = ring.length;
        while (end - delivered > size) {
            size <<= 1;
        }
        byte[] bigger = new byte[size];
        int newMask = size - 1;
        long top = delivered + ring.length;
        for (long o = delivered; o < top; o++) {
            bigger[(int) (o & newMask)] = ring[(int) (o & mask)];
        }
        ring = bigger;
        mask = newMask;
        ringView = ByteBuffer.wrap(ring);
    }

    /** Bytes held by this stream's arrays, for the memory bound tests. */
    long retainedBytes() {
        return ring.length + 16L * MAX_RANGES + (assembly == null ? 0 : assembly.capacity());
    }

    long delivered() {
        return delivered;
    }

    long duplicateBytes() {
        return duplicateBytes;
    }

    /**
     * Takes {@code length} bytes at stream {@code offset} from {@code src} at {@code srcPos}.
     * Returns false if they lie beyond the window: a peer that does that breaks the protocol.
     */
    boolean onData(long offset, ByteBuffer src, int srcPos, int length) {
        long end = offset + length;
        if (offset < 0 || end > maxOffset()) {
            return false;
        }
        if (end <= contiguous) {
            duplicateBytes += length;
            return true;
        }
        if (offset < contiguous) {
            int skip = (int) (contiguous - offset);
            duplicateBytes += skip;
            srcPos += skip;
            length -= skip;
            offset = contiguous;
        }
        if (offset == contiguous && (held == 0 || end < heldStart[0])) {
            // In order below every held range: it extends the contiguous point and needs no range
            // (so the data that fills the first gap is taken even when the range table is full).
            writeAt(offset, src, srcPos, length);
            contiguous = end;
            return true;
        }
        if (!hold(offset, end)) {
            // The session checks {@link #needsRange} before it records the packet, so this is not
            // reached by a packet it acknowledges; dropped, it is resent as any loss.
            return true;
        }
        writeAt(offset, src, srcPos, length);
        advanceContiguous();
        return true;
    }

    private void writeAt(long offset, ByteBuffer src, int srcPos, int length) {
        long end = offset + length;
        if (end - delivered > ring.length) {
            growTo(end);
        }
        int first = (int) Math.min(length, ring.length - (offset & mask));
        src.get(srcPos, ring, (int) (offset & mask), first);
        if (first < length) {
            src.get(srcPos + first, ring, 0, length - first);
        }
    }

    /**
     * True if data at [offset, end) would take a new entry in the table of held ranges: it lies
     * above the contiguous point and touches no held range. With the table full such data cannot
     * be kept, and the packet that carries it must then not be acknowledged.
     */
    boolean needsRange(long offset, long end) {
        if (offset <= contiguous) {
            return false;
        }
        for (int i = held - 1; i >= 0 && heldEnd[i] >= offset; i--) {
            if (heldStart[i] <= end) {
                return false;
            }
        }
        return true;
    }

    /** Free entries in the table of held ranges. */
    int freeRanges() {
        return MAX_RANGES - held;
    }

    /** Records [start, end) as held, merging with neighbours; false if the range table is full. */
    private boolean hold(long start, long end) {
        // The first range that ends at or after start. Searched from the top: data mostly arrives
        // in order, above every held range, so under loss this is O(1) rather than O(held).
        int i = held;
        while (i > 0 && heldEnd[i - 1] >= start) {
            i--;
        }
        if (i < held && heldStart[i] <= end) {
            // Overlaps or touches range i: merge, then absorb any ranges it now reaches.
            long s = Math.min(start, heldStart[i]);
            long e = Math.max(end, heldEnd[i]);
            if (s == heldStart[i] && e == heldEnd[i]) {
                duplicateBytes += end - start;
            }
            int j = i + 1;
            while (j < held && heldStart[j] <= e) {
                e = Math.max(e, heldEnd[j]);
                j++;
            }
            heldStart[i] = s;
            heldEnd[i] = e;
            int removed = j - i - 1;
            if (removed > 0) {
                System.arraycopy(heldStart, j, heldStart, i + 1, held - j);
                System.arraycopy(heldEnd, j, heldEnd, i + 1, held - j);
                held -= removed;
            }
            return true;
        }
        if (held == MAX_RANGES) {
            return false;
        }
        System.arraycopy(heldStart, i, heldStart, i + 1, held - i);
        System.arraycopy(heldEnd, i, heldEnd, i + 1, held - i);
        heldStart[i] = start;
        heldEnd[i] = end;
        held++;
        return true;
    }

    private void advanceContiguous() {
        if (held > 0 && heldStart[0] <= contiguous) {
            contiguous = Math.max(contiguous, heldEnd[0]);
            System.arraycopy(heldStart, 1, heldStart, 0, held - 1);
            System.arraycopy(heldEnd, 1, heldEnd, 0, held - 1);
            held--;
        }
    }

    /**
     * Hands every complete message to {@code sink}, in order. Returns the number delivered, or
     * -1 if a length prefix exceeds the message limit (the peer broke the protocol).
     */
    int deliver(MessageSink sink) {
        int n = 0;
        while (contiguous - delivered >= 4 && sink.ready()) {
            long length = (byte4(delivered) & 0xFFFF_FFFFL);
            if (length > maxMessage) {
                return -1;
            }
            if (contiguous - delivered < 4 + length) {
                break;
            }
            long at = delivered + 4;
            int pos = (int) (at & mask);
            ByteBuffer view;
            if (pos + length <= ring.length) {
                view = ringView;
                view.limit(pos + (int) length).position(pos);
            } else {
                view = assembly((int) length);
                int first = ring.length - pos;
                view.put(ring, pos, first).put(ring, 0, (int) length - first).flip();
            }
            delivered = at + length;
            n++;
            sink.onMessage(view);
        }
        return n;
    }

    private int byte4(long offset) {
        return (ring[(int) (offset & mask)] & 0xFF) << 24 | (ring[(int) ((offset + 1) & mask)] & 0xFF) << 16
                | (ring[(int) ((offset + 2) & mask)] & 0xFF) << 8 | (ring[(int) ((offset + 3) & mask)] & 0xFF);
    }

    // Only a message that wraps the ring's end is copied, into a buffer kept for the next one.
    private ByteBuffer assembly(int length) {
        if (assembly == null || assembly.capacity() < length) {
            assembly = ByteBuffer.allocate(Math.max(length, 4096));
        }
        assembly.clear();
        return assembly;
    }

    int heldRanges() {
        return held;
    }
}
