package parley.bench.registry;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import parley.core.loop.EventLoop;

/**
 * CPU per completed request, summed over a server's measured windows: the server process's
 * (every thread: loop, GC, JIT) and the load client's loop thread. Unlike requests per second
 * these barely depend on what else the shared machine runs, so they are the steadier figure.
 */
final class CpuTally {
    final LongSupplier server;
    final LongSupplier client;
    long serverNanos;
    long clientNanos;
    long requests;
    boolean known = true;

    CpuTally(ServerProcess process, LongSupplier client) {
        this(process == null ? () -> -1 : () -> process.cpuTime().toNanos(), client);
    }

    /** {@code server}: CPU time (ns) the server side has used so far, e.g. summed over several node processes. */
    CpuTally(LongSupplier server, LongSupplier client) {
        this.server = server;
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

    /** CPU time of the client loop's thread, read with the JVM's thread CPU clock. */
    static LongSupplier loopThreadCpu(EventLoop loop) throws Exception {
        java.util.concurrent.CompletableFuture<Long> id = new java.util.concurrent.CompletableFuture<>();
        loop.execute(() -> id.complete(Thread.currentThread().getId()));
        long tid = id.get(10, TimeUnit.SECONDS);
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported()) {
            return () -> -1;
        }
        return () -> mx.getThreadCpuTime(tid);
    }
}
