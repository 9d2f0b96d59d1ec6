package parley.bench.bottleneck;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bottleneck's queue as a second, kernel-stamped probe sees it: {@code ping} (iputils) in A,
 * echoed by B's kernel, over the phase's measured window. The UDP probe's round trips hold, beside
 * the queue, the time its two JVMs wait for a CPU on a 2-core host that the bulk flows keep busy
 * (1-1.5 ms at p99 in the lab at 100 Mbit/s with the tbf's queue under 1 ms). Here no process is
 * scheduled at B (the kernel answers), and ping takes each reply's receive time from the kernel
 * (SO_TIMESTAMP): only the send stamp is read in user space. So the idle RTT is the path's (0.03-0.1
 * ms in the lab, against 0.4-1.9 ms for the UDP probe), and what a bulk flow adds to it is its
 * queue. ping's raw output is kept next to the other files.
 */
final class IcmpProbe implements AutoCloseable {
    /** A reply line of {@code ping -D}: {@code [1764574212.123456] 64 bytes from ...: icmp_seq=7 ttl=63 time=0.052 ms}. */
    private static final Pattern REPLY = Pattern.compile("icmp_seq=(\\d+) .*time=([0-9.]+) ms");

    private final Process process;
    private final Path log;

    private IcmpProbe(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * True if {@code ping} is on the PATH, where {@code ip netns exec} looks for it
     * ({@code tools/lab/ensure-packages.sh} installs iputils-ping).
     */
    static boolean available() {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "ping")));
    }

    /** Starts pinging {@code lab}'s B from A {@code perSecond} times a second, ping's output to {@code log}. */
    static IcmpProbe start(Lab lab, double perSecond, Path log) throws IOException {
        String interval = String.format(java.util.Locale.ROOT, "%.4f", 1 / perSecond);
        List<String> command = Lab.inNamespace(lab.aNs, List.of("ping", "-D", "-n", "-i", interval, lab.bAddr));
        Process p = new ProcessBuilder(command).redirectOutput(log.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new IcmpProbe(p, log);
    }

    /** Stops pinging; the round trips of the replies, in nanoseconds (empty if ping failed). */
    Result stop() throws IOException, InterruptedException {
        // SIGINT: ping ends as a user's ^C ends it, its output written out (`ip netns exec` execs ping)
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return parse(Files.exists(log) ? Files.readAllLines(log) : List.of());
    }

    /** What ping said: the replies' round trips, and the requests sent up to the last one answered that were not. */
    record Result(Histogram rtt, long lost) {
    }

    /** The round trips (ns) and the unanswered requests of ping's output lines. */
    static Result parse(List<String> lines) {
        Histogram h = new Histogram(3);
        long first = -1;
        long last = -1;
        for (String line : lines) {
            Matcher m = REPLY.matcher(line);
            if (m.find()) {
                long seq = Long.parseLong(m.group(1));
                first = first < 0 ? seq : Math.min(first, seq);
                last = Math.max(last, seq);
                h.recordValue(Math.round(Double.parseDouble(m.group(2)) * 1_000_000));
            }
        }
        long lost = last < 0 ? 0 : last - first + 1 - h.getTotalCount();
        return new Result(h, Math.max(0, lost));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
