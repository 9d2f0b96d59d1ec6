package parley.peer.file;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.WorkQueue;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The file-transfer thread: every disk read, write, fsync and hash of a transfer runs here, in
 * submission order, never on the loop (nio-core's {@link WorkQueue}, as the peer's StoreWorker).
 * Results come back through {@code replies}, the loop's execute, so the loop owns all transfer
 * state and never waits on the disk. Its queue is bounded by the callers: each piece in flight
 * holds one of the loop's {@link PieceBuffers}, so at most {@link PieceBuffers#COUNT} pieces wait.
 *
 * <p>When the last queued work is done and nothing else waits, the thread runs its
 * {@linkplain #onIdle idle hook}: the moment to make durable what the finished work left pending
 * ({@link GroupCommit}), because no later work could join the batch. The fsyncs themselves run
 * on a second thread, the commit thread ({@link #sync}), so the transfer thread goes on writing
 * and hashing the next chunks while the disk flushes the last batch; the whole-file hash of a
 * received file runs on a third, the hash thread ({@link #hash}), so a commit waits on the disk
 * alone (with the hash on the commit thread, the commits were the stage a transfer waited for:
 * PERFORMANCE.md, round 9).
 */
public final class TransferWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransferWorker.class);

    /** Disk work of a transfer. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws Exception;
    }

    /** Its outcome, on the loop: the result, or the failure (then result is null). */
    @FunctionalInterface
    public interface Reply<T> {
        void accept(T result, Exception failure);
    }

    private final WorkQueue<Runnable> worker;
    /** The commit thread: group commits' fsyncs, in order ({@link GroupCommit}). */
    private final WorkQueue<Runnable> committer;
    /** The hash thread: the whole-file SHA-256 of received files, read back ({@link GroupCommit}). */
    private final WorkQueue<Runnable> hasher;
    private final Executor replies;
    /** Work queued and not yet finished: 0 after a task means the thread is about to go idle. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Runnable idle = () -> { };

    public TransferWorker(String name, Executor replies) {
        this.worker = WorkQueue.forTasks(name);
        this.committer = WorkQueue.forTasks(name + "-sync");
        this.hasher = WorkQueue.forTasks(name + "-hash");
        this.replies = replies;
    }

    /** Runs {@code work} on the transfer thread and hands its outcome to {@code onLoop} on the loop. */
    public <T> void run(Work<T> work, Reply<T> onLoop) {
        pending.incrementAndGet(); // before the offer: the worker never sees 0 while this waits
        boolean queued = worker.offer(() -> {
            T result = null;
            Exception failure = null;
            try {
                result = work.run();
            } catch (Exception e) {
                failure = e;
            }
            reply(onLoop, result, failure);
            if (pending.decrementAndGet() == 0) {
                idle.run();
            }
        });
        if (!queued) {
            pending.decrementAndGet();
            log.warn("transfer work dropped: the worker is closed");
        }
    }

    /** Hands an outcome to {@code onLoop} on the loop; from the transfer thread (work, the idle hook). */
    <T> void reply(Reply<T> onLoop, T result, Exception failure) {
        replies.execute(() -> onLoop.accept(result, failure));
    }

    /**
     * Runs {@code task} on the loop later: from the loop, after what the current turn is handling
     * (the end of a burst of messages; {@link Receiving} flushes its {@link ChunkBatch} there).
     */
    void later(Runnable task) {
        replies.execute(task);
    }

    /**
     * Sets what the transfer thread runs each time it has finished all queued work (there is one
     * hook: the receiving side's {@link GroupCommit}). Set before the first {@link #run}.
     */
    void onIdle(Runnable hook) {
        this.idle = hook;
    }

    /**
     * Runs {@code commit} on the commit thread, after the commits queued before it. False, without
     * running it, once the worker is closed.
     */
    boolean sync(Runnable commit) {
        return committer.offer(commit);
    }

    /**
     * Runs {@code hashing} on the hash thread, after what was queued there before it. False,
     * without running it, once the worker is closed.
     */
    boolean hash(Runnable hashing) {
        return hasher.offer(hashing);
    }

    /** Tasks the transfer thread has run so far (tests: pieces travel in batches, not one task each). */
    long tasks() {
        return worker.processed();
    }

    /** True on the transfer thread. */
    public boolean inWorker() {
        return worker.inWorker();
    }

    /** Runs what was queued, then stops; then the commit thread and the hash thread do the same. */
    @Override
    public void close() {
        worker.close();
        committer.close();
        hasher.close();
    }
}
