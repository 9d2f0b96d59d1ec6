package parley.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One operation's latencies, in nanoseconds from 1 ns to 60 s at 3 significant digits. Values
 * go into an HdrHistogram {@link Recorder}, so interval histograms can be taken for the .hlog
 * while the run goes on, and are summed into the run's total.
 */
public final class LatencyRecorder {
    public static final long HIGHEST = 60_000_000_000L;

    private final String name;
    private final Recorder recorder = new Recorder(1, HIGHEST, 3);
    private final Histogram total = new Histogram(1, HIGHEST, 3);
    private Histogram interval;
    private long errors;

    public LatencyRecorder(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Records one completed operation: latency from its intended start. */
    public void record(long intendedNanos, long completedNanos) {
        recorder.recordValue(Math.min(HIGHEST, Math.max(1, completedNanos - intendedNanos)));
    }

    public void recordValue(long nanos) {
        recorder.recordValue(Math.min(HIGHEST, Math.max(1, nanos)));
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
