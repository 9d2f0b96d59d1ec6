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

    private final TlsConfig config;
    private final WorkQueue<Runnable> tasks;

    private RegistryTls(TlsConfig config, WorkQueue<Runnable> tasks) {
        this.config = config;
        this.tasks = tasks;
    }

    public static RegistryTls of(PeerConfig c) throws GeneralSecurityException {
        if (c.insecurePlaintext) {
            return new RegistryTls(null, null);
        }
        // One thread: a peer makes one handshake at a time; the pin file is read and written there.
        WorkQueue<Runnable> tasks = TlsConfig.newTaskPool("registry-tls", 1, 16);
        javax.net.ssl.SSLContext ctx = c.tlsSystemTrust ? TlsContexts.clientSystemTrust()
                : TlsContexts.clientPinned(new PinningTrustManager(serverName(c), c.serverFingerprint,
                        new PinStore(knownServers(c.dataDir)), howToAccept(c)));
        return new RegistryTls(TlsConfig.client(ctx, tasks), tasks);
    }

    /** The TLS settings for each connection, or null in plaintext mode. */
    public TlsConfig config() {
        return config;
    }

    public static Path knownServers(Path dataDir) {
        return dataDir.resolve(KNOWN_SERVERS);
    }

    /** The name a pin is stored under: the {@code --server} text as host:port. */
    public static String serverName(PeerConfig c) {
        return c.server.getHostString() + ":" + c.server.getPort();
    }

    /** The exact command that accepts a changed key deliberately. */
    static String howToAccept(PeerConfig c) {
        return "If you know the server's key was changed on purpose (ask its operator for the new fingerprint), run\n"
                + "    ./parley peer --data " + c.dataDir + " --forget-server " + serverName(c) + "\n"
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
