package parley.core.loop;

import org.jctools.queues.MpscUnboundedArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One thread, one {@link Selector}: the loop that owns every channel, timer and piece of state of
 * its process. Other threads reach it only through {@link #execute}, an MPSC queue.
 *
 * <p>Each turn is a duty cycle in the Agrona style: run queued tasks, fire due timers, then poll
 * the selector. When the first two did no work the loop blocks in {@code select} until the next
 * timer deadline, so an idle process uses no CPU.
 *
 * <p>Wake-up protocol: the loop sets {@code sleeping} before it blocks and re-checks the queue
 * after; a producer wakes the selector only if it is the one that flips {@code sleeping} back.
 * A producer that loses the race finds the loop awake and about to drain the queue. So a burst of
 * N tasks costs one {@code wakeup()} at most, never N. Because {@code Selector.wakeup()} is sticky,
 * a wake-up that lands between the queue check and the {@code select} call makes that select
 * return at once instead of being lost.
 *
 * <p>Failure containment: a task, a timer or a channel handler that throws is logged and counted
 * and the loop goes on, because one bad callback must not close every channel of the process. A
 * {@link VirtualMachineError} is not contained, and neither is a bug in the loop itself: the loop
 * then dies, closes its channels and calls its {@link DeathHook}, which in the command-line
 * programs logs the cause and exits the process non-zero, so that no process lives on as a
 * zombie with a dead loop.
 */
public final class EventLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
    private static final int TASK_BUDGET = 4096;
    private static final int TIMER_BUDGET = 4096;

    private final String name;
    private final NanoClock clock;
    private final Selector selector;
    private final MpscUnboundedArrayQueue<Runnable> tasks = new MpscUnboundedArrayQueue<>(1024);
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final TimerQueue timers = new TimerQueue();
    private final Consumer<SelectionKey> onReady = this::dispatch;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Thread thread;
    // Shared by every channel on this loop: only one handler runs at a time, so one read buffer and
    // one encode buffer serve thousands of connections instead of a pair per connection.
    private final java.nio.ByteBuffer readBuffer = java.nio.ByteBuffer.allocateDirect(256 * 1024);
    private final java.nio.ByteBuffer scratch = java.nio.ByteBuffer.allocate(2 * 1024 * 1024);
    private final WriteBatches writeBatches = new WriteBatches();
    private volatile boolean running = true;
    private volatile DeathHook deathHook;
    private static volatile DeathHook defaultDeathHook;
    private final java.util.function.Consumer<Throwable> onTimerFailure = this::timerFailed;

    // Counters are written by the loop thread only; other threads may read stale values.
    private long selects;
    private long prematureWakeups;
    private final java.util.concurrent.atomic.AtomicLong wakeupsRequested = new java.util.concurrent.atomic.AtomicLong();
    private long tasksRun;
    private long keysHandled;
    private long taskFailures;
    private long timerFailures;
    private final TurnStats turnStats; // null unless the diagnostic property TurnStats.PROPERTY is set

    /** Called once on the loop thread, after its channels are closed, when the loop died of an error. */
    @FunctionalInterface
    public interface DeathHook {
        void onDeath(String loopName, Throwable cause);

        /**
         * The hook for a command-line program: one line on stderr naming the cause, then
         * {@code System.exit(status)}. The loop's owner cannot serve without it, and a process
         * that keeps running with a dead loop looks alive to supervisors and users alike.
         */
        static DeathHook exitProcess(String program, int status) {
            return (loop, cause) -> {
                System.err.println(program + ": internal error: event loop " + loop + " died: " + cause
                        + "; exiting with status " + status);
                System.err.flush();
                System.exit(status);
            };
        }
    }

    /** Exit status a program uses when its event loop died (EX_SOFTWARE of sysexits.h). */
    public static final int EXIT_LOOP_DIED = 70;

    /**
     * Sets the hook used by every loop that has none of its own; a program sets it once at start.
     * Without any hook a dead loop is only logged.
     */
    public static void setDefaultDeathHook(DeathHook hook) {
        defaultDeathHook = hook;
    }

    /** Sets this loop's own death hook, overriding the default. Returns this for chaining. */
    public EventLoop onDeath(DeathHook hook) {
        this.deathHook = hook;
        return this;
    }

    public EventLoop(String name) {
        this(name, NanoClock.SYSTEM);
    }

    public EventLoop(String name, NanoClock clock) {
        this.name = name;
        this.clock = clock;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.thread = new Thread(this::run, name);
        this.turnStats = TurnStats.forLoop(this);
    }

    /** Starts the loop thread. Returns this for chaining. */
    public EventLoop start() {
        thread.start();
        return this;
    }

    public String name() {
        return name;
    }

    public NanoClock clock() {
        return clock;
    }

    public long nanoTime() {
        return clock.nanoTime();
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Fails fast when loop-owned state is touched from another thread. */
    public void assertInLoop() {
        if (!inLoop()) {
            throw new IllegalStateException("must run on loop thread " + name + ", not " + Thread.currentThread().getName());
        }
    }

    /** The loop's shared receive buffer. Contents are valid only until the handler returns. */
    public java.nio.ByteBuffer readBuffer() {
        return readBuffer;
    }

    /** The loop's shared encode buffer, cleared on each call; loop thread only. */
    public java.nio.ByteBuffer scratch() {
        scratch.clear();
        return scratch;
    }

    /**
     * The loop's write coalescing: the shared write-batch buffer, in which replies produced while
     * one connection's input is handled gather and leave in one write, and the batching scopes
     * of {@link #runBatchingWrites}. Loop thread only.
     */
    public WriteBatches writeBatches() {
        return writeBatches;
    }

    /**
     * Runs {@code task} here and now with its writes deferred to its end: each connection it
     * writes to flushes once when it returns. For a task that answers many requests at once, such
     * as the completions of one group commit. Loop thread only; wrap it in {@link #execute} from
     * elsewhere.
     */
    public void runBatchingWrites(Runnable task) {
        assertInLoop();
        writeBatches.run(task);
    }

    public Selector selector() {
        return selector;
    }

    /** Queues a task to run on the loop thread; safe from any thread. */
    public void execute(Runnable task) {
        if (!tasks.offer(task)) {
            throw new IllegalStateException("task queue refused a task");
        }
        if (!inLoop() && sleeping.compareAndSet(true, false)) {
            wakeupsRequested.incrementAndGet();
            selector.wakeup();
        }
    }

    /**
     * Runs {@code task} on the loop thread and completes the returned future with its result, or
     * with what it threw; safe from any thread. For callers off the loop that need an answer
     * (tests, benches, tools), which then wait on the future with a deadline.
     */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** Schedules a loop-owned timer. Loop thread only. */
    public void schedule(Timer timer, long deadlineNanos) {
        timers.schedule(timer, deadlineNanos);
    }

    public void cancel(Timer timer) {
        timers.cancel(timer);
    }

    /** Registers a channel with this loop's selector. Loop thread only. */
    public SelectionKey register(SelectableChannel channel, int ops, Selectable attachment) throws ClosedChannelException {
        assertInLoop();
        return channel.register(selector, ops, attachment);
    }

    public long prematureWakeups() {
        return prematureWakeups;
    }

    public long selects() {
        return selects;
    }

    public long wakeupsRequested() {
        return wakeupsRequested.get();
    }

    public long tasksRun() {
        return tasksRun;
    }

    public long keysHandled() {
        return keysHandled;
    }

    /** Tasks that threw and were contained. */
    public long taskFailures() {
        return taskFailures;
    }

    /** Timer callbacks that threw and were contained. */
    public long timerFailures() {
        return timerFailures;
    }

    public int registeredChannels() {
        return selector.keys().size();
    }

    private void run() {
        Throwable death = null;
        try {
            while (running) {
                int work = runTasks() + timers.expire(clock.nanoTime(), TIMER_BUDGET, onTimerFailure);
                if (work > 0 || !running) {
                    poll(-1);
                    continue;
                }
                block();
            }
        } catch (Throwable t) {
            death = t;
            running = false;
            log.error("event loop {} died", name, t);
        } finally {
            shutdownChannels();
            terminated.countDown();
        }
        if (death != null) {
            DeathHook hook = deathHook != null ? deathHook : defaultDeathHook;
            if (hook != null) {
                hook.onDeath(name, death);
            }
        }
    }

    private void timerFailed(Throwable t) {
        timerFailures++;
        log.error("timer failed on loop {}", name, t);
    }

    private void block() throws IOException {
        long now = clock.nanoTime();
        long deadline = timers.nextDeadline();
        long timeoutMs = TimerQueue.selectTimeoutMs(deadline, now);
        sleeping.set(true);
        if (!tasks.isEmpty() || !running) {
            sleeping.set(false);
            poll(-1);
            return;
        }
        selects++;
        int n = poll(timeoutMs);
        boolean woken = !sleeping.getAndSet(false);
        if (n == 0 && !woken && tasks.isEmpty() && running && clock.nanoTime() < deadline && deadline != TimerQueue.NONE
                && clock == NanoClock.SYSTEM) {
            // Nothing ready, nobody woke us and no timer due: the select returned early.
            prematureWakeups++;
        }
    }

    /** Polls the selector and handles the ready keys; {@code timeoutMs} -1: selectNow, 0: no time limit. */
    private int poll(long timeoutMs) throws IOException {
        return turnStats != null ? turnStats.poll(selector, onReady, timeoutMs)
                : timeoutMs < 0 ? selector.selectNow(onReady) : selector.select(onReady, timeoutMs);
    }

    private int runTasks() {
        int n = 0;
        Runnable task;
        while (n < TASK_BUDGET && (task = tasks.relaxedPoll()) != null) {
            n++;
            try {
                task.run();
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable t) {
                taskFailures++;
                log.error("task failed on loop {}", name, t);
            }
        }
        tasksRun += n;
        return n;
    }

    private void dispatch(SelectionKey key) {
        keysHandled++;
        Object attachment = key.attachment();
        if (!(attachment instanceof Selectable)) {
            key.cancel();
            return;
        }
        Selectable s = (Selectable) attachment;
        try {
            if (key.isValid()) {
                s.onReady(key);
            } else {
                key.cancel();
            }
        } catch (Throwable t) {
            try {
                s.failed(t);
            } catch (Throwable again) {
                log.error("failed to close channel after handler error", again);
                key.cancel();
            }
        }
    }

    private void shutdownChannels() {
        List<SelectionKey> keys = new ArrayList<>(selector.keys());
        for (SelectionKey key : keys) {
            Object a = key.attachment();
            try {
                if (a instanceof Selectable) {
                    ((Selectable) a).closeForShutdown();
                } else {
                    key.channel().close();
                }
            } catch (Throwable t) {
                log.warn("error closing channel at shutdown", t);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            log.warn("error closing selector", e);
        }
    }

    /** Stops the loop, closes its channels and waits for the thread to end. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        if (!inLoop() && thread.isAlive()) {
            try {
                if (!terminated.await(10, TimeUnit.SECONDS)) {
                    log.warn("event loop {} did not stop within 10 s", name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    public boolean isRunning() {
        return running && thread.isAlive();
    }
}
