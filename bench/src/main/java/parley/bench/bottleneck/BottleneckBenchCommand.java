package parley.bench.bottleneck;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import parley.bench.load.RunOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * `./parley bench bottleneck`: the reliable channel and plain TCP (the kernel's CUBIC, or with
 * {@code --tcp-cc bbr} its BBR) through a
 * real kernel bottleneck, the lab of {@code tools/lab/bottleneck.sh}. Each round runs, in the
 * namespaces, a paced UDP probe (its round trips show the queue the bulk flows build) with:
 * nothing else (idle RTT), one TCP stream alone, Parley alone, Parley with N TCP streams at
 * once, and N+1 TCP streams with no Parley (the reference: how evenly CUBIC shares the same lab
 * with itself over the same window, the last stream started after the others as Parley's is). It
 * prints utilization alone, the shares, Jain's fairness index and the probe's RTT percentiles per
 * round and as medians, and writes each probe's .hlog and a .hgrm per phase. It
 * also samples the bottleneck's queue itself from the kernel every 2 ms ({@link QueueSampler}),
 * which the probe's RTT holds together with the host's scheduling noise. The
 * Parley flow also carries chat (a 64-byte message every 20 ms on the same session as the bulk
 * data, which goes through a {@code BulkGate} unless {@code --no-bulk-gate}); the chat messages'
 * one-way delays are printed and written as a .hgrm per phase too.
 */
@Command(name = "bottleneck", mixinStandardHelpOptions = true,
        description = "Parley and TCP through a tbf bottleneck in network namespaces (needs root).")
public final class BottleneckBenchCommand implements Callable<Integer> {
    @Option(names = "--rate", description = "bottleneck rate, as tc says it (default: ${DEFAULT-VALUE})")
    String rate = "20mbit";

    @Option(names = "--rtt", description = "added base RTT, e.g. 40ms: an NFQUEUE delay program on the return path"
            + " (tools/lab/nfq_delay.py; this kernel has no netem) (default: none)")
    String rtt = "0";

    @Option(names = "--tcp-flows", description = "TCP streams competing with Parley (default: ${DEFAULT-VALUE})")
    int tcpFlows = 1;

    @Option(names = "--tcp-cc", description = "congestion control of the lab's TCP streams: cubic, or bbr for the"
            + " kernel's own BBR (with its nanosecond pacing) as a reference; checked in ss -tin (default: ${DEFAULT-VALUE})")
    String tcpCc = TcpCongestion.CUBIC;

    @Option(names = "--duration", description = "measured seconds per phase (default: ${DEFAULT-VALUE})")
    int duration = 10;

    @Option(names = "--warmup", description = "unmeasured seconds per phase (default: ${DEFAULT-VALUE})")
    int warmup = 3;

    @Option(names = "--rounds", description = "rounds of all phases (default: ${DEFAULT-VALUE})")
    int rounds = 3;

    @Option(names = "--probe-rate", description = "probe datagrams per second (default: ${DEFAULT-VALUE})")
    double probeRate = 100;

    @Option(names = "--no-bulk-gate", description = "put the Parley flow's bulk data straight into the session's"
            + " stream instead of through a BulkGate, so chat on the same session waits behind it")
    boolean noBulkGate;

    @Option(names = "--no-reference", description = "skip the reference phase: N+1 TCP streams and no Parley, whose"
            + " Jain's index says how evenly CUBIC shares this lab with itself over the same window")
    boolean noReference;

    @Option(names = "--out", description = "directory for results (default: bench-results/bottleneck)")
    Path out = Path.of("bench-results", "bottleneck");

    /** What one phase measured: goodput per flow in bits/s (Parley first when it ran), the probe's RTTs. */
    record Phase(double parley, double[] tcp, Histogram probe, IcmpProbe.Result icmp, Histogram chat, Histogram queue) {
        double tcpTotal() {
            return Arrays.stream(tcp).sum();
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!rtt.matches("0|[0-9]+(\\.[0-9]+)?ms|[0-9]+s")) {
            System.err.println("bench bottleneck: --rtt must be like 40ms or 1s: " + rtt);
            return 2;
        }
        if (!tcpCc.matches("cubic|bbr|reno")) {
            System.err.println("bench bottleneck: --tcp-cc must be cubic, bbr or reno: " + tcpCc);
            return 2;
        }
        if (!Lab.isRoot()) {
            System.err.println("bench bottleneck: needs root (it creates network namespaces and a tc bottleneck)."
                    + " Run it as root, e.g. sudo ./parley bench bottleneck --rate " + rate);
            return 2;
        }
        Map<String, List<Phase>> results = new LinkedHashMap<>();
        try (RunOutput output = new RunOutput(out); Lab lab = Lab.up(rate, rtt, 0, tcpCc)) {
            double link = lab.rateBits;
            System.out.printf("bottleneck bench: %s tbf (%d ms queue) on R->B, %s ms added RTT (NFQUEUE delay on B->A),"
                    + " namespaces %s-{a,r,b}, TCP %s, %d round(s), %d s measured per phase after %d s warm-up, probe %.0f/s%n",
                    rate, lab.bufferMs, lab.delayMs, lab.name, tcpCc, rounds, duration, warmup, probeRate);
            for (int r = 1; r <= rounds; r++) {
                Phase idle = phase(lab, output, "idle", r, false, 0);
                Phase tcp = phase(lab, output, "tcp-alone", r, false, 1);
                Phase parley = phase(lab, output, "parley-alone", r, true, 0);
                Phase both = phase(lab, output, "parley+" + tcpFlows + "tcp", r, true, tcpFlows);
                if (!noReference) {
                    // the last stream starts after the others, by a child JVM's start-up, as Parley's does
                    Phase reference = phase(lab, output, (tcpFlows + 1) + "tcp", r, false, tcpFlows + 1);
                    results.computeIfAbsent("reference", k -> new ArrayList<>()).add(reference);
                    System.out.printf("round %d: reference, %d TCP streams and no Parley: %s Mbit/s, Jain %.3f%n", r,
                            tcpFlows + 1, joinMbit(reference.tcp()), jain(reference.tcp()));
                }
                results.computeIfAbsent("idle", k -> new ArrayList<>()).add(idle);
                results.computeIfAbsent("tcp", k -> new ArrayList<>()).add(tcp);
                results.computeIfAbsent("parley", k -> new ArrayList<>()).add(parley);
                results.computeIfAbsent("both", k -> new ArrayList<>()).add(both);
                System.out.printf("round %d: TCP alone %.1f Mbit/s (%.0f%%), Parley alone %.1f Mbit/s (%.0f%%) = %.0f%% of TCP;"
                                + " together Parley %.1f / TCP %s Mbit/s, Jain %.3f; probe p99 ms: idle %.2f, TCP %.2f, Parley %.2f, both %.2f;"
                                + " ICMP p99 ms: idle %.2f, TCP %.2f, Parley %.2f; bottleneck queue p99 ms with Parley alone %.2f;"
                                + " chat one-way p50/p99 ms: alone %.2f/%.2f, together %.2f/%.2f%n",
                        r, mbit(tcp.tcpTotal()), 100 * tcp.tcpTotal() / link, mbit(parley.parley()),
                        100 * parley.parley() / link, 100 * parley.parley() / tcp.tcpTotal(), mbit(both.parley()),
                        joinMbit(both.tcp()), jain(both), ms(idle.probe(), 99), ms(tcp.probe(), 99),
                        ms(parley.probe(), 99), ms(both.probe(), 99), ms(idle.icmp().rtt(), 99),
                        ms(tcp.icmp().rtt(), 99), ms(parley.icmp().rtt(), 99), ms(parley.queue(), 99), ms(parley.chat(), 50),
                        ms(parley.chat(), 99),
                        ms(both.chat(), 50), ms(both.chat(), 99));
            }
            summary(results, link, output);
        }
        return 0;
    }

    private void summary(Map<String, List<Phase>> results, double link, RunOutput output) throws Exception {
        List<Phase> tcp = results.get("tcp");
        List<Phase> parley = results.get("parley");
        List<Phase> both = results.get("both");
        double tcpAlone = median(tcp.stream().mapToDouble(Phase::tcpTotal).toArray());
        double parleyAlone = median(parley.stream().mapToDouble(Phase::parley).toArray());
        // Same-run ratios: each round's Parley against that round's TCP.
        double ratio = median(java.util.stream.IntStream.range(0, parley.size())
                .mapToDouble(i -> parley.get(i).parley() / tcp.get(i).tcpTotal()).toArray());
        double bothParley = median(both.stream().mapToDouble(Phase::parley).toArray());
        double bothTcp = median(both.stream().mapToDouble(Phase::tcpTotal).toArray());
        double jain = median(both.stream().mapToDouble(BottleneckBenchCommand::jain).toArray());
        System.out.printf("%nmedians of %d round(s), %s bottleneck:%n", tcp.size(), rate);
        System.out.printf("  %-34s %8.1f Mbit/s  (%.0f%% of the link)%n", "TCP " + tcpCc.toUpperCase(java.util.Locale.ROOT) + " alone", mbit(tcpAlone), 100 * tcpAlone / link);
        System.out.printf("  %-34s %8.1f Mbit/s  (%.0f%% of the link, %.0f%% of TCP's; target >= 90%%)%n", "Parley alone",
                mbit(parleyAlone), 100 * parleyAlone / link, 100 * ratio);
        System.out.printf("  %-34s %8.1f / %.1f Mbit/s (Parley / %d TCP)%n", "together", mbit(bothParley), mbit(bothTcp), tcpFlows);
        System.out.printf("  %-34s %8.3f  (target >= 0.9; rounds: %s)%n", "Jain's index, Parley + " + tcpFlows + " TCP", jain,
                perRound(both, BottleneckBenchCommand::jain));
        List<Phase> reference = results.get("reference");
        if (reference != null) {
            ToDoubleFunction<Phase> tcpOnly = p -> jain(p.tcp());
            System.out.printf("  %-34s %8.3f  (rounds: %s)%n", "reference: Jain, " + (tcpFlows + 1) + " TCP alone",
                    median(reference.stream().mapToDouble(tcpOnly).toArray()), perRound(reference, tcpOnly));
        }
        String[][] names = {{"idle", "idle"}, {"tcp", "tcp-alone"}, {"parley", "parley-alone"},
                {"both", "parley+" + tcpFlows + "tcp"}};
        Map<String, Histogram> probes = new LinkedHashMap<>();
        for (String[] n : names) {
            probes.put(n[1], merged(output, results.get(n[0]), Phase::probe, "probe-rtt-" + n[1]));
        }
        System.out.printf("  probe RTT (ms)                      p50      p90      p99    p99.9   (target p99 <= %.2f)%n",
                target(probes.get("idle"), link));
        probes.forEach(BottleneckBenchCommand::row);
        icmpRows(results, names, link, output);
        System.out.printf("  bottleneck queue (ms; the tbf's backlog at the link rate, sampled every %.0f ms)%n",
                QueueSampler.INTERVAL_SECONDS * 1000);
        for (String[] n : names) {
            row(n[1], merged(output, results.get(n[0]), Phase::queue, "queue-" + n[1]));
        }
        System.out.printf("  chat one-way delay (ms), %s     p50      p90      p99    p99.9      max%n",
                noBulkGate ? "ungated   " : "gated bulk");
        String[][] chatNames = {{"parley", "parley-alone"}, {"both", "parley+" + tcpFlows + "tcp"}};
        for (String[] n : chatNames) {
            Histogram h = merged(output, results.get(n[0]), Phase::chat, "chat-delay-" + n[1]);
            System.out.printf("  %-34s %6.2f   %6.2f   %6.2f   %6.2f   %6.2f%n", "during " + n[1], ms(h, 50), ms(h, 90),
                    ms(h, 99), ms(h, 99.9), ms(h, 100));
        }
        System.out.println("files: " + output.dir().toAbsolutePath()
                + " (probe-*.hlog per phase and round, probe-rtt-*.hgrm, icmp-*.txt (ping's output) per phase and round,"
                + " icmp-rtt-*.hgrm, chat-delay-*.hgrm, queue-*.csv per phase and round and queue-*.hgrm)");
    }

    /**
     * The kernel-stamped probe's table ({@link IcmpProbe}): its round trips hold the queue without
     * the host's scheduling noise, and the same target, from its own idle RTT, is far tighter.
     */
    private static void icmpRows(Map<String, List<Phase>> results, String[][] names, double link, RunOutput output)
            throws Exception {
        if (!IcmpProbe.available()) {
            System.out.println("  ICMP echo RTT: not measured, ping is not installed (tools/lab/ensure-packages.sh installs iputils-ping)");
            return;
        }
        Map<String, Histogram> echoes = new LinkedHashMap<>();
        long lost = 0;
        for (String[] n : names) {
            echoes.put(n[1], merged(output, results.get(n[0]), p -> p.icmp().rtt(), "icmp-rtt-" + n[1]));
            lost += results.get(n[0]).stream().mapToLong(p -> p.icmp().lost()).sum();
        }
        System.out.printf("  ICMP echo RTT (ms; kernel-stamped)  p50      p90      p99    p99.9   (target p99 <= %.2f; %d lost)%n",
                target(echoes.get("idle"), link), lost);
        echoes.forEach(BottleneckBenchCommand::row);
    }

    /**
     * The queue target for a probe whose idle round trips are {@code idle}: twice its idle p99 plus
     * the serialization time of one full-size packet at the link's rate, in ms.
     */
    private static double target(Histogram idle, double link) {
        return 2 * ms(idle, 99) + 1500 * 8 / link * 1000;
    }

    /** One of each round's histograms ({@code which}) of a phase, merged, and written as {@code name}.hgrm. */
    private static Histogram merged(RunOutput output, List<Phase> rounds, Function<Phase, Histogram> which, String name)
            throws Exception {
        Histogram h = new Histogram(3);
        rounds.forEach(p -> h.add(which.apply(p)));
        output.writeHgrm(name, h);
        return h;
    }

    /** One figure of each round, to three places, comma-separated. */
    private static String perRound(List<Phase> rounds, ToDoubleFunction<Phase> figure) {
        return String.join(", ", rounds.stream().map(p -> String.format("%.3f", figure.applyAsDouble(p))).toList());
    }

    /** A row of a percentile table: p50, p90, p99 and p99.9 in ms. */
    private static void row(String phase, Histogram h) {
        System.out.printf("  %-34s %6.2f   %6.2f   %6.2f   %6.2f%n", "during " + phase, ms(h, 50), ms(h, 90), ms(h, 99),
                ms(h, 99.9));
    }

    /** One phase: the probe plus the bulk flows asked for, counted over the measured window. */
    private Phase phase(Lab lab, RunOutput output, String label, int round, boolean parley, int tcp) throws Exception {
        System.err.printf("round %d: %s%n", round, label);
        Path hlog = output.dir().resolve("probe-" + label + "-round" + round + ".hlog").toAbsolutePath();
        List<Flow> flows = new ArrayList<>();
        QueueSampler queue = null;
        IcmpProbe icmp = null;
        try {
            Flow echo = start(flows, lab.bNs, "probe-echo", lab.bAddr);
            Flow probe = start(flows, lab.aNs, "probe-send", lab.bAddr, Integer.toString(echo.port()),
                    Double.toString(probeRate), hlog.toString());
            Flow tcpSink = null;
            if (tcp > 0) {
                tcpSink = start(flows, lab.bNs, "tcp-sink", lab.bAddr);
                for (int i = 0; i < tcp; i++) {
                    start(flows, lab.aNs, "tcp-send", lab.bAddr, Integer.toString(tcpSink.port()));
                }
            }
            Flow parleySink = null;
            if (parley) {
                parleySink = start(flows, lab.bNs, "parley-sink", lab.bAddr);
                Flow sender = start(flows, lab.aNs, "parley-send", lab.aAddr, "0", noBulkGate ? "nogate" : "gate");
                parleySink.peer(lab.aAddr, sender);
                sender.peer(lab.bAddr, parleySink);
            }
            TimeUnit.SECONDS.sleep(warmup);
            if (tcpSink != null) {
                // What the kernel says the streams use, not what the lab asked for; throws unless --tcp-cc's.
                System.err.printf("round %d: %s: TCP congestion control %s%n", round, label,
                        TcpCongestion.verify(lab.aNs, lab.bAddr, tcpSink.port(), tcp, tcpCc));
            }
            long[] p0 = parleySink != null ? parleySink.count() : null;
            long[] t0 = tcpSink != null ? tcpSink.count() : null;
            if (parleySink != null) {
                parleySink.chat(); // the warm-up's chat delays are dropped
            }
            queue = QueueSampler.start(lab, output.dir().resolve("queue-" + label + "-round" + round + ".csv"));
            if (IcmpProbe.available()) {
                icmp = IcmpProbe.start(lab, probeRate, output.dir().resolve("icmp-" + label + "-round" + round + ".txt"));
            }
            TimeUnit.SECONDS.sleep(duration);
            Histogram queued = queue.stop();
            IcmpProbe.Result echoes = icmp != null ? icmp.stop() : new IcmpProbe.Result(new Histogram(3), 0);
            Histogram chat = parleySink != null ? parleySink.chat() : new Histogram(3);
            long[] p1 = parleySink != null ? parleySink.count() : null;
            long[] t1 = tcpSink != null ? tcpSink.count() : null;
            probe.stop();
            double parleyRate = p0 == null ? 0 : rate(p0, p1, 0);
            double[] tcpRates = new double[tcp];
            for (int i = 0; i < tcp; i++) {
                tcpRates[i] = rate(t0, t1, i);
            }
            return new Phase(parleyRate, tcpRates, readProbe(hlog), echoes, chat, queued);
        } finally {
            if (queue != null) {
                queue.close();
            }
            if (icmp != null) {
                icmp.close();
            }
            for (int i = flows.size() - 1; i >= 0; i--) {
                flows.get(i).close();
            }
        }
    }

    private static Flow start(List<Flow> flows, String ns, String... args) throws Exception {
        Flow f = new Flow(ns, args);
        flows.add(f);
        return f;
    }

    /** Bits per second of flow {@code i} between two counts (the sink's clock is the last element). */
    private static double rate(long[] c0, long[] c1, int i) {
        long before = i < c0.length - 1 ? c0[i] : 0;
        long after = i < c1.length - 1 ? c1[i] : 0;
        double seconds = (c1[c1.length - 1] - c0[c0.length - 1]) / 1e9;
        return (after - before) * 8 / seconds;
    }

    /** The probe's round trips after the warm-up (the log has one interval a second). */
    private Histogram readProbe(Path hlog) throws Exception {
        Histogram sum = new Histogram(3);
        HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
        EncodableHistogram h;
        int interval = 0;
        while ((h = reader.nextIntervalHistogram()) != null) {
            if (interval++ >= warmup) {
                sum.add((Histogram) h);
            }
        }
        reader.close();
        return sum;
    }

    /** Jain's fairness index of the flows of a shared phase: (sum x)^2 / (n sum x^2). */
    static double jain(Phase p) {
        double[] x = new double[p.tcp().length + 1];
        x[0] = p.parley();
        System.arraycopy(p.tcp(), 0, x, 1, p.tcp().length);
        return jain(x);
    }

    static double jain(double... x) {
        double sum = 0;
        double squares = 0;
        for (double v : x) {
            sum += v;
            squares += v * v;
        }
        return squares == 0 ? 0 : sum * sum / (x.length * squares);
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return 0;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double mbit(double bits) {
        return bits / 1e6;
    }

    private static String joinMbit(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(b.length() == 0 ? "" : "+").append(String.format("%.1f", mbit(x)));
        }
        return b.toString();
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
    }
}
