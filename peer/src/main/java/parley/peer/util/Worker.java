package parley.peer.util;

import org.jctools.queues.MpscUnboundedArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A named thread that runs submitted tasks in order: for work the loop must never do itself
 * (SQLite, PBKDF2, printing). Producers only offer to a lock-free MPSC queue and unpark the
 * thread, so the loop thread never blocks or contends on a lock to hand work over.
 */
public final class Worker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final Runnable STOP = () -> { };

    private final MpscUnboundedArrayQueue<Runnable> queue = new MpscUnboundedArrayQueue<>(256);
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean stopped;

    public Worker(String name) {
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a task; safe from any thread. Tasks after {@link #close} are dropped. */
    public void execute(Runnable task) {
        if (stopping) {
            return;
        }
        queue.offer(task);
        LockSupport.unpark(thread);
    }

    public boolean inWorker() {
        return Thread.currentThread() == thread;
    }

    private void run() {
        while (true) {
            Runnable task = queue.relaxedPoll();
            if (task == null) {
                // Park with a bound: a wake-up racing with the park is then late, never lost.
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(50));
                continue;
            }
            if (task == STOP) {
                break;
            }
            try {
                task.run();
            } catch (Throwable t) {
                log.error("task failed on {}", thread.getName(), t);
            }
        }
        stopped = true;
    }

    /** Runs what was queued before, then stops; waits up to 10 s for that. */
    @Override
    public void close() {
        if (stopping) {
            return;
        }
        queue.offer(STOP);
        stopping = true;
        LockSupport.unpark(thread);
        if (!inWorker()) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean isStopped() {
        return stopped;
    }
}
