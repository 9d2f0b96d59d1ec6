package parley.peer.e2e;

import parley.core.loop.NanoClock;
import parley.server.cluster.RedisBus;
import parley.server.cluster.RedisFixture;
import parley.server.registry.RegistryConfig;
import parley.server.registry.RegistryServer;
import parley.server.store.PostgresFixture;
import parley.server.store.PostgresLocation;
import parley.server.store.PostgresStore;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Two in-process registry nodes of one cluster (issue 16) for end-to-end peer tests: one shared
 * PostgreSQL database (a throwaway instance, PostgresFixture) and one throwaway Redis, each node
 * with its own bus connection, TLS identity (the test one, which TestPeer pins) and ports on
 * loopback. Peers of a test log in on different nodes; everything is closed by {@link #close}.
 */
final class TwoNodes implements AutoCloseable {
    /** Short, so a lost node shows soon; far above any delivery delay on loopback. */
    static final long LEASE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final RedisFixture redis;
    private final List<RegistryServer> nodes = new ArrayList<>();
    private final List<RedisBus> buses = new ArrayList<>();

    TwoNodes(Consumer<RegistryConfig> tweak) throws Exception {
        redis = RedisFixture.start();
        try {
            String store = PostgresFixture.shared().createDatabase();
            for (String id : new String[] {"n1", "n2"}) {
                RegistryConfig c = new RegistryConfig();
                c.tls = parley.server.protocol.client.TestTls.serverContext();
                RedisBus bus = RedisBus.connect(redis.uri(), id);
                buses.add(bus);
                c.bus = bus;
                c.clusterLeaseNanos = LEASE_NANOS;
                tweak.accept(c);
                InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
                nodes.add(RegistryServer.start(c, loopback, loopback,
                        PostgresStore.open(PostgresLocation.parse(store, null)), NanoClock.SYSTEM));
            }
            for (RegistryServer n : nodes) {
                awaitServing(n);
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** Node {@code i} (0 or 1). */
    RegistryServer node(int i) {
        return nodes.get(i);
    }

    /** A peer configuration for {@code name} logged in on node {@code i}. */
    PeerConfigs on(int i) {
        return new PeerConfigs(nodes.get(i));
    }

    /** Builds peer configurations aimed at one node. */
    record PeerConfigs(RegistryServer node) {
        parley.peer.core.PeerConfig config(String name, Path dir) {
            parley.peer.core.PeerConfig c = TestPeer.config(name, node.tcpAddress(), dir.resolve(name));
            c.registryUdpPort = node.udpAddress().getPort();
            return c;
        }
    }

    private static void awaitServing(RegistryServer n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!n.serving()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("a cluster node never started serving");
            }
            TimeUnit.MILLISECONDS.sleep(10); // a poll bounded by the deadline above
        }
    }

    @Override
    public void close() {
        for (RegistryServer n : nodes) {
            n.close();
        }
        for (RedisBus b : buses) {
            b.close();
        }
        redis.close();
    }
}
