package parley.peer.file;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The loop's fixed set of piece buffers: one FILE_CHUNK's data each. A piece travels between the
 * loop and the {@link TransferWorker} in one of these (read by the worker for the sender, copied
 * out of the session by the loop for the receiver) and comes back when the other side is done
 * with it. When none is free the loop stops: it reads no more pieces from disk for sending, and
 * takes no more messages from the session (its receive window then holds the peer). So the
 * memory of all transfers together is {@link #COUNT} x {@link FilePayload#MAX_PIECE} bytes
 * (8 MiB, direct), whatever the files' sizes, and steady state allocates nothing. Loop thread only.
 *
 * <p>Why 512: with 64 (1 MiB) the receiver's intake closed whenever its transfer thread sat in
 * one chunk's fsync for longer than 1 MiB takes to arrive, and the sender's read-ahead (which
 * shares the pool) could not cover the transfer thread's wake-up latency on a loaded host;
 * {@code bench transfer --trace} showed the sender with nothing to send (PERFORMANCE.md). With
 * 256 and the fsyncs on their own thread the trace still showed the receiver's pool empty in
 * samples (the disk thread's writes wait while a commit flushes); 512 took the warm goodput
 * from 216-222 to 237-262 MB/s on a quiet host; 1,024 did not help (PERFORMANCE.md, round 6).
 */
public final class PieceBuffers {
    public static final int COUNT = 512;

    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>(COUNT);
    private Runnable onRoom = () -> { };

    public PieceBuffers() {
        this(COUNT);
    }

    PieceBuffers(int count) {
        for (int i = 0; i < count; i++) {
            free.push(ByteBuffer.allocateDirect(FilePayload.MAX_PIECE));
        }
    }

    /** A cleared buffer, or null when all are in use: the caller waits for {@link #give}. */
    public ByteBuffer take() {
        ByteBuffer b = free.poll();
        return b == null ? null : b.clear();
    }

    /**
     * Runs when a buffer comes back while none was free: the session's intake may open again
     * (ReliableTransport#resumeIntake). Runs inside {@link #give}: defer anything that may take
     * buffers again (loop.execute).
     */
    public void onRoom(Runnable callback) {
        this.onRoom = callback;
    }

    public void give(ByteBuffer b) {
        boolean wasEmpty = free.isEmpty();
        free.push(b);
        if (wasEmpty) {
            onRoom.run();
        }
    }

    public int available() {
        return free.size();
    }
}
