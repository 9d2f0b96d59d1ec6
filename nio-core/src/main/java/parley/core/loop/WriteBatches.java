package parley.core.loop;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;

/**
 * Write coalescing for one loop: the shared write-batch buffer, and the scopes in which writes
 * wait until the end of a task. Loop thread only, like everything it serves.
 *
 * <p><b>The shared buffer.</b> Replies produced while one connection's input is handled gather
 * in one loop-wide buffer and leave in one write when the read is done, as Netty flushes on
 * {@code channelReadComplete}. Only one holder at a time: {@link #lend} answers null while it is
 * out, and the holder {@link #giveBack}s it after its write.
 *
 * <p><b>Batching scopes.</b> {@link #run} runs a task (a group commit's completions, say) with
 * writes deferred: a connection written to inside the scope corks, keeps its bytes (in the shared
 * buffer if it got it, else in its own outbound buffer), and registers a {@link Deferred}; when
 * the task is done every registered connection flushes once. N replies to one connection then
 * cost one write instead of N, however the replies to different connections interleave.
 */
public final class WriteBatches {
    /** Size of the shared buffer: a read's worth of replies, and a scope's for its first connection. */
    public static final int BUFFER_BYTES = 256 * 1024;
    private static final Logger log = LoggerFactory.getLogger(WriteBatches.class);

    /** Something that held writes back during a scope and must now send them. */
    @FunctionalInterface
    public interface Deferred {
        void flushDeferred();
    }

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final ArrayList<Deferred> deferred = new ArrayList<>();
    private boolean lent;
    private boolean batching;

    WriteBatches() {
    }

    /** The shared buffer, cleared, or null while another holder has it. */
    public ByteBuffer lend() {
        if (lent) {
            return null;
        }
        lent = true;
        buffer.clear();
        return buffer;
    }

    /** Returns the shared buffer after its contents were written. */
    public void giveBack() {
        lent = false;
    }

    /** True while a batching scope runs: writes should be deferred to its end. */
    public boolean active() {
        return batching;
    }

    /** Registers a writer to flush when the current scope ends; call once per scope and writer. */
    public void defer(Deferred writer) {
        deferred.add(writer);
    }

    /**
     * Runs {@code task} with writes deferred, then flushes each deferred writer once, in the
     * order they first wrote. A nested call just runs its task inside the outer scope. An
     * exception from the task propagates after the flush: replies already produced still leave.
     */
    void run(Runnable task) {
        if (batching) {
            task.run();
            return;
        }
        batching = true;
        try {
            task.run();
        } finally {
            batching = false;
            // The list cannot grow while it is flushed: the scope is over, so nobody defers.
            for (int i = 0; i < deferred.size(); i++) {
                try {
                    deferred.get(i).flushDeferred();
                } catch (RuntimeException e) {
                    log.warn("deferred flush failed", e);
                }
            }
            deferred.clear();
        }
    }
}
