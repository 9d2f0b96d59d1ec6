package parley.core.reliable;

import java.nio.ByteBuffer;

/**
 * Which packet numbers have arrived, in a 1024-packet window below the largest. It answers two
 * questions: is this packet a replay or duplicate (drop it), and which ranges to acknowledge.
 * Packets older than the window are treated as replays: if they were real, their data was resent.
 */
final class ReceivedPackets {
    static final int WINDOW = 1024;
    static final int MAX_ACK_RANGES = 32;
    private final long[] bits = new long[WINDOW / 64];
    private long largest = -1;

    long largest() {
        return largest;
    }

    boolean isDuplicate(long pn) {
        if (largest < 0 || pn > largest) {
            return false;
        }
        if (pn <= largest - WINDOW) {
            return true;
        }
        return (bits[(int) ((pn >>> 6) & (bits.length - 1))] & (1L << (pn & 63))) != 0;
    }

    void record(long pn) {
        if (pn > largest) {
            long from = largest + 1;
            if (pn - from >= WINDOW) {
                java.util.Arrays.fill(bits, 0);
            } else {
                for (long p = from; p <= pn; p++) {
                    bits[(int) ((p >>> 6) & (bits.length - 1))] &= ~(1L << (p & 63));
                }
            }
            largest = pn;
        }
        bits[(int) ((pn >>> 6) & (bits.length - 1))] |= 1L << (pn & 63);
    }

    private boolean has(long pn) {
        return pn >= 0 && pn > largest - WINDOW && (bits[(int) ((pn >>> 6) & (bits.length - 1))] & (1L << (pn & 63))) != 0;
    }

    /**
     * Writes the ack ranges, newest first: u8 count of extra ranges, u16 length of the first range
     * (which ends at the largest), then per extra range u16 gap (missing packets above it) and u16
     * length. A reader walks down: first = [L - len + 1, L], next top = previous bottom - 1 - gap.
     */
    void writeRanges(ByteBuffer out) {
        int countAt = out.position();
        out.put((byte) 0);
        long lowest = Math.max(0, largest - WINDOW + 1);
        long pn = largest;
        long top = pn;
        while (pn >= lowest && has(pn) && top - pn < 0xFFFF) {
            pn--;
        }
        out.putShort((short) (top - pn));
        int extra = 0;
        while (extra < MAX_ACK_RANGES && pn >= lowest) {
            long gapTop = pn;
            while (pn >= lowest && !has(pn) && gapTop - pn < 0xFFFF) {
                pn--;
            }
            if (pn < lowest || has(pn) == false) {
                break;
            }
            top = pn;
            while (pn >= lowest && has(pn) && top - pn < 0xFFFF) {
                pn--;
            }
            out.putShort((short) (gapTop - top)).putShort((short) (top - pn));
            extra++;
        }
        out.put(countAt, (byte) extra);
    }
}
