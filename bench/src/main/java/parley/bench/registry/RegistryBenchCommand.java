package parley.bench.registry;

import org.HdrHistogram.Histogram;
import parley.bench.load.HistogramChart;
import parley.bench.load.Progress;
import parley.bench.load.RunOutput;
import parley.bench.load.Series;
import parley.core.loop.EventLoop;
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
 * every figure is printed as a Parley/Netty ratio.
 */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Load a registry with heartbeat/lookup/who requests; compare with a Netty baseline.")
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

    @Option(names = "--rounds", description = "Parley/Netty alternations (default: ${DEFAULT-VALUE})")
    int rounds = 1;

    @Option(names = "--mix", description = "percent heartbeat,lookup,who (default: ${DEFAULT-VALUE})")
    String mix = "50,30,20";

    @Option(names = "--server", description = "an already running Parley registry host:port instead of starting one")
    String server;

    @Option(names = "--no-baseline", description = "skip the Netty baseline")
    boolean noBaseline;

    @Option(names = "--pin", arity = "0..1", fallbackValue = "", paramLabel = "CLIENT:SERVER",
            description = "pin the load client (this JVM) to CPU CLIENT and each server it starts, Parley and Netty alike, "
                    + "to CPU SERVER with taskset (Linux), so that the client and the server under test each have a core "
                    + "of their own; --pin alone takes the first two CPUs the bench may use (default: not pinned)")
    String pin;

    @Option(names = "--out", description = "directory for .hgrm, .hlog and the chart (default: bench-results/registry)")
    Path out = Path.of("bench-results", "registry");

    @Override
    public Integer call() throws Exception {
        int[] percent = parseMix(mix);
        List<String> serverArgs = List.of("--max-connections", Integer.toString(sessions + 100), "--rate-limit", "1000000",
                "--burst", "1000000", "--session-timeout", "3600",
                "--registrations-per-network", "10000000", "--registrations-per-second", "1000000", "--logins-per-network", "100000");
        List<String> jvm = List.of("-Xmx1g", "-XX:+UseParallelGC");
        pin = choosePin();
        List<String> launcher = pin == null ? List.of() : pinned(pin);
        ServerProcess parley = server == null ? ServerProcess.start(launcher, jvm, serverArgs) : null;
        ServerProcess netty = noBaseline ? null
                : ServerProcess.start(launcher, jvm, "parley.bench.baseline.NettyRegistryServer", List.of("0"), null);
        try (EventLoop loop = new EventLoop("bench-registry-client").start(); RunOutput output = new RunOutput(out)) {
            InetSocketAddress target = parley != null ? parley.tcpAddress() : parse(server);
            System.out.printf("registry bench: %,d sessions, %s, mix heartbeat/lookup/who = %s%s%n", sessions,
                    flatOut ? "flat out, depth " + depth : String.format("open loop at %,.0f req/s", rate), mix,
                    pin == null ? ", not pinned" : ", client on CPU " + pin.split(":")[0] + ", servers on CPU " + pin.split(":")[1]
                            + (server != null ? " (except --server, which runs where it was started)" : ""));
            SessionPool parleyPool = new SessionPool(loop, target, "b");
            parleyPool.register(sessions, 64);
            SessionPool nettyPool = netty == null ? null : new SessionPool(loop, netty.tcpAddress(), "b");
            // Both pools stay connected across rounds when this process may hold that many sockets;
            // otherwise (10,000 sessions each against a 20,000 open-file limit) each pool connects
            // for its own run and closes after it.
            boolean together = nettyPool == null || 2L * sessions + 1_000 <= maxOpenFiles();
            if (!together) {
                System.out.printf("(%,d sessions twice exceed this process's open-file limit of %,d: each server's "
                        + "sessions connect for its own run)%n", sessions, maxOpenFiles());
            }
            List<Histogram[]> parleyRuns = new ArrayList<>();
            List<Histogram[]> nettyRuns = new ArrayList<>();
            double parleyOps = 0;
            double nettyOps = 0;
            LongSupplier clientCpu = loopThreadCpu(loop);
            CpuTally parleyCpu = new CpuTally(parley, clientCpu);
            CpuTally nettyCpu = new CpuTally(netty, clientCpu);
            for (int r = 0; r < rounds; r++) {
                if (parleyPool.clients().isEmpty()) {
                    parleyPool.login(sessions, 256);
                }
                parleyOps += run("parley", loop, parleyPool, percent, output, parleyRuns, parleyCpu);
                if (!together) {
                    parleyPool.close();
                }
                if (nettyPool != null) {
                    if (nettyPool.clients().isEmpty()) {
                        nettyPool.connectOnly(sessions, 256);
                    }
                    nettyOps += run("netty", loop, nettyPool, percent, output, nettyRuns, nettyCpu);
                    if (!together) {
                        nettyPool.close();
                    }
                }
            }
            parleyOps /= rounds;
            nettyOps /= rounds;
            report(output, parleyRuns, nettyRuns, parleyOps, nettyOps);
            reportCpu(parleyCpu, nettyPool != null ? nettyCpu : null);
            parleyPool.close();
            if (nettyPool != null) {
                nettyPool.close();
            }
        } finally {
            if (parley != null) {
                parley.close();
            }
            if (netty != null) {
                netty.close();
            }
        }
        return 0;
    }

    private static long maxOpenFiles() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean
                ? ((com.sun.management.UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount() : Long.MAX_VALUE;
    }

    /** Where to pin: null for not at all, else CLIENT:SERVER ("--pin" alone: the first two CPUs allowed). */
    private String choosePin() {
        if (pin == null || !pin.isEmpty()) {
            return pin;
        }
        try {
            Process p = new ProcessBuilder("taskset", "-c", "-p", Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("taskset failed: " + out.trim());
            }
            // "pid 123's current affinity list: 0,1" or "0-3": the first two CPUs this process may use
            List<Integer> cpus = cpuList(out.substring(out.lastIndexOf(':') + 1).trim());
            if (cpus.size() < 2) {
                throw new IllegalStateException("--pin needs two CPUs; this process may use only " + cpus);
            }
            return cpus.get(0) + ":" + cpus.get(1);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("--pin needs taskset (util-linux): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking taskset for this process's CPUs", e);
        }
    }

    /** Parses a CPU list such as "0-2,5" into [0, 1, 2, 5]. */
    static List<Integer> cpuList(String list) {
        List<Integer> cpus = new ArrayList<>();
        for (String part : list.split(",")) {
            String[] range = part.trim().split("-");
            int from = Integer.parseInt(range[0].trim());
            int to = range.length > 1 ? Integer.parseInt(range[1].trim()) : from;
            for (int c = from; c <= to && cpus.size() < 64; c++) {
                cpus.add(c);
            }
        }
        return cpus;
    }

    /**
     * Pins this JVM, every thread of it, to the client CPU, and returns the launcher that starts a
     * server on the server CPU. Threads started later inherit the mask of the thread that starts them.
     */
    private static List<String> pinned(String spec) throws Exception {
        String[] cpus = spec.split(":");
        if (cpus.length != 2 || !cpus[0].matches("\\d+") || !cpus[1].matches("\\d+")) {
            throw new IllegalArgumentException("--pin takes CLIENT:SERVER CPU numbers, e.g. 0:1");
        }
        if (cpus[0].equals(cpus[1])) {
            throw new IllegalArgumentException("--pin needs two different CPUs, one for the client and one for the server");
        }
        Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus[0], Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("taskset could not pin the client to CPU " + cpus[0] + ": " + out.trim());
        }
        return List.of("taskset", "-c", cpus[1]);
    }

    private double run(String label, EventLoop loop, SessionPool pool, int[] percent, RunOutput output, List<Histogram[]> runs,
                       CpuTally cpu) throws Exception {
        RegistryLoad load = new RegistryLoad(loop, pool, label, percent, cpu.server, cpu.client);
        for (var rec : load.recorders) {
            output.track(rec, System.currentTimeMillis());
        }
        Progress progress = new Progress(System.err, label, System.nanoTime(), TimeUnit.SECONDS.toNanos(1));
        long w = TimeUnit.SECONDS.toNanos(warmup);
        long d = TimeUnit.SECONDS.toNanos(duration);
        double ops = flatOut ? load.runFlatOut(depth, w, d, output, progress) : load.runOpenLoop(rate, w, d, output, progress);
        Histogram[] h = new Histogram[3];
        for (int i = 0; i < 3; i++) {
            h[i] = load.recorders[i].total().copy();
        }
        runs.add(h);
        cpu.add(load.serverCpuInWindow, load.clientCpuInWindow, Math.round(ops * duration));
        System.out.printf("  %s: %,.0f completed req/s, %,d errors%s%n", label, ops, load.errors(),
                cpu.lastRunText(load.serverCpuInWindow, load.clientCpuInWindow, Math.round(ops * duration)));
        return ops;
    }

    /**
     * CPU per completed request, summed over a server's measured windows: the server process's
     * (every thread: loop, GC, JIT) and the load client's loop thread. Unlike requests per second
     * these barely depend on what else the shared machine runs, so they are the steadier figure.
     */
    static final class CpuTally {
        final LongSupplier server;
        final LongSupplier client;
        long serverNanos;
        long clientNanos;
        long requests;
        boolean known = true;

        CpuTally(ServerProcess process, LongSupplier client) {
            this.server = process == null ? () -> -1 : () -> process.cpuTime().toNanos();
            this.client = client;
        }

        void add(long serverCpu, long clientCpu, long completed) {
            if (serverCpu < 0 || clientCpu < 0 || completed <= 0) {
                known = false;
                return;
            }
            serverNanos += serverCpu;
            clientNanos += clientCpu;
            requests += completed;
        }

        String lastRunText(long serverCpu, long clientCpu, long completed) {
            if (serverCpu < 0 || clientCpu < 0 || completed <= 0) {
                return "";
            }
            return String.format(", CPU per request: server %.2f µs, client loop %.2f µs",
                    serverCpu / 1e3 / completed, clientCpu / 1e3 / completed);
        }

        double serverMicros() {
            return serverNanos / 1e3 / requests;
        }

        double clientMicros() {
            return clientNanos / 1e3 / requests;
        }
    }

    private static void reportCpu(CpuTally parley, CpuTally netty) {
        if (!parley.known || parley.requests == 0) {
            return; // an external server (--server): its CPU cannot be read from here
        }
        System.out.printf("CPU per request (measured windows): parley server %.2f µs, client loop %.2f µs", parley.serverMicros(),
                parley.clientMicros());
        if (netty != null && netty.known && netty.requests > 0) {
            System.out.printf("; netty server %.2f µs, client loop %.2f µs; server CPU netty/parley: %.2fx", netty.serverMicros(),
                    netty.clientMicros(), netty.serverMicros() / parley.serverMicros());
        }
        System.out.println();
    }

    /** CPU time of the client loop's thread, read with the JVM's thread CPU clock. */
    private static LongSupplier loopThreadCpu(EventLoop loop) throws Exception {
        java.util.concurrent.CompletableFuture<Long> id = new java.util.concurrent.CompletableFuture<>();
        loop.execute(() -> id.complete(Thread.currentThread().getId()));
        long tid = id.get(10, TimeUnit.SECONDS);
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported()) {
            return () -> -1;
        }
        return () -> mx.getThreadCpuTime(tid);
    }

    private void report(RunOutput output, List<Histogram[]> parleyRuns, List<Histogram[]> nettyRuns, double parleyOps, double nettyOps)
            throws Exception {
        System.out.println();
        RunOutput.printHeader(System.out, !nettyRuns.isEmpty());
        List<Series> chart = new ArrayList<>();
        Histogram parleyAll = new Histogram(1, 60_000_000_000L, 3);
        Histogram nettyAll = new Histogram(1, 60_000_000_000L, 3);
        for (int op = 0; op < 3; op++) {
            Histogram p = sum(parleyRuns, op);
            Histogram n = nettyRuns.isEmpty() ? null : sum(nettyRuns, op);
            parleyAll.add(p);
            double pOps = parleyOps * p.getTotalCount() / Math.max(1, totalCount(parleyRuns));
            double nOps = n == null ? 0 : nettyOps * n.getTotalCount() / Math.max(1, totalCount(nettyRuns));
            RunOutput.printRow(System.out, "parley " + RegistryLoad.OP_NAMES[op], p, pOps, n, nOps);
            output.writeHgrm("parley-" + RegistryLoad.OP_NAMES[op], p);
            chart.add(Series.of("parley " + RegistryLoad.OP_NAMES[op], p));
            if (n != null) {
                nettyAll.add(n);
                RunOutput.printRow(System.out, "netty  " + RegistryLoad.OP_NAMES[op], n, nOps, null, 0);
                output.writeHgrm("netty-" + RegistryLoad.OP_NAMES[op], n);
                chart.add(Series.of("netty " + RegistryLoad.OP_NAMES[op], n));
            }
        }
        RunOutput.printRow(System.out, "parley all", parleyAll, parleyOps, nettyRuns.isEmpty() ? null : nettyAll, nettyOps);
        if (!nettyRuns.isEmpty()) {
            RunOutput.printRow(System.out, "netty  all", nettyAll, nettyOps, null, 0);
            System.out.printf("%nthroughput parley/netty: %.2fx   p50 parley/netty: %.2fx   p99 parley/netty: %.2fx%n",
                    parleyOps / nettyOps, (double) parleyAll.getValueAtPercentile(50) / nettyAll.getValueAtPercentile(50),
                    (double) parleyAll.getValueAtPercentile(99) / nettyAll.getValueAtPercentile(99));
        }
        Path png = output.dir().resolve("registry-latency.png");
        HistogramChart.write("registry request latency (" + (flatOut ? "flat out" : String.format("%,.0f req/s", rate)) + ")",
                chart, png);
        System.out.println("files: " + output.dir().toAbsolutePath() + " (*.hgrm, *.hlog, registry-latency.png)");
    }

    private static Histogram sum(List<Histogram[]> runs, int op) {
        Histogram h = new Histogram(1, 60_000_000_000L, 3);
        for (Histogram[] r : runs) {
            h.add(r[op]);
        }
        return h;
    }

    private static long totalCount(List<Histogram[]> runs) {
        long n = 0;
        for (Histogram[] r : runs) {
            for (Histogram h : r) {
                n += h.getTotalCount();
            }
        }
        return n;
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
