package parley.bench.registry;

import parley.core.loop.EventLoop;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * `./parley bench idle`: how much a registry pays for sessions that only sit there. Starts a
 * registry process, registers N accounts, measures its live heap, logs N sessions in, measures
 * again, then samples its CPU while they idle. The heap figure per session is the difference
 * divided by N, so accounts (which exist whether online or not) are not counted in it.
 */
@Command(name = "idle", mixinStandardHelpOptions = true,
        description = "Heap per idle session and idle CPU of a registry holding N logged-in sessions.")
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

    @Override
    public Integer call() throws Exception {
        // The lease is long so that "idle" really is idle: no heartbeats are needed during the run.
        List<String> serverArgs = List.of("--session-timeout", "3600", "--max-connections", Integer.toString(sessions + 100),
                "--rate-limit", "100000", "--burst", "100000", "--max-unauthenticated-per-address", "0",
                "--registrations-per-network", "10000000", "--registrations-per-second", "1000000", "--logins-per-network", "100000");
        try (ServerProcess server = ServerProcess.start(List.of(), List.of("-Xmx2g"), serverArgs, tls);
             EventLoop loop = new EventLoop("bench-idle-client").start();
             BenchTls clientTls = tls ? new BenchTls() : null) {
            SessionPool pool = new SessionPool(loop, server.tcpAddress(), "idle", tls ? clientTls.pinned(server.fingerprint()) : null);
            System.out.println(tls ? "registry in TLS 1.3 mode" : "registry in plaintext mode");
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
            long w0 = System.nanoTime();
            new CountDownLatch(1).await(idleSeconds, TimeUnit.SECONDS);
            double cpuFraction = (server.cpuTime().minus(cpu0).toNanos()) / (double) (System.nanoTime() - w0);
            System.out.printf("live heap with %,d accounts and no sessions: %,d bytes%n", sessions, before);
            System.out.printf("live heap with %,d idle sessions:            %,d bytes%n", sessions, after);
            System.out.printf("heap per idle session: %,.0f bytes (target <= %s)%n", perSession, tls ? "4,096" : "2,048");
            System.out.printf("registry CPU while idle over %d s: %.3f%% of one core (target < 1%%)%n", idleSeconds, cpuFraction * 100);
            pool.close();
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new IdleSessionsCommand()).execute(args));
    }
}
