package parley.server.registry;

import parley.core.loop.NanoClock;
import parley.server.cluster.Bus;
import parley.server.cluster.RedisBus;
import parley.server.protocol.client.SyncRegistryClient;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One in-process registry node of a test cluster, with its own bus to the test's Redis: either
 * on its own SQLite file, where a test registers the same accounts on every node
 * ({@link #userOnEveryNode}) and contacts and blocks made once reach every node through the bus;
 * or on a PostgreSQL database shared by every node ({@link #onPostgres}, ClusterOnPostgresTest).
 */
final class ClusterNode implements AutoCloseable {
    /** Short, so lease tests finish quickly; far above any delivery delay on loopback. */
    static final long LEASE_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    final String id;
    final Bus bus;
    final ServerFixture fixture;

    ClusterNode(String id, Bus bus, Path data) throws Exception {
        this(id, bus, data, null);
    }

    /** With {@code storeUri}, the node's store is that PostgreSQL database, shared by every node. */
    ClusterNode(String id, Bus bus, Path data, String storeUri) throws Exception {
        this.id = id;
        this.bus = bus;
        RegistryConfig config = ServerFixture.manyUsers(new RegistryConfig());
        config.bus = bus;
        config.clusterLeaseNanos = LEASE_NANOS;
        // The privacy race asks as fast as a client can: no request rate limit in the way.
        config.requestsPerSecond = 1_000_000;
        config.requestBurst = 1_000_000;
        // Test clients send no heartbeats of their own: sessions outlive a Redis restart here.
        config.sessionTimeoutNanos = TimeUnit.MINUTES.toNanos(5);
        this.fixture = storeUri == null ? new ServerFixture(data, config, NanoClock.SYSTEM)
                : ServerFixture.onPostgres(storeUri, data, config);
        awaitServing();
    }

    static ClusterNode redis(String id, String uri, Path data) throws Exception {
        return new ClusterNode(id, RedisBus.connect(uri, id), data);
    }

    /** A node on the shared PostgreSQL store at {@code storeUri}: accounts registered once exist on every node. */
    static ClusterNode onPostgres(String id, String redisUri, String storeUri, Path data) throws Exception {
        return new ClusterNode(id, RedisBus.connect(redisUri, id), data, storeUri);
    }

    /** As {@link #onPostgres}, on a bus the test can cut from the others. */
    static ClusterNode onPostgres(String id, parley.server.cluster.CuttableBus bus, String storeUri, Path data)
            throws Exception {
        return new ClusterNode(id, bus, data, storeUri);
    }

    /** Waits until the node has heard its own heartbeat back (it refuses requests before). */
    void awaitServing() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!fixture.server.serving()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node " + id + " never started serving");
            }
            Thread.sleep(10);
        }
    }

    SyncRegistryClient client() throws Exception {
        return fixture.client();
    }

    SyncRegistryClient login(String name) throws Exception {
        return fixture.login(name);
    }

    /** Registers {@code names} on every node (each has its own store for now: see the class comment). */
    static void userOnEveryNode(ClusterNode[] nodes, String... names) throws Exception {
        for (ClusterNode n : nodes) {
            SyncRegistryClient c = n.client(); // the fixture closes it
            for (String name : names) {
                Users.register(c, name, "pw-" + name);
            }
        }
    }

    @Override
    public void close() {
        try {
            fixture.close();
        } finally {
            bus.close();
        }
    }
}
