package parley.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One operation's latencies, in nanoseconds from 1 ns to 60 s at 3 significant digits. Values
 * go into an HdrHistogram {@link SingleWriterRecorder}, so interval histograms can be taken for
 * the .hlog while the run goes on, and are summed into the run's total.
 *
 * <p>One thread records (every load driver records from its one loop or receiver thread); any
 * thread may take intervals. The single-writer recorder costs no locked instruction per value,
 * where the multi-writer one costs four, which matters at hundreds of thousands of values a
 * second on the same two cores as the servers being measured.
 */
public final class LatencyRecorder {
    public static final long HIGHEST = 60_000_000_000L;

    private final String name;
    private final SingleWriterRecorder recorder = new SingleWriterRecorder(1, HIGHEST, 3);
    private final Histogram total = new Histogram(1, HIGHEST, 3);
    private Histogram interval;
    private long errors;
    /** Completed operations, written by the recording thread only, read by the progress line. */
    private final AtomicLong completed = new AtomicLong();

    public LatencyRecorder(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Records one completed operation: latency from its intended start. */
    public void record(long intendedNanos, long completedNanos) {
        recorder.recordValue(Math.min(HIGHEST, Math.max(1, completedNanos - intendedNanos)));
        count();
    }

    public void recordValue(long nanos) {
        recorder.recordValue(Math.min(HIGHEST, Math.max(1, nanos)));
        count();
    }

    /** An operation completed outside the measured window (warm-up): counted, not recorded. */
    public void countOutsideWindow() {
        count();
    }

    private void count() {
        // One writer: an ordered store is enough, and cheaper than an atomic increment.
        completed.lazySet(completed.get() + 1);
    }

    /** Operations recorded so far; safe to read from another thread (for progress lines). */
    public long completed() {
        return completed.get();
    }

    public void error() {
        errors++;
    }

    public long errors() {
        return errors;
    }

    /** Takes what was recorded since the last call, and adds it to the total. */
    public Histogram takeInterval() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return interval;
    }

    /** Everything recorded so far (takes the last interval first). */
    public Histogram total() {
        takeInterval();
        return total;
    }
}
