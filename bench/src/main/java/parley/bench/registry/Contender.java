package parley.bench.registry;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;

/**
 * One server under load in `bench registry` (Parley, the Netty baseline or the raw NIO floor) and
 * what its runs measured: per round the latency histograms of the three request kinds, completed
 * requests per second, and server CPU per request.
 */
final class Contender {
    static final long HIGHEST_NANOS = 60_000_000_000L;

    final String label;
    final SessionPool pool;
    final CpuTally cpu;
    /** Parley's sessions log in; the baselines answer without a login. */
    final boolean login;
    final List<Histogram[]> runs = new ArrayList<>();
    final List<Double> roundOps = new ArrayList<>();
    /** Server CPU per completed request in each round, µs; NaN when unknown. */
    final List<Double> roundServerMicros = new ArrayList<>();
    /**
     * Cluster mode: CPU per completed request of the engines behind the nodes (PostgreSQL and
     * Redis) in each round, µs; empty for a server that has none.
     */
    final List<Double> roundServicesMicros = new ArrayList<>();

    Contender(String label, SessionPool pool, CpuTally cpu, boolean login) {
        this.label = label;
        this.pool = pool;
        this.cpu = cpu;
        this.login = login;
    }

    void connect(int sessions) throws Exception {
        if (!pool.clients().isEmpty()) {
            return;
        }
        if (login) {
            pool.login(sessions, 256);
        } else {
            pool.connectOnly(sessions, 256);
        }
    }

    double meanOps() {
        return roundOps.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    /** All three request kinds of round {@code r} in one histogram. */
    Histogram round(int r) {
        Histogram h = new Histogram(1, HIGHEST_NANOS, 3);
        for (Histogram k : runs.get(r)) {
            h.add(k);
        }
        return h;
    }

    /** Request kind {@code op} over every round. */
    Histogram kind(int op) {
        Histogram h = new Histogram(1, HIGHEST_NANOS, 3);
        for (Histogram[] r : runs) {
            h.add(r[op]);
        }
        return h;
    }

    long totalCount() {
        long n = 0;
        for (Histogram[] r : runs) {
            for (Histogram h : r) {
                n += h.getTotalCount();
            }
        }
        return n;
    }
}
