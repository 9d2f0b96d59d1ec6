package parley.bench.registry;

import org.HdrHistogram.Histogram;
import parley.bench.load.HistogramChart;
import parley.bench.load.Progress;
import parley.bench.load.RunOutput;
import parley.bench.load.Series;
import parley.core.loop.EventLoop;
import parley.core.tcp.TlsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * `./parley bench registry`: N sessions send a mix of heartbeat, lookup and who requests to a
 * registry, open loop at a target rate (latency, corrected for coordinated omission) or flat out
 * (throughput). The same load then runs against the Netty baseline in the same invocation, and
 * every figure is printed as a Parley/Netty ratio. So does the raw NIO floor (a selector server that
 * answers every frame with a pre-encoded reply and runs no registry logic), printed as Parley/floor:
 * how close the registry is to the limit of its design on this machine.
 *
 * <p>With {@code --nodes N} or {@code --store postgresql} (issue 16) it runs {@link ClusterRegistryBench}
 * instead: embedded against cluster nodes on throwaway PostgreSQL and Redis, with no Netty or floor.
 */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Load a registry with heartbeat/lookup/who requests; compare with a Netty baseline and a raw NIO floor.")
public final class RegistryBenchCommand implements Callable<Integer> {
    @Option(names = "--sessions", description = "TCP sessions (default: ${DEFAULT-VALUE})")
    int sessions = 1000;

    @Option(names = "--rate", description = "aggregate requests/s, open loop (default: ${DEFAULT-VALUE})")
    double rate = 20_000;

    @Option(names = "--flat-out", description = "closed loop, --depth requests in flight per session, for peak throughput")
    boolean flatOut;

    @Option(names = "--depth", description = "requests in flight per session with --flat-out (default: ${DEFAULT-VALUE})")
    int depth = 1;

    @Option(names = "--duration", description = "measured seconds per run (default: ${DEFAULT-VALUE})")
    int duration = 10;

    @Option(names = "--warmup", description = "unmeasured seconds before each run (default: ${DEFAULT-VALUE})")
    int warmup = 3;

    @Option(names = "--rounds", description = "rounds, each running every server once, starting with the next server each round (default: ${DEFAULT-VALUE})")
    int rounds = 1;

    @Option(names = "--mix", description = "percent heartbeat,lookup,who (default: ${DEFAULT-VALUE})")
    String mix = "50,30,20";

    @Option(names = "--server", description = "an already running Parley registry host:port instead of starting one")
    String server;

    @Option(names = "--no-baseline", description = "skip the Netty baseline")
    boolean noBaseline;

    @Option(names = "--tls", description = "TLS 1.3 on both sides: the Parley registry with its self-signed key (pinned by "
            + "the load client, logins SCRAM-SHA-256-PLUS), Netty with SslHandler on the JDK provider and the same key; "
            + "the plaintext floor is skipped")
    boolean tls;

    @Option(names = "--no-floor", description = "skip the raw NIO floor (a selector server answering pre-encoded replies)")
    boolean noFloor;

    @Option(names = "--pin", arity = "0..1", fallbackValue = "", paramLabel = "CLIENT:SERVER",
            description = "pin the load client (this JVM) to CPU CLIENT and each server it starts, Parley and Netty alike, "
                    + "to CPU SERVER with taskset (Linux), so that the client and the server under test each have a core "
                    + "of their own; --pin alone takes the first two CPUs the bench may use (default: not pinned)")
    String pin;

    @Option(names = "--parley-jvm", paramLabel = "OPTION",
            description = "an extra JVM option for the Parley server process only (repeatable), e.g. "
                    + "-XX:StartFlightRecording=filename=parley.jfr,settings=profile to profile it under this load")
    List<String> parleyJvm = new ArrayList<>();

