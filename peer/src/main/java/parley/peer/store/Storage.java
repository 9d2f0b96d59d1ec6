package parley.peer.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.peer.util.Worker;

import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The storage thread: owns the account's {@link LocalStore} and runs every read and write on it,
 * in submission order. Results come back through {@code replies} (the loop's execute), so the loop
 * never waits on the disk.
 */
public final class Storage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Storage.class);

    /** Work on the store that may fail. */
    @FunctionalInterface
    public interface Work<T> {
        T run(LocalStore store) throws Exception;
    }

    private final Worker worker;
    private final Executor replies;
    private LocalStore store; // storage thread only

    public Storage(String name, Executor replies) {
        this.worker = new Worker(name);
        this.replies = replies;
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
        worker.execute(() -> {
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
        worker.execute(() -> {
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
        worker.execute(() -> {
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
        worker.execute(this::closeStore);
        worker.close();
    }
}
