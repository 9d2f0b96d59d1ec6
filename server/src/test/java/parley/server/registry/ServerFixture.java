package parley.server.registry;

import parley.core.loop.NanoClock;
import parley.server.protocol.client.SyncRegistryClient;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An in-process registry on loopback ephemeral ports with a real SQLite file, and its clients. */
final class ServerFixture implements AutoCloseable {
    final Path data;
    final RegistryConfig config;
    final NanoClock clock;
    RegistryServer server;
    private final List<SyncRegistryClient> clients = new ArrayList<>();

    ServerFixture(Path data) throws Exception {
        this(data, manyUsers(new RegistryConfig()));
    }

    /** Lifts the REGISTER limits: tests register many users from one address (the login throttle stays). */
    static RegistryConfig manyUsers(RegistryConfig config) {
        config.registerBurstPerNetwork = 1_000_000;
        config.registerBurst = 1_000_000;
        config.registerPerSecond = 1_000_000;
        return config;
    }

    ServerFixture(Path data, RegistryConfig config) throws Exception {
        this(data, config, NanoClock.SYSTEM);
    }

    /** A registry whose leases and deadlines run on {@code clock} (a ManualClock in lease tests). */
    ServerFixture(Path data, RegistryConfig config, NanoClock clock) throws Exception {
        this(data, config, clock, true);
    }

    /** With {@code tls} false, a plaintext registry (the --insecure-plaintext suite); else the test identity. */
    ServerFixture(Path data, RegistryConfig config, NanoClock clock, boolean tls) throws Exception {
        if (tls && config.tls == null) {
            config.tls = parley.server.protocol.client.TestTls.serverContext();
        }
        this.data = data;
        this.config = config;
        this.clock = clock;
        start(0, 0);
    }

    void start(int tcpPort, int udpPort) throws Exception {
        server = RegistryServer.start(config, new InetSocketAddress("127.0.0.1", tcpPort), new InetSocketAddress("127.0.0.1", udpPort),
                data.resolve("registry.db"), clock);
    }

    SyncRegistryClient client() throws Exception {
        SyncRegistryClient c = config.tls != null ? new SyncRegistryClient(server.tcpAddress())
                : SyncRegistryClient.plaintext(server.tcpAddress());
        clients.add(c);
        return c;
    }

    /** A client registered and logged in as {@code name} (password "pw-" + name). */
    SyncRegistryClient user(String name) throws Exception {
        SyncRegistryClient c = client();
        Users.register(c, name, "pw-" + name);
        Users.login(c, name, "pw-" + name);
        return c;
    }

    /** A client logged in as an existing {@code name}. */
    SyncRegistryClient login(String name) throws Exception {
        SyncRegistryClient c = client();
        Users.login(c, name, "pw-" + name);
        return c;
    }

    /**
     * Returns once the server's loop has fired every timer due at the {@code ManualClock}'s
     * present time. Two plain tasks are not enough: the loop drains its task queue before it
     * looks at its timers, so a second task submitted while the first still runs can finish in
     * the same drain, before the timers of that pass. A timer due "now" fires after every timer
     * due earlier (the queue is ordered by deadline), so when it fires they all have; a last task
     * then lets whatever those timers handed to the queue run too.
     */
    void turnLoop() throws Exception {
        CompletableFuture<Void> fired = new CompletableFuture<>();
        server.loop().execute(() -> server.loop().schedule(
                new parley.core.loop.Timer(now -> fired.complete(null)), server.loop().nanoTime()));
        fired.get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> ran = new CompletableFuture<>();
        server.loop().execute(() -> ran.complete(null));
        ran.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        for (SyncRegistryClient c : clients) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
