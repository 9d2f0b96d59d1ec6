package parley.server.auth;

import org.jctools.queues.MpmcArrayQueue;
import parley.core.loop.EventLoop;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * A few worker threads for CPU-heavy crypto (PBKDF2 and the like), so the event loop never hashes.
 * The loop submits a job and a callback; a worker runs the job and posts the callback back through
 * the completion executor (normally {@link EventLoop#execute}, the loop's MPSC queue), so the
 * callback runs on the loop thread and may touch loop state.
 *
 * <p>The job queue is a bounded jctools MPMC array: {@link #submit} never blocks and answers
 * false when the pool is saturated, which the caller reports as busy instead of queueing without
 * bound. Idle workers park; a submit unparks them. A lost wake-up is impossible: the unpark
 * permit survives until the worker's next park.
 */
public final class HashingPool implements AutoCloseable {
    public static final int DEFAULT_THREADS = 2;
    public static final int DEFAULT_CAPACITY = 1024;

    private final MpmcArrayQueue<Runnable> jobs;
    private final Executor completions;
    private final Thread[] workers;
    private volatile boolean running = true;

    public HashingPool(EventLoop loop) {
        this(loop::execute, DEFAULT_THREADS, DEFAULT_CAPACITY);
    }

    public HashingPool(Executor completions, int threads, int capacity) {
        this.completions = completions;
        this.jobs = new MpmcArrayQueue<>(capacity);
        this.workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::work, "hashing-" + i);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /**
     * Queues {@code job}; its result or failure is handed to {@code onResult} through the
     * completion executor. Returns false, without running anything, if the queue is full or the
     * pool is closed.
     */
    public <T> boolean submit(Callable<T> job, BiConsumer<? super T, Throwable> onResult) {
        if (!running) {
            return false;
        }
        boolean queued = jobs.offer(() -> {
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
        if (queued) {
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
        }
        return queued;
    }

    public int queued() {
        return jobs.size();
    }

    private void work() {
        while (running) {
            Runnable job = jobs.poll();
            if (job == null) {
                LockSupport.park(this);
                continue;
            }
            job.run();
        }
    }

    /** Stops the workers after their current job; queued jobs are dropped without callbacks. */
    @Override
    public void close() {
        running = false;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        for (Thread w : workers) {
            try {
                w.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
