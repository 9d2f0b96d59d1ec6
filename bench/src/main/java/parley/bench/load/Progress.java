package parley.bench.load;

import java.io.PrintStream;

/** One status line per interval on stderr during long runs: elapsed, current rate, total, errors. */
public final class Progress {
    private final PrintStream out;
    private final String label;
    private final long start;
    private final long intervalNanos;
    private long lastPrint;
    private long lastCount;

    public Progress(PrintStream out, String label, long startNanos, long intervalNanos) {
        this.out = out;
        this.label = label;
        this.start = startNanos;
        this.lastPrint = startNanos;
        this.intervalNanos = intervalNanos;
    }

    /** Prints if an interval has passed; returns whether it printed. */
    public boolean maybePrint(long now, long count, long errors) {
        if (now - lastPrint < intervalNanos) {
            return false;
        }
        double rate = (count - lastCount) * 1e9 / (now - lastPrint);
        out.printf("  [%s] %5.1f s  %,12.0f ops/s  %,d done  %,d errors%n", label, (now - start) / 1e9, rate, count, errors);
        lastPrint = now;
        lastCount = count;
        return true;
    }
}
