package parley.peer.util;

import parley.core.loop.WorkQueue;

/**
 * The last user's name for nio-core's {@link WorkQueue#forTasks}: a named daemon thread that runs
 * submitted tasks in order, sleeps while idle (no polling) and wakes at most once per burst.
 *
 * <p>Only the output pump still uses this name; everything else in the peer holds a
 * {@code WorkQueue<Runnable>} directly. Delete this class when the pump does too.
 */
public final class Worker implements AutoCloseable {
    private final WorkQueue<Runnable> queue;

    public Worker(String name) {
        this.queue = WorkQueue.forTasks(name);
    }

    /** Queues a task; safe from any thread. Tasks after {@link #close} are dropped. */
    public void execute(Runnable task) {
        queue.offer(task);
    }

    public boolean inWorker() {
        return queue.inWorker();
    }

    /** Runs what was queued before, then stops; waits up to 10 s for that. */
    @Override
    public void close() {
        queue.close();
    }

    public boolean isStopped() {
        return queue.isTerminated();
    }
}
