package parley.peer.core;

import parley.core.loop.WorkQueue;
import parley.core.tcp.TlsConfig;
import parley.core.tls.PinStore;
import parley.core.tls.PinningTrustManager;
import parley.core.tls.ServerKeyChangedException;
import parley.core.tls.TlsContexts;

import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * How this peer trusts its registry, built once per process so that every reconnect uses the same
 * {@code SSLContext} and resumes its TLS session: pinned (the fingerprint given with
 * {@code --server-fingerprint}, or the one stored on first use in {@code <data>/known-servers},
 * like SSH), the system trust store ({@code --tls-system-trust}, an operator certificate), or
 * none ({@code --insecure-plaintext}).
 */
public final class RegistryTls implements AutoCloseable {
    /** The pin file in the peer's data directory: lines of {@code host:port SHA256:<hex>}, 0600. */
    public static final String KNOWN_SERVERS = "known-servers";

    private final java.util.Map<java.net.InetSocketAddress, TlsConfig> configs;
    private final PeerConfig peer;
    private final WorkQueue<Runnable> tasks;

    private RegistryTls(PeerConfig peer, java.util.Map<java.net.InetSocketAddress, TlsConfig> configs, WorkQueue<Runnable> tasks) {
        this.peer = peer;
        this.configs = configs;
        this.tasks = tasks;
    }

    public static RegistryTls of(PeerConfig c) throws GeneralSecurityException {
        if (c.insecurePlaintext) {
            return new RegistryTls(c, java.util.Map.of(), null);
        }
        // One thread: a peer makes one handshake at a time; the pin file is read and written there.
        WorkQueue<Runnable> tasks = TlsConfig.newTaskPool("registry-tls", 1, 16);
        // One context per registry address: each node of a cluster has its own pin (trust on
        // first use per address, or --server-fingerprint for all when they share one key).
        java.util.Map<java.net.InetSocketAddress, TlsConfig> configs = new java.util.HashMap<>();
        for (java.net.InetSocketAddress a : c.servers.isEmpty() ? java.util.List.of(c.server) : c.servers) {
            javax.net.ssl.SSLContext ctx = c.tlsSystemTrust ? TlsContexts.clientSystemTrust()
                    : TlsContexts.clientPinned(new PinningTrustManager(serverName(a), c.serverFingerprint,
                            new PinStore(knownServers(c.dataDir)), howToAccept(c.dataDir, a)));
            configs.put(a, TlsConfig.client(ctx, tasks));
        }
        return new RegistryTls(c, configs, tasks);
    }

    /** The TLS settings for a connection to the registry in use ({@code PeerConfig.server}), or null in plaintext mode. */
    public TlsConfig config() {
        return configs.get(peer.server);
    }

    public static Path knownServers(Path dataDir) {
        return dataDir.resolve(KNOWN_SERVERS);
    }

    /** The name a pin is stored under: the {@code --server} text as host:port. */
    public static String serverName(PeerConfig c) {
        return serverName(c.server);
    }

    static String serverName(java.net.InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }

    /** The exact command that accepts a changed key deliberately. */
    static String howToAccept(Path dataDir, java.net.InetSocketAddress a) {
        return "If you know the server's key was changed on purpose (ask its operator for the new fingerprint), run\n"
                + "    ./parley peer --data " + dataDir + " --forget-server " + serverName(a) + "\n"
                + "and connect again (or pass --server-fingerprint with the new value).";
    }

    /** The key-change refusal among {@code failure}'s causes, or null. */
    public static ServerKeyChangedException keyChanged(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ServerKeyChangedException) {
                return (ServerKeyChangedException) t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    @Override
    public void close() {
        if (tasks != null) {
            tasks.close();
        }
    }
}
