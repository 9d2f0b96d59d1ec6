package parley.core.loop;

/** Configuration of a {@link WorkQueue}; {@link #start} builds it and starts its threads. */
public final class WorkQueueBuilder {
    final String name;
    int threads = 1;
    int capacity;
    int batchLimit = WorkQueue.DEFAULT_BATCH_LIMIT;
    WorkQueue.OnClose onClose = WorkQueue.OnClose.DRAIN;
    boolean daemon = true;

    WorkQueueBuilder(String name) {
        this.name = name;
    }

    /** Worker threads: 1 (the default) keeps offer order; more make a pool and need {@link #bounded}. */
    public WorkQueueBuilder threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a work queue needs at least one thread");
        }
        this.threads = threads;
        return this;
    }

    /** Refuse offers beyond {@code capacity} queued items (jctools rounds it up to a power of two). */
    public WorkQueueBuilder bounded(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be at least 2");
        }
        this.capacity = capacity;
        return this;
    }

    /** Items per pass before {@link WorkQueue.Handler#onBatchEnd}; the group-commit size for storage. */
    public WorkQueueBuilder batchLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("batch limit must be at least 1");
        }
        this.batchLimit = limit;
        return this;
    }

    public WorkQueueBuilder onClose(WorkQueue.OnClose onClose) {
        this.onClose = onClose;
        return this;
    }

    /** Whether the threads are daemons (the default), so a forgotten queue does not hold the JVM. */
    public WorkQueueBuilder daemon(boolean daemon) {
        this.daemon = daemon;
        return this;
    }

    public <E> WorkQueue<E> start(WorkQueue.Handler<? super E> handler) {
        if (threads > 1 && capacity == 0) {
            throw new IllegalArgumentException("a pool of " + threads + " threads needs a bounded queue");
        }
        return new WorkQueue<>(this, handler);
    }
}
