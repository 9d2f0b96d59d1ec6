package parley.peer.file;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Group commit of verified chunks (PROTOCOL.md section 9.7, FILE_ACK). A chunk is verified as its
 * last byte arrives, but made durable ({@link PartFile#commitTo}: one data fsync, the sidecar's
 * count, one sidecar fsync) together with every chunk verified since the last commit, because
 * two fsyncs per MiB made the receiver's disk thread the stage the whole transfer waited for.
 * A commit of a part file is asked for when the first of these comes:
 * <ul>
 *   <li>the transfer thread has no more queued work ({@link #idle}): nothing more could join the
 *       batch, so waiting would only delay the ack;</li>
 *   <li>{@link #MAX_UNCOMMITTED_BYTES} (8 MiB: 8 chunks at the usual 1 MiB) are verified and not
 *       yet asked for: about the most a kill -9 can make the sender send again, beyond the chunk
 *       that was arriving and the commit in flight (a chunk larger than that is committed on its own);</li>
 *   <li>the transfer completes ({@link PartFile#finish} forces the whole file) or is cancelled
 *       (nothing to keep). A pause or a shutdown stops the writes, so the thread goes idle.</li>
 * </ul>
 * The fsyncs run on the worker's commit thread ({@link TransferWorker#sync}), and the whole-file
 * hash of the same chunks on its hash thread ({@link TransferWorker#hash}, {@link PartFile#hashTo}),
 * so the transfer thread writes and hashes the next chunks meanwhile; it waits for the oldest
 * commit in flight only when {@link #MAX_UNDURABLE_BYTES} are verified and not durable (the disk
 * is slower than the link), and for everything in flight before it finishes, discards or closes a
 * file ({@link #settle}). The loop hears of each
 * commit through the part file's callback, and only then acks: an ack never names a chunk that
 * is not on disk. Transfer thread only.
 */
final class GroupCommit {
    /** Verified bytes allowed to wait before a commit is asked for (in whole chunks; at least one chunk). */
    static final long MAX_UNCOMMITTED_BYTES = 8L << 20;
    /** Verified bytes allowed not to be durable before the transfer thread waits for the oldest commit in flight. */
    static final long MAX_UNDURABLE_BYTES = 2 * MAX_UNCOMMITTED_BYTES;

    /** Runs the commits on its commit thread and posts their outcomes to the loop. */
    private final TransferWorker worker;
    /**
     * Tests only: runs on the transfer thread each time it is about to wait for the oldest commit
     * (the disk is behind), the moment a test holding the commit thread waits for. Read on that
     * slow path only.
     */
    volatile Runnable beforeWait = () -> { };
    /** Part files with verified chunks, their loop callback, and what was asked for; until settled. */
    private final Map<PartFile, Batch> batches = new HashMap<>();

    /** One part file's commits: the loop's callback, the count last asked for, the commits in flight (oldest first). */
    private static final class Batch {
        final TransferWorker.Reply<Integer> onLoop;
        int requested;
        final ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
        /** The last whole-file hashing asked for (the hash thread runs them in order). */
        CompletableFuture<Void> hashing;

        Batch(TransferWorker.Reply<Integer> onLoop, int requested) {
            this.onLoop = onLoop;
            this.requested = requested;
        }

        /** Waits for the oldest commit in flight, if any, and forgets it. */
        void awaitOldest() {
            CompletableFuture<Void> oldest = inFlight.poll();
            if (oldest != null) {
                oldest.join();
            }
        }

        /** Waits for every commit and the hashing in flight. */
        void await() {
            while (!inFlight.isEmpty()) {
                awaitOldest();
            }
            if (hashing != null) {
                hashing.join();
            }
        }

        /** Forgets the commits at the head that are done (so the queue stays as long as the commits pending). */
        void prune() {
            while (!inFlight.isEmpty() && inFlight.peek().isDone()) {
                inFlight.poll();
            }
        }
    }

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
     * After {@code p.write} answered CHUNK_VERIFIED: asks for a commit of {@code p} now if
     * {@link #MAX_UNCOMMITTED_BYTES} wait, else keeps it for the next idle moment. A complete
     * file is left to {@link PartFile#finish}, which forces all of it. {@code onLoop} gets each
     * durable count.
     */
    void verified(PartFile p, TransferWorker.Reply<Integer> onLoop) {
        Batch b = batches.computeIfAbsent(p, k -> new Batch(onLoop, k.durable()));
        if (p.complete()) {
            return;
        }
        if (due(unasked(p, b), p.chunk, false)) {
            request(p, b);
        }
        b.prune();
        while ((long) (p.verified() - p.durable()) * p.chunk >= MAX_UNDURABLE_BYTES && !b.inFlight.isEmpty()) {
            // The disk is behind: hold the writes until the oldest commit is done. Not the newest:
            // waiting for all of them drained the pipeline, so the transfer thread and the commit
            // thread took turns instead of overlapping (PERFORMANCE.md, round 9).
            beforeWait.run();
            b.awaitOldest();
        }
    }

    /** The transfer thread has finished its queued work: asks for a commit of every part file that waits. */
    void idle() {
        for (Map.Entry<PartFile, Batch> e : batches.entrySet()) {
            PartFile p = e.getKey();
            Batch b = e.getValue();
            if (!p.complete() && due(unasked(p, b), p.chunk, true)) {
                request(p, b);
            }
        }
    }

    /**
     * Before {@code p} is finished, discarded or closed: waits for its commits and hashing in
     * flight, if any, and forgets them, so no fsync or read runs on a closed file, no late commit
     * outcome follows, and {@link PartFile#finish} takes the digest the hash thread left.
     */
    void settle(PartFile p) {
        drain(p);
        batches.remove(p);
    }

    /** Waits for {@code p}'s commits and hashing in flight, if any (and for {@link #settle}; tests). */
    void drain(PartFile p) {
        Batch b = batches.get(p);
        if (b != null) {
            b.await();
        }
    }

    /** Part files with verified chunks not yet asked for (tests). */
    int waiting() {
        int n = 0;
        for (Map.Entry<PartFile, Batch> e : batches.entrySet()) {
            n += unasked(e.getKey(), e.getValue()) > 0 && !e.getKey().complete() ? 1 : 0;
        }
        return n;
    }

    /** Chunks of {@code p} verified and not yet asked to be made durable (none once it is closed). */
    private static int unasked(PartFile p, Batch b) {
        return p.uncommitted() == 0 ? 0 : p.verified() - b.requested;
    }

    private void request(PartFile p, Batch b) {
        int upTo = p.verified();
        b.requested = upTo;
        CompletableFuture<Void> done = new CompletableFuture<>();
        b.inFlight.add(done);
        boolean queued = worker.sync(() -> {
            try {
                worker.reply(b.onLoop, p.commitTo(upTo), null);
            } catch (IOException e) {
                worker.reply(b.onLoop, null, e);
            } finally {
                done.complete(null);
            }
        });
        if (!queued) {
            done.complete(null); // closed: the part file stays as its last commit left it
        }
        CompletableFuture<Void> hashed = new CompletableFuture<>();
        b.hashing = hashed;
        boolean hashQueued = worker.hash(() -> {
            try {
                p.hashTo(upTo);
            } catch (IOException e) {
                // finish reads the rest back and checks the whole hash: a file it cannot read fails there
            } finally {
                hashed.complete(null);
            }
        });
        if (!hashQueued) {
            hashed.complete(null);
        }
    }
}
