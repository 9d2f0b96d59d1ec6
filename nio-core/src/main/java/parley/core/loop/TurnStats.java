package parley.core.loop;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A diagnostic probe of one loop's turns, off unless the system property {@value #PROPERTY}
 * names a file: then, once a second, a line with what the loop did in that second is appended to
 * it: polls of the selector (and how many blocked), keys handled, the most keys one poll returned,
 * tasks run, and how long the loop stayed away from its selector between two polls, as a log2
 * histogram in microseconds with its maximum. A loop that stalls shows a long turn with few
 * keys; a loop that is merely behind shows hundreds of keys per poll. This is how the paced
 * registry's tail was looked at (docs/PERFORMANCE.md), without a profiler.
 *
 * <p>The loop thread records into plain fields; a daemon thread reads and resets them once a
 * second, racily: a figure may miss or double-count a turn at the edge of a second, which a
 * diagnostic can live with and which keeps locked instructions off the loop's path (the
 * reporter's sleep, a native call, makes it read the fields afresh). With the property unset
 * the loop holds no probe and pays one null check per poll.
 */
final class TurnStats {
    /** System property naming the file the per-second lines are appended to. */
    static final String PROPERTY = "parley.loop.stats";
    private static final long REPORT_INTERVAL_MILLIS = 1000;
    private static final double NANOS_PER_MILLI = 1e6;
    private static final long NANOS_PER_MICRO = 1000;
    /** Log2 buckets of a turn's length: bucket i holds [2^i, 2^(i+1)) microseconds; the last is open. */
    private static final int BUCKETS = 21;

    private final EventLoop loop;
    private final PrintStream out;
    private final long[] turnMicrosLog2 = new long[BUCKETS];
    private Consumer<SelectionKey> dispatch;
    private final Consumer<SelectionKey> counting = this::counted;
    private int keysThisPoll;
    private long turnStart;
    private long polls;
    private long blockingPolls;
    private long maxKeysPerPoll;
    private long maxTurnNanos;

    private TurnStats(EventLoop loop, PrintStream out) {
        this.loop = loop;
        this.out = out;
    }

    /** The probe for {@code loop}, or null when the property is not set (the usual case). */
    static TurnStats forLoop(EventLoop loop) {
        String file = System.getProperty(PROPERTY);
        if (file == null || file.isEmpty()) {
            return null;
        }
        try {
            TurnStats stats = new TurnStats(loop, new PrintStream(new FileOutputStream(file, true), true,
                    StandardCharsets.UTF_8));
            Thread reporter = new Thread(stats::report, loop.name() + "-turn-stats");
            reporter.setDaemon(true);
            reporter.start();
            return stats;
        } catch (IOException e) {
            System.err.println("loop turn stats disabled: " + e);
            return null;
        }
    }

    /**
     * Polls {@code selector} as the loop would ({@code timeoutMs} -1: selectNow, 0: no limit),
     * timing the turn that this poll ends and counting the keys it hands to {@code action}.
     */
    int poll(Selector selector, Consumer<SelectionKey> action, long timeoutMs) throws java.io.IOException {
        long now = System.nanoTime();
        if (turnStart != 0) {
            record(now - turnStart);
        }
        dispatch = action;
        keysThisPoll = 0;
        int n = timeoutMs < 0 ? selector.selectNow(counting) : selector.select(counting, timeoutMs);
        if (keysThisPoll == 0) {
            turnStart = System.nanoTime();
        }
        polls++;
        if (timeoutMs >= 0) {
            blockingPolls++;
        }
        if (keysThisPoll > maxKeysPerPoll) {
            maxKeysPerPoll = keysThisPoll;
        }
        return n;
    }

    private void counted(SelectionKey key) {
        if (keysThisPoll++ == 0) {
            turnStart = System.nanoTime(); // the wait ended when the first key came; the turn begins
        }
        dispatch.accept(key);
    }

    private void record(long turnNanos) {
        if (turnNanos > maxTurnNanos) {
            maxTurnNanos = turnNanos;
        }
        long micros = turnNanos / NANOS_PER_MICRO;
        int b = micros <= 0 ? 0 : Math.min(BUCKETS - 1, 63 - Long.numberOfLeadingZeros(micros));
        turnMicrosLog2[b]++;
    }

    private void report() {
        long start = System.currentTimeMillis();
        long keysBefore = loop.keysHandled();
        long tasksBefore = loop.tasksRun();
        while (true) {
            try {
                Thread.sleep(REPORT_INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long keys = loop.keysHandled();
            long tasks = loop.tasksRun();
            StringBuilder line = new StringBuilder(String.format(
                    "%s t=%.1f polls=%d blocking=%d keys=%d maxKeysPerPoll=%d tasks=%d maxTurnMs=%.3f turnUs(log2):",
                    loop.name(), (System.currentTimeMillis() - start) / 1000.0, polls, blockingPolls, keys - keysBefore,
                    maxKeysPerPoll, tasks - tasksBefore, maxTurnNanos / NANOS_PER_MILLI));
            for (int i = 0; i < BUCKETS; i++) {
                if (turnMicrosLog2[i] != 0) {
                    line.append(' ').append(i).append(':').append(turnMicrosLog2[i]);
                    turnMicrosLog2[i] = 0;
                }
            }
            keysBefore = keys;
            tasksBefore = tasks;
            polls = 0;
            blockingPolls = 0;
            maxKeysPerPoll = 0;
            maxTurnNanos = 0;
            out.println(line);
        }
    }
}
