package parley.bench.registry;

import parley.bench.load.RunOutput;
import parley.core.loop.EventLoop;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * `bench registry --nodes N --store postgresql` (issue 16): the same load as the default bench,
 * in one invocation against three registries, each round running each once in rotating order:
 * <ul>
 * <li>{@code sqlite}: one embedded node, exactly as {@code ./parley server} runs;</li>
 * <li>{@code pg1}: one cluster node on a throwaway PostgreSQL (its store) and Redis (its bus);</li>
 * <li>{@code pgN} (N &gt; 1): N cluster node processes sharing one TCP port with
 * {@code --reuse-port}, on a database and a Redis of their own; the kernel spreads the load
 * client's sessions over them, and the bench prints how.</li>
 * </ul>
 * Two ratio columns follow, per round and as the median: {@code pg1/sqlite}, the cost of the
 * distributed store and bus, and {@code pgN/pg1}, what more processes on the same machine buy.
 * Server CPU is summed over every node process of a registry; a fifth figure adds the CPU of
 * its PostgreSQL and Redis, which in cluster mode the operator pays too.
 */
final class ClusterRegistryBench {
    private final RegistryBenchCommand cmd;
    private final PrintStream out = System.out;
    /** Sessions each node of the pgN group held in the first round (test hook and printout); empty when N = 1. */
    final List<Integer> spread = new ArrayList<>();
    /** Every process the run started: nodes, the postmaster, the redis-servers (the test checks they are gone). */
    final List<Long> startedPids = new ArrayList<>();

    ClusterRegistryBench(RegistryBenchCommand cmd) {
        this.cmd = cmd;
    }

    /** A registry under test: its node processes and what reads their CPU (and their engines'). */
    private static final class Registry {
        final List<ServerProcess> nodes = new ArrayList<>();
        final WindowCpu cpu;

        Registry(List<Long> enginePids) {
            this.cpu = new WindowCpu(nodes, enginePids);
        }
    }

    int run(int nodes, List<String> serverArgs, List<String> jvm, int[] percent) throws Exception {
        String classpath = NodeClasspath.find();
        List<Registry> registries = new ArrayList<>();
        try (ThrowawayServices services = new ThrowawayServices()) {
            try (EventLoop loop = new EventLoop("bench-cluster-client").start(); RunOutput output = new RunOutput(cmd.out)) {
                Registry sqlite = new Registry(List.of());
                registries.add(sqlite);
                sqlite.nodes.add(ServerProcess.start(classpath, List.of(), jvm, serverArgs, false));
                Registry one = cluster(registries, services, classpath, "a", 1, serverArgs, jvm);
                Registry many = nodes > 1 ? cluster(registries, services, classpath, "b", nodes, serverArgs, jvm) : null;
                for (Registry r : registries) {
                    r.nodes.forEach(n -> startedPids.add(n.pid()));
                }
                startedPids.addAll(services.pids());
                out.printf("registry bench, cluster mode: %,d sessions, %s, mix heartbeat/lookup/who = %s; "
                        + "PostgreSQL and Redis throwaway instances on this host%n", cmd.sessions,
                        cmd.flatOut ? "flat out, depth " + cmd.depth : String.format("open loop at %,.0f req/s", cmd.rate), cmd.mix);
                LongSupplier clientCpu = CpuTally.loopThreadCpu(loop);
                List<Contender> all = new ArrayList<>();
                all.add(contender("sqlite", sqlite, loop, clientCpu));
                all.add(contender("pg1", one, loop, clientCpu));
                if (many != null) {
                    all.add(contender("pg" + nodes, many, loop, clientCpu));
                }
                for (int r = 0; r < cmd.rounds; r++) {
                    for (int k = 0; k < all.size(); k++) {
                        int i = (r + k) % all.size();
                        Contender c = all.get(i);
                        c.connect(cmd.sessions);
                        if (registries.get(i) == many && spread.isEmpty()) {
                            printSpread(many);
                        }
                        cmd.run(c, loop, percent, output);
                        servicesRound(c, registries.get(i));
                    }
                }
                List<Contender[]> pairs = new ArrayList<>(List.<Contender[]>of(new Contender[] {all.get(1), all.get(0)}));
                List<String> headers = new ArrayList<>(List.of("pg1/sqlite"));
                if (many != null) {
                    pairs.add(new Contender[] {all.get(2), all.get(1)});
                    headers.add(all.get(2).label + "/pg1");
                }
                printFigures(all);
                RatioTable.print(out, pairs, headers, true);
                out.println("server CPU/req: every node process of the registry (loop, GC, JIT); +pg,redis CPU: "
                        + "that plus the postmaster, its backends and redis-server");
                for (Contender c : all) {
                    c.pool.close();
                }
            } finally {
                for (Registry r : registries) {
                    for (ServerProcess p : r.nodes) {
                        p.close();
                    }
                }
            }
        }
        return 0;
    }