    @Option(names = "--nodes", paramLabel = "N",
            description = "cluster mode (issue 16): one embedded SQLite node, one cluster node on PostgreSQL and Redis, and, "
                    + "with N > 1, N cluster nodes sharing one port with --reuse-port, in the same run; PostgreSQL and Redis "
                    + "are throwaway instances started for the run; ratios pg1/sqlite and pgN/pg1 (default: no cluster)")
    int nodes;

    @Option(names = "--store", paramLabel = "postgresql",
            description = "cluster mode's store: postgresql, the only one (--store postgresql alone is --nodes 1)")
    String store;

    @Option(names = "--out", description = "directory for .hgrm, .hlog and the chart (default: bench-results/registry)")
    Path out = Path.of("bench-results", "registry");

    /** The cluster run of the last call, null without --nodes/--store (tests read what it started). */
    ClusterRegistryBench cluster;

    @Override
    public Integer call() throws Exception {
        int[] percent = parseMix(mix);
        if (store != null && !"postgresql".equals(store)) {
            throw new IllegalArgumentException("--store takes postgresql (a throwaway instance started for the run)");
        }
        if (store != null || nodes > 0) {
            if (server != null || tls || pin != null) {
                throw new IllegalArgumentException("--nodes/--store start their own nodes, plaintext and unpinned: drop --server, --tls, --pin");
            }
            cluster = new ClusterRegistryBench(this);
        }
        List<String> serverArgs = List.of("--max-connections", Integer.toString(sessions + 100), "--rate-limit", "1000000",
                "--burst", "1000000", "--session-timeout", "3600", "--max-unauthenticated-per-address", "0",
                "--registrations-per-network", "10000000", "--registrations-per-second", "1000000", "--logins-per-network", "100000");
        List<String> jvm = List.of("-Xmx1g", "-XX:+UseParallelGC");
        if (cluster != null) {
            return cluster.run(Math.max(nodes, 1), serverArgs, jvm, percent);
        }
        pin = CpuPinning.choose(pin);
        List<String> launcher = pin == null ? List.of() : CpuPinning.pinned(pin);
        if (tls && server != null) {
            throw new IllegalArgumentException("--tls starts its own registry to learn its key: drop --server");
        }
        List<ServerProcess> processes = new ArrayList<>();
        try (EventLoop loop = new EventLoop("bench-registry-client").start(); RunOutput output = new RunOutput(out);
             BenchTls clientTls = tls ? new BenchTls() : null) {
            List<String> parleyJvmArgs = new ArrayList<>(jvm);
            parleyJvmArgs.addAll(parleyJvm);
            ServerProcess parley = server == null ? started(processes, ServerProcess.start(launcher, parleyJvmArgs, serverArgs, tls)) : null;
            TlsConfig clientConfig = tls ? clientTls.pinned(parley.fingerprint()) : null;
            List<String> nettyArgs = tls ? BenchTls.nettyArgs(parley.dataDir()) : List.of("0");
            ServerProcess netty = noBaseline ? null : started(processes,
                    ServerProcess.start(launcher, jvm, "parley.bench.baseline.NettyRegistryServer", nettyArgs, null));
            ServerProcess floor = noFloor || tls ? null : started(processes,
                    ServerProcess.start(launcher, jvm, "parley.bench.baseline.FloorRegistryServer", List.of("0"), null));
            InetSocketAddress target = parley != null ? parley.tcpAddress() : parse(server);
            System.out.printf("registry bench: %s%,d sessions, %s, mix heartbeat/lookup/who = %s%s%n", tls ? "TLS 1.3, " : "", sessions,
                    flatOut ? "flat out, depth " + depth : String.format("open loop at %,.0f req/s", rate), mix,
                    pin == null ? ", not pinned" : ", client on CPU " + pin.split(":")[0] + ", servers on CPU " + pin.split(":")[1]
                            + (server != null ? " (except --server, which runs where it was started)" : ""));
            LongSupplier clientCpu = CpuTally.loopThreadCpu(loop);
            Contender parleyC = new Contender("parley", new SessionPool(loop, target, "b", clientConfig), new CpuTally(parley, clientCpu), true);
            parleyC.pool.register(sessions, 64);
            List<Contender> baselines = new ArrayList<>();
            if (netty != null) {
                baselines.add(new Contender("netty", new SessionPool(loop, netty.tcpAddress(), "b", clientConfig), new CpuTally(netty, clientCpu), false));
            }
            if (floor != null) {
                baselines.add(new Contender("floor", new SessionPool(loop, floor.tcpAddress(), "b"), new CpuTally(floor, clientCpu), false));
            }
            List<Contender> all = new ArrayList<>(List.of(parleyC));
            all.addAll(baselines);
            // Every pool stays connected across rounds when this process may hold that many sockets;
            // otherwise (10,000 sessions each against a 20,000 open-file limit) each pool connects
            // for its own run and closes after it.
            boolean together = (long) all.size() * sessions + 1_000 <= maxOpenFiles();
            if (!together) {
                System.out.printf("(%,d sessions %d times exceed this process's open-file limit of %,d: each server's "
                        + "sessions connect for its own run)%n", sessions, all.size(), maxOpenFiles());
            }
            for (int r = 0; r < rounds; r++) {
                // Each round starts with the next server, so that what the first run of an
                // invocation pays alone (the load client's own JIT compilation, mostly) does not
                // always land on Parley.
                for (int k = 0; k < all.size(); k++) {
                    Contender c = all.get((r + k) % all.size());
                    c.connect(sessions);
                    run(c, loop, percent, output);
                    if (!together) {
                        c.pool.close();
                    }
                }
            }
            report(output, parleyC, baselines);
            reportCpu(all);
            RatioTable.print(System.out, parleyC, baselines);
            for (Contender c : all) {
                c.pool.close();
            }
        } finally {
            for (ServerProcess p : processes) {
                p.close();
            }
        }
        return 0;
    }

