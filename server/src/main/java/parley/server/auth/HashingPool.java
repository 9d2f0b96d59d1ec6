package parley.server.auth;

import parley.core.loop.EventLoop;
import parley.core.loop.WorkQueue;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * A few worker threads for CPU-heavy crypto (PBKDF2 and the like), so the event loop never hashes.
 * The loop submits a job and a callback; a worker runs the job and posts the callback back through
 * the completion executor (normally {@link EventLoop#execute}, the loop's MPSC queue), so the
 * callback runs on the loop thread and may touch loop state.
 *
 * <p>The threads and their wake-up protocol are nio-core's {@link WorkQueue}: a bounded MPMC queue,
 * so {@link #submit} never blocks and answers false when the pool is saturated, which the caller
 * reports as busy instead of queueing without bound; an idle worker parks until a submit wakes it,
 * and a burst of submits wakes each sleeping worker at most once.
 */
public final class HashingPool implements AutoCloseable {
    public static final int DEFAULT_THREADS = 2;
    public static final int DEFAULT_CAPACITY = 1024;

    private final WorkQueue<Runnable> jobs;
    private final Executor completions;

    public HashingPool(EventLoop loop) {
        this(loop::execute, DEFAULT_THREADS, DEFAULT_CAPACITY);
    }

    public HashingPool(Executor completions, int threads, int capacity) {
        this.completions = completions;
        // Queued jobs are dropped on close, as before: their callers are going away with the loop.
        this.jobs = WorkQueue.builder("hashing").threads(threads).bounded(Math.max(2, capacity))
                .onClose(WorkQueue.OnClose.DROP).start(Runnable::run);
    }

    /**
     * Queues {@code job}; its result or failure is handed to {@code onResult} through the
     * completion executor. Returns false, without running anything, if the queue is full or the
     * pool is closed.
     */
    public <T> boolean submit(Callable<T> job, BiConsumer<? super T, Throwable> onResult) {
        return jobs.offer(() -> {
            T value = null;
            Throwable error = null;
            try {
                value = job.call();
            } catch (Throwable t) {
                error = t;
            }
            T v = value;
            Throwable e = error;
            completions.execute(() -> onResult.accept(v, e));
        });
    }

    public int queued() {
        return jobs.size();
    }

    /** Stops the workers after their current job; queued jobs are dropped without callbacks. */
    @Override
    public void close() {
        jobs.close();
    }
}
