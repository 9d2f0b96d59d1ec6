package parley.bench.registry;

import parley.core.loop.EventLoop;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * `./parley bench idle`: how much a registry pays for sessions that only sit there. Starts a
 * registry process, registers N accounts, measures its live heap, logs N sessions in, measures
 * again, then samples its CPU while they idle. The heap figure per session is the difference
 * divided by N, so accounts (which exist whether online or not) are not counted in it.
 *
 * <p>With {@code --store postgresql} and/or {@code --bus redis} (issue 16) the same run measures
 * the embedded registry and then a cluster node on throwaway PostgreSQL/Redis instances, one
 * after the other (both sets of sessions at once would not fit one process's open-file limit),
 * and prints them side by side; the cluster side also shows what its engines spend while the
 * sessions idle (their lease heartbeats).
 */
@Command(name = "idle", mixinStandardHelpOptions = true,
        description = "Heap per idle session and idle CPU of a registry holding N logged-in sessions; "
                + "with --store/--bus also of a cluster node, side by side.")
public final class IdleSessionsCommand implements Callable<Integer> {
    @Option(names = "--sessions", description = "idle sessions to hold (default: ${DEFAULT-VALUE})")
    int sessions = 10_000;

    @Option(names = "--idle-seconds", description = "how long to sample idle CPU (default: ${DEFAULT-VALUE})")
    int idleSeconds = 10;

    @Option(names = "--parallel", description = "connections being set up at once (default: ${DEFAULT-VALUE})")
    int parallel = 256;

    @Option(names = "--tls", description = "the registry in TLS mode (its self-signed key pinned, logins SCRAM-SHA-256-PLUS); "
            + "the heap per session then includes the TLS engine's")
    boolean tls;

    @Option(names = "--store", paramLabel = "postgresql",
            description = "cluster mode: also measure a node whose store is a throwaway PostgreSQL started for the run")
    String store;

    @Option(names = "--bus", paramLabel = "redis",
            description = "cluster mode: also measure a node whose bus is a throwaway Redis started for the run")
    String bus;

    /** What one registry measured. */
    record Result(String label, long heapBefore, long heapAfter, double heapPerSession, double cpuFraction, double engineFraction) {
    }

    /** What the last call measured, embedded first (tests read it); and every PID the cluster side started. */
    final List<Result> results = new ArrayList<>();
    final List<Long> startedPids = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (store != null && !"postgresql".equals(store) || bus != null && !"redis".equals(bus)) {
            throw new IllegalArgumentException("--store takes postgresql and --bus takes redis (throwaway instances started for the run)");
        }
        boolean cluster = store != null || bus != null;
        // The lease is long so that "idle" really is idle: no heartbeats are needed during the run.
        List<String> serverArgs = List.of("--session-timeout", "3600", "--max-connections", Integer.toString(sessions + 100),
                "--rate-limit", "100000", "--burst", "100000", "--max-unauthenticated-per-address", "0",
                "--registrations-per-network", "10000000", "--registrations-per-second", "1000000", "--logins-per-network", "100000");
        System.out.println(tls ? "registry in TLS 1.3 mode" : "registry in plaintext mode");
        String classpath = cluster ? NodeClasspath.find() : System.getProperty("java.class.path");
        results.add(measure("embedded", ServerProcess.start(classpath, List.of(), List.of("-Xmx2g"), serverArgs, tls), List.of()));
        if (cluster) {
            try (ThrowawayServices services = new ThrowawayServices()) {
                List<String> args = new ArrayList<>(serverArgs);
                List<Long> engines = new ArrayList<>();
                if (store != null) {
                    args.addAll(List.of("--store", services.newDatabase()));
                    engines.add(services.postgresPid());
                }
                if (bus != null) {
                    var redis = services.newRedis();
                    args.addAll(List.of("--bus", redis.uri(), "--node-id", "idle1"));
                    engines.add(redis.pid());
                }
                startedPids.addAll(engines);
                String label = "cluster (" + (store != null ? "postgresql" : "sqlite") + (bus != null ? " + redis" : "") + ")";
                results.add(measure(label, ServerProcess.start(classpath, List.of(), List.of("-Xmx2g"), args, tls), engines));
            }
            printSideBySide();
        }
        return 0;
    }

    /** Registers, measures, logs in, measures, idles; closes {@code server} at the end. */
    private Result measure(String label, ServerProcess server, List<Long> enginePids) throws Exception {
        if (!enginePids.isEmpty()) {
            startedPids.add(server.pid());
        }
        try (server; EventLoop loop = new EventLoop("bench-idle-client").start();
             BenchTls clientTls = tls ? new BenchTls() : null) {
            SessionPool pool = new SessionPool(loop, server.tcpAddress(), "idle", tls ? clientTls.pinned(server.fingerprint()) : null);
            System.out.println(label + ":");
            long t0 = System.nanoTime();
            pool.register(sessions, 64);
            System.out.printf("registered %,d accounts in %.1f s%n", sessions, (System.nanoTime() - t0) / 1e9);
            long before = server.liveHeapBytes();
            t0 = System.nanoTime();
            pool.login(sessions, parallel);
            System.out.printf("logged in %,d sessions in %.1f s%n", pool.clients().size(), (System.nanoTime() - t0) / 1e9);
            long after = server.liveHeapBytes();
            double perSession = (after - before) / (double) sessions;
            Duration cpu0 = server.cpuTime();
            long engines0 = engineCpu(enginePids);
            long w0 = System.nanoTime();
            new CountDownLatch(1).await(idleSeconds, TimeUnit.SECONDS);
            long wall = System.nanoTime() - w0;
            double cpuFraction = (server.cpuTime().minus(cpu0).toNanos()) / (double) wall;
            double engineFraction = (engineCpu(enginePids) - engines0) / (double) wall;
            System.out.printf("live heap with %,d accounts and no sessions: %,d bytes%n", sessions, before);
            System.out.printf("live heap with %,d idle sessions:            %,d bytes%n", sessions, after);
            System.out.printf("heap per idle session: %,.0f bytes (target <= %s)%n", perSession, tls ? "4,096" : "2,048");
            System.out.printf("registry CPU while idle over %d s: %.3f%% of one core (target < 1%%)%n", idleSeconds, cpuFraction * 100);
            if (!enginePids.isEmpty()) {
                System.out.printf("its PostgreSQL/Redis CPU over the same %d s: %.3f%% of one core%n", idleSeconds, engineFraction * 100);
            }
            pool.close();
            return new Result(label, before, after, perSession, cpuFraction, engineFraction);
        }
    }

    private static long engineCpu(List<Long> pids) {
        long n = 0;
        for (long pid : pids) {
            n += ThrowawayServices.treeCpuNanos(pid);
        }
        return n;
    }

    private void printSideBySide() {
        Result e = results.get(0);
        Result c = results.get(1);
        System.out.printf("%n%-34s %16s %24s %9s%n", "", e.label(), c.label(), "ratio");
        System.out.printf("%-34s %,16d %,24d %8.2fx%n", "live heap, accounts only (bytes)", e.heapBefore(), c.heapBefore(),
                c.heapBefore() / (double) e.heapBefore());
        System.out.printf("%-34s %,16.0f %,24.0f %8.2fx%n", "heap per idle session (bytes)", e.heapPerSession(), c.heapPerSession(),
                c.heapPerSession() / e.heapPerSession());
        System.out.printf("%-34s %15.3f%% %23.3f%% %8.2fx%n", "registry CPU idle (% of a core)", e.cpuFraction() * 100,
                c.cpuFraction() * 100, c.cpuFraction() / e.cpuFraction());
        System.out.printf("%-34s %16s %23.3f%%%n", "+ PostgreSQL/Redis CPU idle", "-", c.engineFraction() * 100);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new IdleSessionsCommand()).execute(args));
    }
}
