package parley.bench.registry;

import parley.server.cluster.RedisFixture;
import parley.server.store.PostgresFixture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The PostgreSQL and Redis instances a cluster bench runs its nodes on, started for the run and
 * thrown away after it: PostgreSQL with {@code initdb} and {@code pg_ctl} (as the {@code postgres}
 * user when we are root) in a temp directory, Redis as {@code redis-server --port P --save ''},
 * both on free loopback ports (the server's own fixtures, which check the packages with
 * {@code tools/lab/ensure-packages.sh --cluster}). {@link #close} stops every one by its PID, and
 * the fixtures' shutdown hooks do it too when the bench dies on an exception or Ctrl-C.
 *
 * <p>One PostgreSQL serves every cluster of the run, each in a database of its own; each cluster
 * has a Redis of its own, so that one cluster's bus traffic never reaches another's nodes.
 */
final class ThrowawayServices implements AutoCloseable {
    private PostgresFixture postgres;
    private final List<RedisFixture> redis = new ArrayList<>();

    /** A new, empty database on the (first use: started) throwaway PostgreSQL; its {@code --store} URI. */
    String newDatabase() throws Exception {
        if (postgres == null) {
            postgres = PostgresFixture.start();
        }
        return postgres.createDatabase();
    }

    /** A new throwaway Redis; its {@code --bus} URI is {@link RedisFixture#uri}. */
    RedisFixture newRedis() throws Exception {
        RedisFixture r = RedisFixture.start();
        redis.add(r);
        return r;
    }

    /** The postmaster's PID, 0 when PostgreSQL is not running. */
    long postgresPid() {
        return postgres == null ? 0 : postgres.pid();
    }

    /** PIDs of every engine process running now: the postmaster and the redis-servers. */
    List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        if (postgres != null && postgres.pid() != 0) {
            pids.add(postgres.pid());
        }
        for (RedisFixture r : redis) {
            if (r.pid() != 0) {
                pids.add(r.pid());
            }
        }
        return pids;
    }

    /**
     * CPU time (ns) that {@code pid} and its live descendants have used: for PostgreSQL that is the
     * postmaster and its backends (one per pooled connection, alive for the whole run), so the
     * difference of two readings is the database's CPU between them.
     */
    static long treeCpuNanos(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) {
            return 0;
        }
        long total = cpu(h.get());
        for (ProcessHandle d : h.get().descendants().toList()) {
            total += cpu(d);
        }
        return total;
    }

    private static long cpu(ProcessHandle h) {
        return h.info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
    }

    @Override
    public void close() {
        for (RedisFixture r : redis) {
            r.close();
        }
        redis.clear();
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }
}
