package parley.bench.registry;

import parley.core.loop.WorkQueue;
import parley.core.tcp.TlsConfig;
import parley.core.tls.PinningTrustManager;
import parley.core.tls.ServerIdentity;
import parley.core.tls.TlsContexts;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * The load client's side of `bench registry --tls`: one SSLContext for the whole process (as a
 * real client keeps), pinned to the Parley registry's self-signed key, which the Netty baseline
 * serves too, and one small pool for the engines' delegated tasks, closed after the run.
 */
final class BenchTls implements AutoCloseable {
    /** Handshake steps waiting for crypto at once: the pools set up at most 64 connections in parallel. */
    private static final int TASK_CAPACITY = 4096;

    private final WorkQueue<Runnable> tasks = TlsConfig.newTaskPool("bench-tls-tasks", 1, TASK_CAPACITY);

    /** Client config trusting exactly the key whose pin is {@code fingerprint}. */
    TlsConfig pinned(String fingerprint) throws GeneralSecurityException {
        if (fingerprint == null) {
            throw new IllegalStateException("the registry printed no tls fingerprint line");
        }
        PinningTrustManager pins = new PinningTrustManager("bench-registry", fingerprint, null, "restart the bench");
        return TlsConfig.client(TlsContexts.clientPinned(pins), tasks);
    }

    /** NettyRegistryServer's arguments to serve TLS with the registry's own certificate and key. */
    static List<String> nettyArgs(Path parleyData) {
        return List.of("0", parleyData.resolve(ServerIdentity.CERT_FILE).toString(),
                parleyData.resolve(ServerIdentity.KEY_FILE).toString());
    }

    @Override
    public void close() {
        tasks.close();
    }
}
