package parley.core.loop;

import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.MpscUnboundedArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A queue of work and the threads that drain it: the one primitive for everything a process must
 * do off its event loop (hashing, SQLite, printing). Producers on any thread {@link #offer} an
 * item; worker threads hand each item to a {@link Handler}. One thread keeps the items in offer
 * order (a peer's ordered worker, the storage thread); several make a pool (the hashing pool).
 *
 * <p><b>Queue.</b> One thread drains a jctools MPSC queue, bounded or unbounded; several drain a
 * bounded MPMC array. A bounded queue refuses an offer when full ({@link #offer} answers false),
 * so a saturated consumer turns into back-pressure the caller can report instead of a heap that
 * grows without bound.
 *
 * <p><b>Wake-up protocol</b>, the event loop's, with one flag per worker. A worker with nothing to
 * do announces that it is going to sleep (sets its flag), re-checks the queue, and parks only if
 * the queue is still empty. A producer offers, then wakes a worker only if it is the one that
 * flips a sleeping worker's flag back (a CAS), so a burst of N items costs at most one unpark per
 * sleeping worker, never N; while a worker is awake producers touch no thread at all. The flag
 * write and the producer's index update are both full fences, so either the worker's re-check
 * sees the item or the producer sees the flag: a wake-up is never lost, and there is no timed
 * park to cover for one. An idle worker stays parked until there is work or {@link #close}.
 *
 * <p><b>Batches.</b> A worker drains up to {@code batchLimit} items per pass, handing each to
 * {@link Handler#onItem}, then calls {@link Handler#onBatchEnd} once. With one thread that is the
 * hook for group commit: the storage thread collects requests in {@code onItem} and commits them
 * in one transaction in {@code onBatchEnd}, so a burst of requests shares one fsync. With several
 * threads each worker calls the hooks for its own items, on its own thread.
 *
 * <p><b>Replacing the hand-rolled loops.</b> The peer's ordered {@code Worker} is
 * {@link #forTasks}: {@code execute} becomes {@link #offer}, {@code inWorker} and close-after-the-
 * queued-tasks are here as they are. The server's storage thread is one thread, bounded at its
 * queue capacity, {@code batchLimit(MAX_BATCH)}: {@code onItem} adds a request to the open batch,
 * {@code onBatchEnd} runs the batch's transaction and posts its completions; a refused offer is
 * completed with its storage error by the submitter; after {@link #close} (which drains and joins)
 * the closing thread closes the database, which no worker touches any more.
 *
 * <p><b>Failures.</b> An exception from a handler is logged and counted ({@link #failures}); the
 * worker carries on with the next item.
 *
 * <p><b>Close.</b> {@link #close} refuses new offers at once, then either runs every item whose
 * offer was accepted ({@link OnClose#DRAIN}) or discards the items not yet started and counts them
 * ({@link OnClose#DROP}), and waits for the workers. Either way an accepted offer is never left
 * behind in limbo: it is run, or counted in {@link #dropped}.
 *
 * @param <E> the item type; {@link #forTasks} makes the common queue of {@link Runnable}s
 */
public final class WorkQueue<E> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkQueue.class);
    /** Items one pass hands over before {@link Handler#onBatchEnd}, unless configured. */
    public static final int DEFAULT_BATCH_LIMIT = 256;
    /** Capacity of the first chunk of an unbounded queue; it grows by chunks of this size. */
    private static final int UNBOUNDED_CHUNK = 1024;
    private static final long JOIN_MILLIS = TimeUnit.SECONDS.toMillis(10);

    /** What a worker does with the items it takes. Runs on a worker thread. */
    public interface Handler<E> {
        void onItem(E item) throws Exception;

        /** After each pass over at most {@code batchLimit} items ({@code count} of them, at least one). */
        default void onBatchEnd(int count) throws Exception {
        }
    }

    /** What {@link #close} does with items that were accepted but have not started. */
    public enum OnClose {
        /** Run them all, then stop: nothing accepted is lost. */
        DRAIN,
        /** Stop after the items in hand; discard the rest and count them in {@link #dropped}. */
        DROP
    }

    private final String name;
    private final Handler<? super E> handler;
    private final MessagePassingQueue<E> queue;
    private final OnClose onClose;
    private final int batchLimit;
    private final Worker[] workers;
    /** Producers between their check of {@code running} and the end of their offer. */
    private final AtomicInteger offering = new AtomicInteger();
    private final AtomicLong wakeups = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;
    /**
     * Tests only: runs on a worker after it found the queue empty and before it announces sleep,
     * the moment a producer's offer must not be lost. Read on the way to sleep, never per item.
     */
    volatile Runnable beforeSleep;

    WorkQueue(WorkQueueBuilder b, Handler<? super E> handler) {
        this.name = b.name;
        this.handler = handler;
        this.onClose = b.onClose;
        this.batchLimit = b.batchLimit;
        if (b.threads == 1) {
            this.queue = b.capacity == 0 ? new MpscUnboundedArrayQueue<>(UNBOUNDED_CHUNK) : new MpscArrayQueue<>(b.capacity);
        } else {
            this.queue = new MpmcArrayQueue<>(b.capacity);
        }
        @SuppressWarnings("unchecked")
        Worker[] ws = (Worker[]) new WorkQueue.Worker[b.threads];
        this.workers = ws;
        for (int i = 0; i < b.threads; i++) {
            workers[i] = new Worker(b.threads == 1 ? name : name + "-" + i, b.daemon);
        }
        for (Worker w : workers) {
            w.thread.start();
        }
    }

    /** Starts configuring a queue whose threads are called {@code name} ({@code name-i} for a pool). */
    public static WorkQueueBuilder builder(String name) {
        return new WorkQueueBuilder(name);
    }

    /** One ordered thread running {@link Runnable}s, unbounded, that runs what was queued on close. */
    public static WorkQueue<Runnable> forTasks(String name) {
        return builder(name).start(Runnable::run);
    }

    /**
     * Queues {@code item}; safe from any thread. Answers false, without queueing it, when the
     * queue is bounded and full or the queue is closed.
     */
    public boolean offer(E item) {
        // offering brackets the running check and the offer, so close() can wait for producers
        // that saw running == true: their item is then in the queue before the workers' last look.
        offering.incrementAndGet();
        boolean queued;
        try {
            queued = running && queue.offer(item);
        } finally {
            offering.decrementAndGet();
        }
        if (queued) {
            wakeOne();
        }
        return queued;
    }

    /** Wakes the first worker that announced it is going to sleep, if any; at most one unpark. */
    private void wakeOne() {
        for (Worker w : workers) {
            if (w.sleeping.get() && w.sleeping.compareAndSet(true, false)) {
                wakeups.incrementAndGet();
                LockSupport.unpark(w.thread);
                return;
            }
        }
    }

    /** True on one of this queue's worker threads (the peer's "am I on the worker?" check). */
    public boolean inWorker() {
        Thread current = Thread.currentThread();
        for (Worker w : workers) {
            if (w.thread == current) {
                return true;
            }
        }
        return false;
    }

    public String name() {
        return name;
    }

    /** Items queued and not yet taken; a snapshot. */
    public int size() {
        return queue.size();
    }

    /** Unparks producers have issued so far: at most one per burst per sleeping worker. */
    public long wakeups() {
        return wakeups.get();
    }

    /** Items handed to the handler so far, failed ones included. */
    public long processed() {
        long n = 0;
        for (Worker w : workers) {
            n += w.processed;
        }
        return n;
    }

    /** Handler calls that threw so far. */
    public long failures() {
        long n = 0;
        for (Worker w : workers) {
            n += w.failures;
        }
        return n;
    }

    /** Turns of the workers' loops so far (each drain pass or wake-up is one): idle workers add none. */
    public long passes() {
        long n = 0;
        for (Worker w : workers) {
            n += w.passes;
        }
        return n;
    }

    /** Accepted items discarded by a {@link OnClose#DROP} close. */
    public long dropped() {
        return dropped.get();
    }

    /** Workers parked right now, waiting for work; a snapshot. */
    public int sleepingWorkers() {
        int n = 0;
        for (Worker w : workers) {
            if (w.sleeping.get()) {
                n++;
            }
        }
        return n;
    }

    public boolean isRunning() {
        return running;
    }

    /** True once closed and every worker thread has ended (the peer worker's {@code isStopped}). */
    public boolean isTerminated() {
        if (running) {
            return false;
        }
        for (Worker w : workers) {
            if (w.thread.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Refuses further offers, then drains or drops the accepted items (as configured) and waits up
     * to 10 s per worker for the threads to end. From a worker thread it does not wait for itself.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        for (Worker w : workers) {
            w.sleeping.set(false);
            LockSupport.unpark(w.thread);
        }
        Thread current = Thread.currentThread();
        for (Worker w : workers) {
            if (w.thread == current) {
                continue;
            }
            try {
                w.thread.join(JOIN_MILLIS);
                if (w.thread.isAlive()) {
                    log.warn("worker {} did not stop within {} ms", w.thread.getName(), JOIN_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One worker thread with its sleeping flag and its counters (written by that thread only). */
    private final class Worker implements MessagePassingQueue.Consumer<E> {
        final Thread thread;
        final AtomicBoolean sleeping = new AtomicBoolean();
        volatile long processed;
        volatile long failures;
        volatile long passes;

        Worker(String threadName, boolean daemon) {
            this.thread = new Thread(this::run, threadName);
            thread.setDaemon(daemon);
        }

        @Override
        public void accept(E item) {
            if (!running && onClose == OnClose.DROP) {
                dropped.incrementAndGet(); // taken in the pass that close() interrupted: not started
                return;
            }
            processed++;
            try {
                handler.onItem(item);
            } catch (Throwable t) {
                failures++;
                log.error("work item failed on {}", thread.getName(), t);
            }
        }

        private void run() {
            while (true) {
                passes++;
                if (!running && onClose == OnClose.DROP) {
                    break;
                }
                int n = queue.drain(this, batchLimit);
                if (n > 0) {
                    batchEnd(n);
                    continue;
                }
                if (!running) {
                    // DRAIN: wait out producers that passed the running check, then drain to empty.
                    while (offering.get() != 0) {
                        Thread.onSpinWait();
                    }
                    if (queue.isEmpty()) {
                        break;
                    }
                    continue;
                }
                Runnable hook = beforeSleep;
                if (hook != null) {
                    hook.run();
                }
                // An interrupt means nothing to a worker, but a set flag would make every park
                // return at once: the worker would spin instead of sleeping.
                Thread.interrupted();
                sleeping.set(true);
                if (queue.isEmpty() && running) {
                    LockSupport.park(this);
                } else if (!sleeping.compareAndSet(true, false)) {
                    // A producer (or close) flipped the flag and its unpark is on the way: take it
                    // now, so that no stale permit makes a later, idle park return at once.
                    LockSupport.park(this);
                }
                sleeping.set(false);
            }
            if (onClose == OnClose.DROP) {
                while (offering.get() != 0) {
                    Thread.onSpinWait();
                }
                long discarded = queue.drain(e -> { });
                dropped.addAndGet(discarded);
            }
        }

        private void batchEnd(int n) {
            try {
                handler.onBatchEnd(n);
            } catch (Throwable t) {
                failures++;
                log.error("batch of {} failed on {}", n, thread.getName(), t);
            }
        }
    }
}
