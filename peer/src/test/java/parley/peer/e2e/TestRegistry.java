package parley.peer.e2e;

import parley.server.registry.RegistryConfig;
import parley.server.registry.RegistryServer;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/** An in-process registry on loopback; it can be stopped and started again on the same ports and file. */
final class TestRegistry implements AutoCloseable {
    private final Path db;
    private RegistryServer server;
    private InetSocketAddress tcp;
    private int udpPort;
    /** Changes a test makes to the registry's configuration, kept across restarts. */
    private final java.util.function.Consumer<RegistryConfig> tweak;

    TestRegistry(Path dir) throws Exception {
        this(dir, c -> { });
    }

    /** {@code relay} false: the registry's relay is off ({@code --relay off}), so it grants none. */
    TestRegistry(Path dir, boolean relay) throws Exception {
        this(dir, c -> c.relayEnabled = relay);
    }

    TestRegistry(Path dir, java.util.function.Consumer<RegistryConfig> tweak) throws Exception {
        this(dir, tweak, new InetSocketAddress("127.0.0.1", 0));
    }

    /** On a TCP address chosen beforehand (a peer's list of registry nodes names it before it runs). */
    TestRegistry(Path dir, InetSocketAddress tcpAddress) throws Exception {
        this(dir, c -> { }, tcpAddress);
    }

    private TestRegistry(Path dir, java.util.function.Consumer<RegistryConfig> tweak, InetSocketAddress tcpAddress) throws Exception {
        this.tweak = tweak;
        java.nio.file.Files.createDirectories(dir);
        this.db = dir.resolve("registry.db");
        server = RegistryServer.start(config(), tcpAddress, new InetSocketAddress("127.0.0.1", 0), db);
        tcp = server.tcpAddress();
        udpPort = server.udpAddress().getPort();
    }

    /** Over TLS with the test identity; peers pin it with --server-fingerprint (TestPeer.config). */
    private RegistryConfig config() {
        RegistryConfig c = new RegistryConfig();
        c.tls = parley.server.protocol.client.TestTls.serverContext();
        tweak.accept(c);
        return c;
    }

    InetSocketAddress address() {
        return tcp;
    }

    /** The relay's counters (forwarded, dropped by reason). */
    parley.server.registry.RelayStats relayStats() throws Exception {
        return server.relayStats();
    }

    int udpPort() {
        return udpPort;
    }

    void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Starts again on the same ports and file with another TLS identity (a changed server key). */
    void restart(javax.net.ssl.SSLContext tls) throws Exception {
        RegistryConfig c = config();
        c.tls = tls;
        server = RegistryServer.start(c, tcp, new InetSocketAddress("127.0.0.1", udpPort), db);
    }

    void restart() throws Exception {
        server = RegistryServer.start(config(), tcp, new InetSocketAddress("127.0.0.1", udpPort), db);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
