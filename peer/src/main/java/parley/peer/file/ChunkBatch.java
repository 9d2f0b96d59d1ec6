package parley.peer.file;

import java.nio.ByteBuffer;

/**
 * FILE_CHUNK pieces that the receiving loop took in one turn, handed to the transfer thread as one
 * task and answered as one reply ({@link Receiving}): with a task per 16 KiB piece, the loop and
 * the transfer thread woke each other for every piece (PERFORMANCE.md, round 9). Filled on the
 * loop, written on the transfer thread ({@link #writeAll}), read back on the loop; the hand-offs
 * through the worker's queue order those accesses. At most {@link #CAPACITY} pieces.
 */
final class ChunkBatch {
    static final int CAPACITY = 16;

    final Transfer[] transfer = new Transfer[CAPACITY];
    final long[] offset = new long[CAPACITY];
    final int[] length = new int[CAPACITY];
    final ByteBuffer[] piece = new ByteBuffer[CAPACITY];
    final PartFile.Status[] status = new PartFile.Status[CAPACITY];
    final Exception[] failure = new Exception[CAPACITY];
    int size;

    boolean full() {
        return size == CAPACITY;
    }

    void add(Transfer t, long at, int len, ByteBuffer b) {
        transfer[size] = t;
        offset[size] = at;
        length[size] = len;
        piece[size] = b;
        size++;
    }

    /** What the transfer thread does with a verified chunk of a part file (asks for its group commit). */
    interface OnVerified {
        void verified(Transfer t, PartFile p);
    }

    /** Transfer thread: writes each piece to its part file in order, keeping each one's outcome. */
    ChunkBatch writeAll(OnVerified onVerified) {
        for (int i = 0; i < size; i++) {
            PartFile p = transfer[i].part;
            try {
                status[i] = p.write(offset[i], piece[i]);
                if (status[i] == PartFile.Status.CHUNK_VERIFIED) {
                    onVerified.verified(transfer[i], p);
                }
            } catch (Exception e) { // as a task of its own would have: that piece's transfer fails
                failure[i] = e;
            }
        }
        return this;
    }
}
