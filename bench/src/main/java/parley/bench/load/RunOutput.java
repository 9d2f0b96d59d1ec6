package parley.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a run's results go: a .hlog interval log per operation while it runs, then a .hgrm
 * percentile distribution per operation, a PNG chart of them all, and a table on stdout.
 */
public final class RunOutput implements AutoCloseable {
    private final Path dir;
    private final List<HistogramLogWriter> logs = new ArrayList<>();
    private final List<PrintStream> streams = new ArrayList<>();
    private final List<LatencyRecorder> recorders = new ArrayList<>();

    public RunOutput(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Starts an interval log for {@code recorder}; call {@link #logIntervals} periodically. */
    public void track(LatencyRecorder recorder, long startEpochMillis) throws FileNotFoundException {
        PrintStream ps = new PrintStream(dir.resolve(recorder.name() + ".hlog").toFile());
        HistogramLogWriter w = new HistogramLogWriter(ps);
        w.outputLogFormatVersion();
        w.outputStartTime(startEpochMillis);
        w.setBaseTime(startEpochMillis);
        w.outputLegend();
        recorders.add(recorder);
        logs.add(w);
        streams.add(ps);
    }

    /** Writes each tracked recorder's interval since the last call. */
    public void logIntervals(long nowEpochMillis) {
        for (int i = 0; i < recorders.size(); i++) {
            Histogram interval = recorders.get(i).takeInterval();
            interval.setEndTimeStamp(nowEpochMillis);
            logs.get(i).outputIntervalHistogram(interval);
            interval.setStartTimeStamp(nowEpochMillis);
        }
    }

    /** Writes the .hgrm (values in microseconds) for a finished histogram and returns its path. */
    public Path writeHgrm(String name, Histogram h) throws IOException {
        Path file = dir.resolve(name + ".hgrm");
        try (PrintStream ps = new PrintStream(file.toFile())) {
            h.outputPercentileDistribution(ps, 1000.0);
        }
        return file;
    }

    /** Sums every interval of an .hlog file: the whole run as one histogram. */
    public static Histogram readHlog(Path file) throws IOException {
        HistogramLogReader reader = new HistogramLogReader(file.toFile());
        Histogram sum = new Histogram(1, LatencyRecorder.HIGHEST, 3);
        org.HdrHistogram.EncodableHistogram h;
        while ((h = reader.nextIntervalHistogram()) != null) {
            sum.add((Histogram) h);
        }
        reader.close();
        return sum;
    }

    @Override
    public void close() {
        streams.forEach(PrintStream::close);
    }

    /** Prints the percentile table header. */
    public static void printHeader(PrintStream out, boolean withRatio) {
        out.printf("%-28s %10s %12s %9s %9s %9s %9s %9s %9s%s%n", "latency (µs)", "count", "ops/s", "p50", "p90", "p99",
                "p99.9", "p99.99", "max", withRatio ? "  vs baseline (p50 / p99 / ops/s)" : "");
    }

    /** One row; {@code base} may be null. */
    public static void printRow(PrintStream out, String name, Histogram h, double opsPerSecond, Histogram base, double baseOps) {
        String ratio = "";
        if (base != null) {
            ratio = String.format("  %.2fx / %.2fx / %.2fx", ratio(h.getValueAtPercentile(50), base.getValueAtPercentile(50)),
                    ratio(h.getValueAtPercentile(99), base.getValueAtPercentile(99)), baseOps == 0 ? 0 : opsPerSecond / baseOps);
        }
        out.printf("%-28s %,10d %,12.0f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f%s%n", name, h.getTotalCount(), opsPerSecond,
                us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(90)), us(h.getValueAtPercentile(99)),
                us(h.getValueAtPercentile(99.9)), us(h.getValueAtPercentile(99.99)), us(h.getMaxValue()), ratio);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    private static double us(long nanos) {
        return nanos / 1000.0;
    }
}
