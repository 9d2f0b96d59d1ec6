package parley.bench.p2p;

import org.HdrHistogram.Histogram;
import parley.bench.load.HistogramChart;
import parley.bench.load.RunOutput;
import parley.bench.load.Series;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The summary `bench p2p` prints and writes once its rounds are done: the round trip table, ratios
 * against the baselines and the files (paced), or delivered messages per second against the raw
 * blast and the receiver's checks (flat out). {@link P2pBenchCommand} runs the rounds.
 */
final class P2pReport {
    private P2pReport() {
    }

    /** The paced summary over {@code seconds} measured: table, ratios, .hgrm files and the chart. */
    static void latency(RunOutput output, int size, double rate, double seconds, Histogram parley, Histogram netty,
                        Histogram raw) throws IOException {
        System.out.println();
        RunOutput.printHeader(System.out, true);
        RunOutput.printRow(System.out, "parley p2p RTT", parley, parley.getTotalCount() / seconds, raw,
                raw.getTotalCount() / seconds);
        RunOutput.printRow(System.out, "netty UDP ping-pong", netty, netty.getTotalCount() / seconds, null, 0);
        RunOutput.printRow(System.out, "raw select ping-pong", raw, raw.getTotalCount() / seconds, null, 0);
        System.out.printf("%nRTT parley/raw:   p50 %.2fx (target <= 1.3), p99 %.2fx (target <= 2)%n",
                ratio(parley, raw, 50), ratio(parley, raw, 99));
        System.out.printf("RTT parley/netty: p50 %.2fx, p99 %.2fx%n", ratio(parley, netty, 50), ratio(parley, netty, 99));
        output.writeHgrm("parley-rtt", parley);
        output.writeHgrm("netty-rtt", netty);
        output.writeHgrm("raw-rtt", raw);
        Path png = output.dir().resolve("p2p-rtt.png");
        HistogramChart.write(String.format("p2p round trip, %d B at %,.0f msgs/s", size, rate),
                List.of(Series.of("parley p2p", parley), Series.of("netty UDP ping-pong", netty),
                        Series.of("raw select ping-pong", raw)), png);
        System.out.println("files: " + output.dir().toAbsolutePath() + " (*.hgrm, *.hlog, p2p-rtt.png)");
    }

    private static double ratio(Histogram a, Histogram b, double percentile) {
        return (double) a.getValueAtPercentile(percentile) / b.getValueAtPercentile(percentile);
    }

    /** The flat-out lossless summary; {@code cleanCounts} is the last round's {received, duplicates, gaps, ...}. */
    static void lossless(double rawRate, double clean, long[] cleanCounts) {
        System.out.println();
        System.out.printf("%-40s %,14.0f msgs/s%n", "raw blast (1 msg per datagram), received", rawRate);
        System.out.printf("%-40s %,14.0f msgs/s   %.2fx raw (target >= 4x, and >= 1,000,000/s)%n",
                "parley delivered, lossless", clean, clean / rawRate);
        System.out.printf("%-40s duplicates %d, gaps %d%n", "receiver check, lossless", cleanCounts[1], cleanCounts[2]);
    }

    /** The flat-out lossy summary: goodput against the lossless {@code clean} rate, summed receiver checks. */
    static void lossy(double loss, double dup, double reorder, double lossy, double clean, long dups, long gaps) {
        System.out.printf("%-40s %,14.0f msgs/s   goodput %.0f%% of lossless (target >= 70%%)%n",
                faultLabel(loss, dup, reorder), lossy, 100 * lossy / clean);
        System.out.printf("%-40s duplicates %d, gaps %d%n", "receiver check, lossy", dups, gaps);
    }

    private static String faultLabel(double loss, double dup, double reorder) {
        StringBuilder b = new StringBuilder("parley delivered,");
        if (loss > 0) {
            b.append(String.format(" loss %.0f%%", loss * 100));
        }
        if (dup > 0) {
            b.append(String.format(" dup %.0f%%", dup * 100));
        }
        if (reorder > 0) {
            b.append(String.format(" reorder %.0f%%", reorder * 100));
        }
        return b.toString();
    }
}
