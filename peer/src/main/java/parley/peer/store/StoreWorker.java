package parley.peer.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.WorkQueue;

import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The storage thread: owns the account's {@link LocalStore} and runs every read and write on it,
 * in submission order. Results come back through {@code replies} (the loop's execute), so the loop
 * never waits on the disk. The thread is nio-core's {@link WorkQueue}: it sleeps while idle and
 * a burst of submissions costs at most one wake-up.
 *
 * <p>The queue is bounded by back-pressure, not by dropping: work is never refused (a message
 * already acknowledged to its sender must reach the disk), but once {@link #hasRoom} says no, the
 * loop stops taking messages from the network until {@link #onRoom} is called, half the queue
 * later. A contact who sends faster than the disk writes thus fills its own send window, not
 * this process's heap.
 */
public final class StoreWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreWorker.class);

    /** Work on the store that may fail. */
    @FunctionalInterface
    public interface Work<T> {
        T run(LocalStore store) throws Exception;
    }

    /** Queued tasks at which {@link #hasRoom} turns false. */
    public static final int DEFAULT_CAPACITY = 4096;

    private final WorkQueue<Runnable> worker;
    private final Executor replies;
    private final int capacity;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean waiting = new AtomicBoolean();
    private volatile Runnable onRoom = () -> { };
    private LocalStore store; // storage thread only

    public StoreWorker(String name, Executor replies) {
        this(name, replies, DEFAULT_CAPACITY);
    }

    public StoreWorker(String name, Executor replies, int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be at least 2");
        }
        this.worker = WorkQueue.forTasks(name);
        this.replies = replies;
        this.capacity = capacity;
    }

    /** Runs on the replies executor when the queue has drained to half after {@link #hasRoom} said no. */
    public void onRoom(Runnable callback) {
        this.onRoom = callback;
    }

    /**
     * Whether the queue can take more work from the network. When it says no, the caller stops
     * reading until {@link #onRoom} runs; this never drops work already queued.
     */
    public boolean hasRoom() {
        if (queued.get() < capacity) {
            return true;
        }
        waiting.set(true);
        // The worker may have drained between the read and the flag: look again so no wake-up is lost.
        if (queued.get() <= capacity / 2 && waiting.compareAndSet(true, false)) {
            return true;
        }
        return false;
    }

    /** Tasks queued or running now. */
    public int queued() {
        return queued.get();
    }

    private void submit(Runnable task) {
        queued.incrementAndGet();
        boolean accepted = worker.offer(() -> {
            try {
                task.run();
            } finally {
                int left = queued.decrementAndGet();
                if (left <= capacity / 2 && waiting.compareAndSet(true, false)) {
                    replies.execute(onRoom);
                }
            }
        });
        if (!accepted) {
            queued.decrementAndGet(); // closed: the work is dropped, as after close it always was
        }
    }

    /** The outcome of {@link #open}: the first work's result, or the failure. */
    @FunctionalInterface
    public interface Opened<T> {
        void accept(T result, Exception failure);
    }

    /**
     * Opens (or switches to) the file of an account and runs {@code first} on it before any work
     * queued later, such as reading what a previous run left behind before this run adds to it.
     */
    public <T> void open(Path file, Work<T> first, Opened<T> onLoop) {
        submit(() -> {
            T result = null;
            Exception failure = null;
            try {
                closeStore();
                store = LocalStore.open(file);
                result = first.run(store);
            } catch (Exception e) {
                failure = e;
            }
            T r = result;
            Exception f = failure;
            replies.execute(() -> onLoop.accept(r, f));
        });
    }

    /** A write whose failure is logged; the caller does not wait for it. */
    public void write(Work<?> work) {
        submit(() -> {
            if (store == null) {
                log.warn("write dropped: no account store open");
                return;
            }
            try {
                work.run(store);
            } catch (Exception e) {
                log.error("local store write failed", e);
            }
        });
    }

    /** A read (or write) whose result, or failure, comes back on the loop. */
    public <T> void read(Work<T> work, Consumer<T> onLoop, Consumer<Exception> onFailure) {
        submit(() -> {
            if (store == null) {
                replies.execute(() -> onFailure.accept(new IllegalStateException("no account store open")));
                return;
            }
            try {
                T result = work.run(store);
                replies.execute(() -> onLoop.accept(result));
            } catch (Exception e) {
                replies.execute(() -> onFailure.accept(e));
            }
        });
    }

    private void closeStore() {
        if (store != null) {
            try {
                store.close();
            } catch (Exception e) {
                log.warn("closing local store failed", e);
            }
            store = null;
        }
    }

    /** Finishes queued work, closes the file and stops the thread. */
    @Override
    public void close() {
        worker.offer(this::closeStore);
        worker.close();
    }
}
