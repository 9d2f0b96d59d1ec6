package parley.bench.bottleneck;

import org.HdrHistogram.Histogram;
import parley.bench.lab.LabShell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The lab's bottleneck queue read from the kernel: {@code tools/lab/qdisc_backlog.py} samples the
 * tbf's backlog on R every {@link #INTERVAL_SECONDS} over a phase's measured window, and
 * {@link #stop} turns each sample into the queueing delay a packet arriving then waits (backlog
 * bytes at the bottleneck's rate). The probe's RTT holds that delay plus its own scheduling noise
 * (two JVMs on a 2-core host); this holds the queue alone, so the two tell apart what the flow
 * queued from what the host added.
 */
final class QueueSampler implements AutoCloseable {
    static final double INTERVAL_SECONDS = 0.002;

    private final Process process;
    private final Path csv;
    private final long rateBits;

    private QueueSampler(Process process, Path csv, long rateBits) {
        this.process = process;
        this.csv = csv;
        this.rateBits = rateBits;
    }

    /** Starts sampling {@code lab}'s bottleneck into {@code csv} (one line a sample). */
    static QueueSampler start(Lab lab, Path csv) throws IOException {
        Path script = LabShell.script("qdisc_backlog.py", QueueSampler.class);
        List<String> command = Lab.inNamespace(lab.rNs, List.of("python3", script.toString(), lab.bottleneckDevice(),
                Double.toString(INTERVAL_SECONDS), csv.toAbsolutePath().toString()));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new QueueSampler(p, csv, lab.rateBits);
    }

    /** Stops sampling; the queueing delays sampled, in nanoseconds (empty if the sampler failed). */
    Histogram stop() throws IOException, InterruptedException {
        process.destroy(); // SIGTERM: `ip netns exec` execs python, which ends its file and exits
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return delays(Files.exists(csv) ? Files.readAllLines(csv) : List.of(), rateBits);
    }

    /** The queueing delays of sampler lines ({@code t,sent,dropped,backlog_bytes,backlog_packets}) at {@code rateBits}. */
    static Histogram delays(List<String> lines, long rateBits) {
        Histogram h = new Histogram(3);
        for (String line : lines) {
            String[] f = line.split(",");
            if (f.length == 5 && !f[3].isEmpty() && Character.isDigit(f[3].charAt(0))) {
                h.recordValue(Long.parseLong(f[3]) * 8 * 1_000_000_000L / rateBits);
            }
        }
        return h;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
