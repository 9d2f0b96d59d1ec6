package parley.peer.file;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Group commit of verified chunks (PROTOCOL.md section 9.7, FILE_ACK). A chunk is verified as its
 * last byte arrives, but made durable ({@link PartFile#commit}: one data fsync, the sidecar's
 * count, one sidecar fsync) together with every chunk verified since the last commit, because
 * two fsyncs per MiB made the receiver's disk thread the stage the whole transfer waited for.
 * A part file is committed when the first of these comes:
 * <ul>
 *   <li>the transfer thread has no more queued work ({@link #idle}): nothing more could join the
 *       batch, so waiting would only delay the ack;</li>
 *   <li>{@link #MAX_UNCOMMITTED_BYTES} (8 MiB: 8 chunks at the usual 1 MiB) are verified and not
 *       yet durable: about the most a kill -9 can make the sender send again, beyond the chunk
 *       that was arriving (a chunk larger than that is committed on its own);</li>
 *   <li>the transfer completes ({@link PartFile#finish} forces the whole file) or is cancelled
 *       (nothing to keep). A pause or a shutdown stops the writes, so the thread goes idle.</li>
 * </ul>
 * The loop hears of each commit through the part file's callback, and only then acks: an ack
 * never names a chunk that is not on disk. Transfer thread only.
 */
final class GroupCommit {
    /** Verified bytes allowed to wait for their commit (in whole chunks; at least one chunk). */
    static final long MAX_UNCOMMITTED_BYTES = 8L << 20;

    /** Posts each commit's outcome (the durable chunk count, or the failure) to the loop. */
    private final TransferWorker worker;
    /** Part files with verified chunks not yet durable, with their loop callback; insertion order. */
    private final Map<PartFile, TransferWorker.Reply<Integer>> dirty = new LinkedHashMap<>();

    GroupCommit(TransferWorker worker) {
        this.worker = worker;
    }

    /**
     * The rule, apart from completion: commit when a verified chunk waits and the thread is idle,
     * or when {@code uncommitted} chunks of {@code chunk} bytes make {@link #MAX_UNCOMMITTED_BYTES}.
     */
    static boolean due(int uncommitted, int chunk, boolean idle) {
        return uncommitted > 0 && (idle || (long) uncommitted * chunk >= MAX_UNCOMMITTED_BYTES);
    }

    /**
     * After {@code p.write} answered CHUNK_VERIFIED: commits {@code p} now if
     * {@link #MAX_UNCOMMITTED_BYTES} wait, else keeps it for the next idle moment. A complete
     * file is left to {@link PartFile#finish}, which forces all of it. {@code onLoop} gets the
     * durable count.
     */
    void verified(PartFile p, TransferWorker.Reply<Integer> onLoop) {
        if (p.complete()) {
            dirty.remove(p);
            return;
        }
        dirty.putIfAbsent(p, onLoop);
        if (due(p.uncommitted(), p.chunk, false)) {
            commit(p, dirty.remove(p));
        }
    }

    /** The transfer thread has finished its queued work: commits every part file that waits. */
    void idle() {
        for (Iterator<Map.Entry<PartFile, TransferWorker.Reply<Integer>>> it = dirty.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<PartFile, TransferWorker.Reply<Integer>> e = it.next();
            it.remove();
            if (due(e.getKey().uncommitted(), e.getKey().chunk, true)) {
                commit(e.getKey(), e.getValue());
            }
        }
    }

    /** Part files waiting for a commit (tests). */
    int waiting() {
        return dirty.size();
    }

    private void commit(PartFile p, TransferWorker.Reply<Integer> onLoop) {
        try {
            int durable = p.commit();
            worker.reply(onLoop, durable, null);
        } catch (IOException e) {
            worker.reply(onLoop, null, e);
        }
    }
}
