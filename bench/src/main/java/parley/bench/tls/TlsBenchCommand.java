package parley.bench.tls;

import parley.bench.registry.ServerProcess;
import parley.core.loop.EventLoop;
import parley.core.loop.WorkQueue;
import parley.core.tcp.TlsConfig;
import parley.core.tls.PinningTrustManager;
import parley.core.tls.ServerIdentity;
import parley.core.tls.TlsContexts;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * `./parley bench tls`: what TLS 1.3 on the loop costs, measured on nio-core's transport alone (a
 * child process holding connections, {@link TlsIdleServer}), so it runs before the registry speaks
 * TLS. Two figures: the server's live heap per idle connection at N connections, TLS against
 * plaintext, with the classes that make up the difference (what the JDK's engine holds); and
 * handshakes per second when {@code --storm} clients connect at once, full handshakes (each client
 * a fresh {@code SSLContext}, so no ticket) against resumed ones (the same clients again, each
 * holding the ticket its first handshake brought, as reconnecting peers do), with the server's CPU
 * per handshake and its own count of full handshakes. Rounds alternate full
 * and resumed; the medians are printed last.
 */
@Command(name = "tls", mixinStandardHelpOptions = true,
        description = "Heap per idle TLS connection and handshakes per second (full vs resumed) of nio-core's TLS transport.")
public final class TlsBenchCommand implements Callable<Integer> {
    private static final int WARM_UP = 500;
    private Path dir;
    /**
     * Long enough for a storm to drain through the handshake pools on a loaded 2-core machine: a
     * storm measures throughput, so a handshake waiting its turn must not be cut off.
     */
    /** How long the bench waits for the server child to report its handshake count (it writes every 100 ms). */
    private static final long COUNT_TIMEOUT_MILLIS = 10_000;
    static final long HANDSHAKE_TIMEOUT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(300);

    @Option(names = "--sessions", description = "idle connections for the heap figure (default: ${DEFAULT-VALUE})")
    int sessions = 10_000;

    @Option(names = "--storm", description = "clients connecting at once in a login storm (default: ${DEFAULT-VALUE})")
    int storm = 1_000;

    @Option(names = "--rounds", description = "full/resumed storm pairs (default: ${DEFAULT-VALUE})")
    int rounds = 5;

    @Option(names = "--parallel", description = "connections being set up at once for the heap figure (default: ${DEFAULT-VALUE})")
    int parallel = 32;

    @Option(names = "--skip-heap", description = "only the storm")
    boolean skipHeap;

    @Override
    public Integer call() throws Exception {
        System.out.println("uptime: " + uptime());
        Path dir = Files.createTempDirectory("parley-bench-tls");
        ServerIdentity id = ServerIdentity.loadOrCreate(dir, "parley-bench").identity;
        WorkQueue<Runnable> tasks = TlsConfig.newTaskPool("bench-tls-client-tasks", 1, 1 << 15);
        List<String> jvm = List.of("-Xmx2g", "-XX:+UseParallelGC");
        try (EventLoop loop = new EventLoop("bench-tls-client").start()) {
            if (!skipHeap) {
                double plain = heapPerConnection(loop, jvm, "plain", i -> null);
                try (ServerProcess server = ServerProcess.start(jvm, TlsIdleServer.class.getName(), List.of(dir.toString()), null)) {
                    TlsConfig shared = TlsConfig.client(client(id, server), tasks).withHandshakeTimeout(HANDSHAKE_TIMEOUT_NANOS);
                    double tls = heapPerConnection(loop, server, i -> shared, "TLS");
                    System.out.printf("TLS costs %,.0f B more per idle connection than plaintext (%,.0f vs %,.0f)%n", tls - plain, tls, plain);
                }
            }
            storm(loop, jvm, dir, id, tasks);
        } finally {
            tasks.close();
        }
        return 0;
    }

    private double heapPerConnection(EventLoop loop, List<String> jvm, String mode,
                                     java.util.function.IntFunction<TlsConfig> tls) throws Exception {
        try (ServerProcess server = ServerProcess.start(jvm, TlsIdleServer.class.getName(), List.of(mode), null)) {
            return heapPerConnection(loop, server, tls, mode);
        }
    }

    private double heapPerConnection(EventLoop loop, ServerProcess server, java.util.function.IntFunction<TlsConfig> tls,
                                     String label) throws Exception {
        // A first batch, closed again, so that classes loaded and code compiled for the first
        // connections (and the JDK's session cache filling) are not counted per connection.
        ConnectionBatch warm = new ConnectionBatch(loop, server.tcpAddress(), Math.min(sessions, WARM_UP), parallel, tls);
        warm.openAll();
        warm.closeAll();
        HeapHistogram before = HeapHistogram.of(server.pid());
        ConnectionBatch batch = new ConnectionBatch(loop, server.tcpAddress(), sessions, parallel, tls);
        double seconds = batch.openAll();
        HeapHistogram after = HeapHistogram.of(server.pid());
        double per = (after.total - before.total) / (double) sessions;
        System.out.printf("%s: %,d idle connections (%d failed) opened in %.1f s; server live heap %,d -> %,d bytes: %,.0f B per connection%n",
                label, sessions, batch.failed(), seconds, before.total, after.total, per);
        System.out.println("  largest growth per connection:");
        for (String line : after.growthPer(before, sessions, 14)) {
            System.out.println("  " + line);
        }
        batch.closeAll();
        return per;
    }

    private void storm(EventLoop loop, List<String> jvm, Path dir, ServerIdentity id, WorkQueue<Runnable> tasks) throws Exception {
        try (ServerProcess server = ServerProcess.start(jvm, TlsIdleServer.class.getName(), List.of(dir.toString()), null)) {
            TlsConfig shared = TlsConfig.client(client(id, server), tasks).withHandshakeTimeout(HANDSHAKE_TIMEOUT_NANOS);
            this.dir = dir;
            stormRound(loop, server, i -> shared, "warm-up");
            double[] fullRate = new double[rounds];
            double[] resumedRate = new double[rounds];
            double[] fullCpu = new double[rounds];
            double[] resumedCpu = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                List<TlsConfig> fresh = new ArrayList<>(storm);
                for (int i = 0; i < storm; i++) {
                    fresh.add(TlsConfig.client(client(id, server), tasks).withHandshakeTimeout(HANDSHAKE_TIMEOUT_NANOS));
                }
                double[] full = stormRound(loop, server, fresh::get, "round " + (r + 1) + " full   ");
                // The same clients again, as peers reconnecting after a registry restart: each context
                // holds the ticket its full handshake brought. (The JDK uses a ticket once and keeps one
                // per server, so 1,000 connections through ONE context would resume only the first.)
                double[] resumed = stormRound(loop, server, fresh::get, "round " + (r + 1) + " resumed");
                fullRate[r] = full[0];
                fullCpu[r] = full[1];
                resumedRate[r] = resumed[0];
                resumedCpu[r] = resumed[1];
            }
            System.out.printf("median of %d rounds, %,d clients at once: full %,.0f handshakes/s, %.0f us server CPU each; "
                            + "resumed %,.0f handshakes/s, %.0f us server CPU each%n", rounds, storm,
                    median(fullRate), median(fullCpu), median(resumedRate), median(resumedCpu));
        }
        System.out.println("uptime: " + uptime());
    }

    /** One storm: {handshakes per second, server CPU microseconds per handshake}. */
    private double[] stormRound(EventLoop loop, ServerProcess server, java.util.function.IntFunction<TlsConfig> tls, String label)
            throws Exception {
        ConnectionBatch batch = new ConnectionBatch(loop, server.tcpAddress(), storm, storm, tls);
        Duration cpu0 = server.cpuTime();
        long full0 = fullHandshakes();
        double seconds = batch.openAll();
        Duration cpu = server.cpuTime().minus(cpu0);
        long full = fullHandshakes() - full0;
        int ok = storm - batch.failed();
        double rate = ok / seconds;
        double cpuPer = cpu.toNanos() / 1e3 / Math.max(1, ok);
        System.out.printf("%s: %,d handshakes (%d failed, %,d of them full) in %.2f s = %,.0f/s; server CPU %.0f us per handshake%n",
                label, ok, batch.failed(), full, seconds, rate, cpuPer);
        batch.closeAll();
        return new double[] {rate, cpuPer};
    }

    /**
     * The server's count of full handshakes as of now: it waits for the child's writer to write
     * a count taken after this call, instead of a fixed sleep that a slow writer could outlast.
     */
    private long fullHandshakes() throws InterruptedException {
        return HandshakeCountFile.awaitCurrent(dir, COUNT_TIMEOUT_MILLIS);
    }

    /** A client context that pins the bench's identity: the server presents it, nothing else is trusted. */
    private static SSLContext client(ServerIdentity id, ServerProcess server) throws Exception {
        String name = server.tcpAddress().getHostString() + ":" + server.tcpAddress().getPort();
        return TlsContexts.clientPinned(new PinningTrustManager(name, id.fingerprint(), null, "(bench)"));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String uptime() {
        try {
            Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (Exception e) {
            return "(uptime unavailable: " + e + ")";
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TlsBenchCommand()).execute(args));
    }
}