    private static ServerProcess started(List<ServerProcess> processes, ServerProcess p) {
        processes.add(p);
        return p;
    }

    private static long maxOpenFiles() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean
                ? ((com.sun.management.UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount() : Long.MAX_VALUE;
    }

    /** Runs one measured run of {@code c} and records it (the cluster bench runs its registries through it too). */
    void run(Contender c, EventLoop loop, int[] percent, RunOutput output) throws Exception {
        RegistryLoad load = new RegistryLoad(loop, c.pool, c.label, percent, c.cpu.server, c.cpu.client);
        for (var rec : load.recorders) {
            output.track(rec, System.currentTimeMillis());
        }
        Progress progress = new Progress(System.err, c.label, System.nanoTime(), TimeUnit.SECONDS.toNanos(1));
        long w = TimeUnit.SECONDS.toNanos(warmup);
        long d = TimeUnit.SECONDS.toNanos(duration);
        double ops = flatOut ? load.runFlatOut(depth, w, d, output, progress) : load.runOpenLoop(rate, w, d, output, progress);
        Histogram[] h = new Histogram[3];
        for (int i = 0; i < 3; i++) {
            h[i] = load.recorders[i].total().copy();
        }
        c.runs.add(h);
        c.roundOps.add(ops);
        long completed = Math.round(ops * duration);
        c.cpu.add(load.serverCpuInWindow, load.clientCpuInWindow, completed);
        c.roundServerMicros.add(load.serverCpuInWindow < 0 || completed <= 0 ? Double.NaN : load.serverCpuInWindow / 1e3 / completed);
        System.out.printf("  %s: %,.0f completed req/s, %,d errors%s%n", c.label, ops, load.errors(),
                c.cpu.lastRunText(load.serverCpuInWindow, load.clientCpuInWindow, completed));
    }

    private static void reportCpu(List<Contender> all) {
        Contender parley = all.get(0);
        if (!parley.cpu.known || parley.cpu.requests == 0) {
            return; // an external server (--server): its CPU cannot be read from here
        }
        StringBuilder line = new StringBuilder("CPU per request (measured windows):");
        for (Contender c : all) {
            if (c.cpu.known && c.cpu.requests > 0) {
                line.append(String.format(" %s server %.2f µs, client loop %.2f µs;", c.label, c.cpu.serverMicros(), c.cpu.clientMicros()));
            }
        }
        for (Contender c : all.subList(1, all.size())) {
            if (c.cpu.known && c.cpu.requests > 0) {
                line.append(String.format(" server CPU parley/%s: %.2fx;", c.label, parley.cpu.serverMicros() / c.cpu.serverMicros()));
            }
        }
        System.out.println(line.substring(0, line.length() - 1));
    }

    private void report(RunOutput output, Contender parley, List<Contender> baselines) throws Exception {
        System.out.println();
        Contender base = baselines.isEmpty() ? null : baselines.get(0);
        RunOutput.printHeader(System.out, base != null);
        List<Series> chart = new ArrayList<>();
        List<Contender> all = new ArrayList<>(List.of(parley));
        all.addAll(baselines);
        Histogram[] totals = new Histogram[all.size()];
        for (int i = 0; i < totals.length; i++) {
            totals[i] = new Histogram(1, Contender.HIGHEST_NANOS, 3);
        }
        for (int op = 0; op < 3; op++) {
            for (int i = 0; i < all.size(); i++) {
                Contender c = all.get(i);
                Histogram h = c.kind(op);
                totals[i].add(h);
                double ops = c.meanOps() * h.getTotalCount() / Math.max(1, c.totalCount());
                Histogram b = i == 0 && base != null ? base.kind(op) : null;
                double bOps = b == null ? 0 : base.meanOps() * b.getTotalCount() / Math.max(1, base.totalCount());
                String name = String.format("%-6s %s", c.label, RegistryLoad.OP_NAMES[op]);
                RunOutput.printRow(System.out, name, h, ops, b, bOps);
                output.writeHgrm(c.label + "-" + RegistryLoad.OP_NAMES[op], h);
                chart.add(Series.of(c.label + " " + RegistryLoad.OP_NAMES[op], h));
            }
        }
        for (int i = 0; i < all.size(); i++) {
            Contender c = all.get(i);
            RunOutput.printRow(System.out, String.format("%-6s all", c.label), totals[i], c.meanOps(),
                    i == 0 && base != null ? totals[1] : null, base == null ? 0 : base.meanOps());
        }
        for (int i = 1; i < all.size(); i++) {
            Contender b = all.get(i);
            System.out.printf("%sthroughput parley/%s: %.2fx   p50 parley/%s: %.2fx   p99 parley/%s: %.2fx%n", i == 1 ? "\n" : "",
                    b.label, parley.meanOps() / b.meanOps(), b.label,
                    (double) totals[0].getValueAtPercentile(50) / totals[i].getValueAtPercentile(50), b.label,
                    (double) totals[0].getValueAtPercentile(99) / totals[i].getValueAtPercentile(99));
        }
        Path png = output.dir().resolve("registry-latency.png");
        HistogramChart.write("registry request latency (" + (flatOut ? "flat out" : String.format("%,.0f req/s", rate)) + ")",
                chart, png);
        System.out.println("files: " + output.dir().toAbsolutePath() + " (*.hgrm, *.hlog, registry-latency.png)");
    }

    static int[] parseMix(String mix) {
        String[] parts = mix.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("--mix needs three percentages: heartbeat,lookup,who");
        }
        int[] p = new int[3];
        for (int i = 0; i < 3; i++) {
            p[i] = Integer.parseInt(parts[i].trim());
        }
        if (p[0] + p[1] + p[2] != 100) {
            throw new IllegalArgumentException("--mix must add up to 100");
        }
        return p;
    }

    static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
