package parley.core.tcp;

import parley.core.loop.WorkQueue;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * How a connection speaks TLS: the {@link SSLContext} (identity and trust, see
 * {@code parley.core.tls.TlsContexts}), the side, the pool that runs the engine's delegated
 * tasks, and the handshake deadline. Immutable; share one instance among all connections of a
 * kind. Passing one to {@link TcpConnection#connect(parley.core.loop.EventLoop, InetSocketAddress,
 * ConnectionHandler, TcpConfig, TlsConfig)} or {@link TcpListener#bind(parley.core.loop.EventLoop,
 * InetSocketAddress, java.util.function.Function, TcpConfig, TlsConfig)} is the only difference
 * between a TLS and a plaintext endpoint: frames reach the same {@link ConnectionHandler}.
 *
 * <p>Only TLS 1.3 is enabled. A client keeps one {@code SSLContext} for all its reconnects: the
 * JDK caches the session tickets it receives in the context, keyed by the host and port given to
 * {@link SSLContext#createSSLEngine(String, int)}, so a reconnect to the same host:port resumes.
 */
public final class TlsConfig {
    /** The default handshake deadline, counted from the TCP connection being established. */
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final String[] PROTOCOLS = {"TLSv1.3"};

    final SSLContext context;
    final boolean client;
    final WorkQueue<Runnable> tasks;
    final long handshakeTimeoutNanos;

    private TlsConfig(SSLContext context, boolean client, WorkQueue<Runnable> tasks, long handshakeTimeoutNanos) {
        if (handshakeTimeoutNanos <= 0) {
            throw new IllegalArgumentException("handshake timeout must be positive");
        }
        this.context = context;
        this.client = client;
        this.tasks = tasks;
        this.handshakeTimeoutNanos = handshakeTimeoutNanos;
    }

    /**
     * The server side. {@code tasks} runs the engine's delegated tasks (signatures, key
     * agreement, certificate checks): use a bounded pool ({@link #newTaskPool}); when it is full a
     * new handshake is refused and closed as {@link CloseReason#OVERLOADED} rather than queued
     * without bound, so a flood of handshakes costs the loop only the refusals.
     */
    public static TlsConfig server(SSLContext context, WorkQueue<Runnable> tasks) {
        return new TlsConfig(context, false, tasks, DEFAULT_HANDSHAKE_TIMEOUT_NANOS);
    }

    /** The client side; see {@link #server} for {@code tasks}. */
    public static TlsConfig client(SSLContext context, WorkQueue<Runnable> tasks) {
        return new TlsConfig(context, true, tasks, DEFAULT_HANDSHAKE_TIMEOUT_NANOS);
    }

    /** A copy whose handshake must finish within {@code nanos} of the TCP connect, or the connection is closed. */
    public TlsConfig withHandshakeTimeout(long nanos) {
        return new TlsConfig(context, client, tasks, nanos);
    }

    public long handshakeTimeoutNanos() {
        return handshakeTimeoutNanos;
    }

    public boolean isClient() {
        return client;
    }

    /**
     * A bounded pool for delegated tasks: {@code threads} workers, at most {@code capacity} queued
     * jobs (one per handshake step waiting for crypto). The owner closes it after its loop.
     */
    public static WorkQueue<Runnable> newTaskPool(String name, int threads, int capacity) {
        return WorkQueue.builder(name).threads(threads).bounded(capacity).onClose(WorkQueue.OnClose.DROP)
                .start(Runnable::run);
    }

    /** A new engine for a connection to or from {@code peer}. */
    SSLEngine newEngine(InetSocketAddress peer) {
        SSLEngine engine = client ? context.createSSLEngine(peer.getHostString(), peer.getPort()) : context.createSSLEngine();
        engine.setUseClientMode(client);
        SSLParameters p = engine.getSSLParameters();
        p.setProtocols(PROTOCOLS);
        if (client) {
            // Checked by the system trust manager (operator-certificate mode); a pinning trust
            // manager decides on the key alone and ignores it.
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        engine.setSSLParameters(p);
        return engine;
    }
}
