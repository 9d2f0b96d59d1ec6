package parley.peer.file;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.WorkQueue;

import java.util.concurrent.Executor;

/**
 * The file-transfer thread: every disk read, write, fsync and hash of a transfer runs here, in
 * submission order, never on the loop (nio-core's {@link WorkQueue}, as the peer's StoreWorker).
 * Results come back through {@code replies}, the loop's execute, so the loop owns all transfer
 * state and never waits on the disk. Its queue is bounded by the callers: each piece in flight
 * holds one of the loop's {@link PieceBuffers}, so at most {@link PieceBuffers#COUNT} pieces wait.
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
    private final Executor replies;

    public TransferWorker(String name, Executor replies) {
        this.worker = WorkQueue.forTasks(name);
        this.replies = replies;
    }

    /** Runs {@code work} on the transfer thread and hands its outcome to {@code onLoop} on the loop. */
    public <T> void run(Work<T> work, Reply<T> onLoop) {
        boolean queued = worker.offer(() -> {
            T result = null;
            Exception failure = null;
            try {
                result = work.run();
            } catch (Exception e) {
                failure = e;
            }
            T r = result;
            Exception f = failure;
            replies.execute(() -> onLoop.accept(r, f));
        });
        if (!queued) {
            log.warn("transfer work dropped: the worker is closed");
        }
    }

    /** True on the transfer thread. */
    public boolean inWorker() {
        return worker.inWorker();
    }

    /** Runs what was queued, then stops. */
    @Override
    public void close() {
        worker.close();
    }
}