    /** Starts {@code count} nodes on a new database and Redis, the first on a free port, the rest on the same one. */
    private static Registry cluster(List<Registry> registries, ThrowawayServices services, String classpath, String tag,
                                    int count, List<String> serverArgs, List<String> jvm) throws Exception {
        String store = services.newDatabase();
        parley.server.cluster.RedisFixture redis = services.newRedis();
        String bus = redis.uri();
        // The postmaster (shared with the other cluster registry, whose nodes sit idle meanwhile) and this registry's Redis.
        Registry r = new Registry(List.of(services.postgresPid(), redis.pid()));
        registries.add(r);
        for (int n = 1; n <= count; n++) {
            List<String> args = new ArrayList<>(serverArgs);
            args.addAll(List.of("--store", store, "--bus", bus, "--node-id", tag + n, "--reuse-port"));
            if (n > 1) {
                args.addAll(List.of("--port", Integer.toString(r.nodes.get(0).tcpAddress().getPort())));
            }
            r.nodes.add(ServerProcess.start(classpath, List.of(), jvm, args, false));
        }
        return r;
    }

    private Contender contender(String label, Registry r, EventLoop loop, LongSupplier clientCpu) throws Exception {
        InetSocketAddress target = r.nodes.get(0).tcpAddress();
        Contender c = new Contender(label, new SessionPool(loop, target, "b"), new CpuTally(r.cpu, clientCpu), true);
        c.pool.register(cmd.sessions, 64);
        return c;
    }

    private void printSpread(Registry many) {
        int port = many.nodes.get(0).tcpAddress().getPort();
        StringBuilder line = new StringBuilder("sessions per node on port " + port + " (SO_REUSEPORT):");
        for (int n = 0; n < many.nodes.size(); n++) {
            int count = SocketCount.established(many.nodes.get(n).pid(), port);
            spread.add(count);
            line.append(String.format(" node %d %,d;", n + 1, count));
        }
        out.println(line.substring(0, line.length() - 1));
    }

    /** Each registry's own figures per round, then their medians: what the ratios are made of. */
    private void printFigures(List<Contender> all) {
        out.printf("%n%-7s %-7s %12s %14s %14s %10s %10s%n", "round", "server", "req/s", "server µs/req", "pg+redis µs", "p50 µs", "p99 µs");
        int rounds = all.get(0).runs.size();
        double[][][] f = new double[all.size()][5][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < all.size(); i++) {
                Contender c = all.get(i);
                var h = c.round(r);
                double[] v = {c.roundOps.get(r), c.roundServerMicros.get(r),
                    r < c.roundServicesMicros.size() ? c.roundServicesMicros.get(r) : Double.NaN,
                    h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3};
                for (int k = 0; k < v.length; k++) {
                    f[i][k][r] = v[k];
                }
                out.println(figureRow(Integer.toString(r + 1), c.label, v));
            }
        }
        for (int i = 0; i < all.size(); i++) {
            double[] m = new double[5];
            for (int k = 0; k < m.length; k++) {
                m[k] = RatioTable.median(f[i][k]);
            }
            out.println(figureRow("median", all.get(i).label, m));
        }
    }

    private static String figureRow(String round, String label, double[] v) {
        return String.format("%-7s %-7s %,12.0f %14.2f %14s %,10.0f %,10.0f", round, label, v[0], v[1],
                Double.isNaN(v[2]) ? "-" : String.format("%.2f", v[2]), v[3], v[4]);
    }

    /** Records the engines' CPU per request of the run just measured (cluster registries only). */
    private void servicesRound(Contender c, Registry r) {
        if (r.cpu.enginePids.isEmpty()) {
            return;
        }
        long completed = Math.round(c.roundOps.get(c.roundOps.size() - 1) * cmd.duration);
        double micros = completed <= 0 ? Double.NaN : r.cpu.engineWindowNanos() / 1e3 / completed;
        c.roundServicesMicros.add(micros);
        out.printf("  %s: PostgreSQL + Redis CPU per request %.2f µs%n", c.label, micros);
    }

    /**
     * The registry's CPU for {@link RegistryLoad}, summed over its node processes. The load reads
     * it exactly twice per run, at the edges of the measured window; each read also samples the
     * engines (postmaster with its backends, redis-server), so that their CPU covers the same window.
     */
    static final class WindowCpu implements LongSupplier {
        private final List<ServerProcess> nodes;
        final List<Long> enginePids;
        private long enginePrevious;
        private long engineLast;

        WindowCpu(List<ServerProcess> nodes, List<Long> enginePids) {
            this.nodes = nodes;
            this.enginePids = enginePids;
        }

        @Override
        public long getAsLong() {
            long engines = 0;
            for (long pid : enginePids) {
                engines += ThrowawayServices.treeCpuNanos(pid);
            }
            enginePrevious = engineLast;
            engineLast = engines;
            long total = 0;
            for (ServerProcess p : nodes) {
                total += p.cpuTime().toNanos();
            }
            return total;
        }

        long engineWindowNanos() {
            return engineLast - enginePrevious;
        }
    }
}
