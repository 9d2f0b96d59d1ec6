package parley.core.reliable;

/**
 * What a session remembers of each packet it sent and has not yet seen acknowledged or lost:
 * when, how big, its flags and the stream ranges it carried, indexed by packet number modulo
 * the table length. The tables start small and double while more packets are outstanding, so
 * an idle session holds a few kilobytes; once grown they stay, so steady state allocates
 * nothing. The {@link LossDetector} reads and writes the arrays directly on its hot path.
 */
final class SentPackets {
    /** The packet asks for an ack: it holds a frame other than ACK, CLOSE or a path frame. */
    static final int ACK_ELICITING = 1;
    /** The packet counts against the congestion window until acknowledged, lost or discarded. */
    static final int IN_FLIGHT = 2;
    static final int ACKED = 4;
    static final int LOST = 8;
    /** The packet carried REJECT frames: if it is lost while they are unconfirmed, send them again. */
    static final int CARRIED_REJECT = 16;
    /** A path-MTU probe (PROTOCOL.md 9.8): never in flight, never resent, its loss no congestion signal. */
    static final int MTU_PROBE = 32;
    /** The packet carried only a SUITES frame (PROTOCOL.md 9.3): its fate goes to the {@link SuitesExchange}. */
    static final int SUITES = 64;

    private final int rangesPerPacket;
    long[] time;
    int[] size;
    int[] flags;
    int[] rangeCount;
    /** Per slot, {@code rangesPerPacket} pairs of [start, end) stream offsets. */
    long[] ranges;
    /** Table length minus one; the length is a power of two. */
    int mask;

    SentPackets(int slots, int rangesPerPacket) {
        this.rangesPerPacket = rangesPerPacket;
        allocate(slots);
    }

    private void allocate(int slots) {
        time = new long[slots];
        size = new int[slots];
        flags = new int[slots];
        rangeCount = new int[slots];
        ranges = new long[slots * rangesPerPacket * 2];
        mask = slots - 1;
    }

    /** Room for packet {@code next} while [oldest, next) are outstanding: doubles up to {@code max} slots. */
    void makeRoom(long oldest, long next, int max) {
        if (next - oldest > mask && mask < max - 1) {
            grow(oldest, next);
        }
    }

    void record(int slot, long now, int bytes, int ranges, int packetFlags) {
        time[slot] = now;
        size[slot] = bytes;
        rangeCount[slot] = ranges;
        flags[slot] = packetFlags;
    }

    /** Doubles the tables; the packets numbered [oldest, next) keep their entries. */
    void grow(long oldest, long next) {
        long[] oldTime = time;
        int[] oldSize = size;
        int[] oldFlags = flags;
        int[] oldRangeCount = rangeCount;
        long[] oldRanges = ranges;
        int oldMask = mask;
        allocate((mask + 1) * 2);
        int stride = rangesPerPacket * 2;
        for (long pn = oldest; pn < next; pn++) {
            int from = (int) (pn & oldMask);
            int to = (int) (pn & mask);
            time[to] = oldTime[from];
            size[to] = oldSize[from];
            flags[to] = oldFlags[from];
            rangeCount[to] = oldRangeCount[from];
            System.arraycopy(oldRanges, from * stride, ranges, to * stride, stride);
        }
    }

    long retainedBytes() {
        return 8L * time.length + 4L * (size.length + flags.length + rangeCount.length) + 8L * ranges.length;
    }
}
